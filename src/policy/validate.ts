// The policy validator: one pass over a CorsPolicyInit that collects every problem at once
// (errors refuse the policy, warnings only advise) and, when there is no error, produces the
// ValidatedPolicy the engines and decide() consume (src/policy/rules.ts).
//
// Untyped callers are expected: any value may arrive as `init` or in any field, getters may
// throw, arrays may be sparse. None of it escapes as an exception; it becomes an issue.//
// This module is the composition: the checks live in validate-options.ts (keys, flags, scalars),
// origin-rules.ts (origin entries; regexp-rule.ts, overlap-lints.ts) and
// header-and-method-names.ts (methods and header lists).
import type { CorsPolicyInit, PolicyIssue } from '../types.js';
import type { OriginRule, OriginSet, ValidatedPolicy } from './rules.js';
import { describeType, quote } from './issues.js';
import { Issues, errorText } from './issue-collector.js';
import {
  KNOWN_OPTIONS,
  KNOWN_OPTION_SET,
  readBoolean,
  unknownOptionMessage,
  validateEngine,
  validateMaxAge,
  validateStatus,
  warnDangerous,
  type OptionName,
} from './validate-options.js';
import { validateOriginList, type OriginContext } from './origin-rules.js';
import { validateNames } from './header-and-method-names.js';

/**
 * Validate a policy. Collects EVERY problem (errors and warnings); `policy` is null exactly when
 * some issue is an error. Never throws, whatever `init` is.
 */
export function validatePolicy(init: CorsPolicyInit): { policy: ValidatedPolicy | null; issues: PolicyIssue[] } {
  const issues = new Issues();
  let policy: ValidatedPolicy | null = null;
  try {
    policy = validateInto(init, issues);
  } catch (e) {
    // Only an exotic input (a Proxy trapping everything) gets here; the policy is refused.
    issues.add('policy-unreadable', '', `corset: the policy could not be read: ${errorText(e)}`);
  }
  return { policy: issues.errors === 0 ? policy : null, issues: issues.list };
}

function validateInto(init: unknown, issues: Issues): ValidatedPolicy | null {
  if (init === null || typeof init !== 'object' || Array.isArray(init) || init instanceof RegExp) {
    issues.add(
      'policy-not-object',
      '',
      `corset: the policy must be an object such as { origins: ['https://example.com'] }, got ${describeType(init)}`,
    );
    return null;
  }

  // Unknown keys first: a typo explains the errors that follow (`origin` makes `origins` missing).
  let keys: string[] = [];
  try {
    keys = Object.keys(init);
  } catch (e) {
    issues.add('policy-unreadable', '', `corset: the policy's keys could not be listed: ${errorText(e)}`);
  }
  for (const key of keys) {
    if (!KNOWN_OPTION_SET.has(key)) issues.add('unknown-option', key, unknownOptionMessage(key));
  }

  const raw = new Map<OptionName, unknown>();
  for (const key of KNOWN_OPTIONS) {
    try {
      raw.set(key, (init as Record<string, unknown>)[key]);
    } catch (e) {
      issues.add('policy-unreadable', key, `corset: ${key}: reading it threw: ${errorText(e)}`);
    }
  }

  // Flags first: the other checks depend on them.
  const credentials = readBoolean(raw, 'credentials', issues);
  const allowNullOrigin = readBoolean(raw, 'allowNullOrigin', issues);
  const allowInsecureOrigins = readBoolean(raw, 'allowInsecureOrigins', issues);
  const allowPublicSuffixWildcards = readBoolean(raw, 'allowPublicSuffixWildcards', issues);
  const allowUnanchoredRegExp = readBoolean(raw, 'allowUnanchoredRegExp', issues);
  const privateNetwork = readBoolean(raw, 'privateNetwork', issues);
  warnDangerous(allowNullOrigin, 'allowNullOrigin', 'any page can send `Origin: null` (a sandboxed iframe, a data: URL, some redirects), so allowing it allows everyone who asks that way', issues);
  warnDangerous(allowInsecureOrigins, 'allowInsecureOrigins', 'an http:// origin can be impersonated by anyone on the network path, and here it is given credentials', issues);
  warnDangerous(allowPublicSuffixWildcards, 'allowPublicSuffixWildcards', 'a wildcard over a public suffix allows sites owned by strangers (anyone can register a.github.io)', issues);

  warnDangerous(allowUnanchoredRegExp, 'allowUnanchoredRegExp', `an unanchored RegExp also matches look-alike origins (/example\\.com$/ matches https://evilexample.com)${credentials ? '; with credentials it has no effect: unanchored RegExps are refused' : ''}`, issues);

  // origins
  const originsValue = raw.get('origins');
  const hasCredentialedOrigins = raw.get('credentialedOrigins') !== undefined;
  const context: OriginContext = { credentials, allowNullOrigin, allowInsecureOrigins, allowPublicSuffixWildcards, allowUnanchoredRegExp };
  let origins: OriginSet | null = null;
  if (originsValue === undefined) {
    if (raw.has('origins')) {
      issues.add(
        'origins-missing',
        'origins',
        "corset: origins is required: list the origins to allow, e.g. origins: ['https://app.example.com'], or write origins: '*' for a public resource",
      );
    }
  } else if (originsValue === '*') {
    origins = { kind: 'any' };
    if (credentials) {
      issues.add(
        'wildcard-with-credentials',
        'origins',
        `corset: origins: "*" with credentials: true: for security reasons, credentials are never given to every origin (browsers refuse \`Access-Control-Allow-Origin: *\` with credentials, and reflecting any origin instead lets every site read your users' data); list the origins, or keep origins: '*' and name the trusted ones in credentialedOrigins`,
      );
    }
  } else if (Array.isArray(originsValue)) {
    const rules = validateOriginList(originsValue, 'origins', context, true, issues);
    if (rules !== null) origins = { kind: 'list', rules };
  } else if (typeof originsValue === 'string') {
    issues.add(
      'invalid-type',
      'origins',
      `corset: origins: ${quote(originsValue)} is a string: origins is '*' or an array of patterns; write origins: [${quote(originsValue)}]`,
    );
  } else {
    issues.add('invalid-type', 'origins', `corset: origins must be '*' or an array of patterns, got ${describeType(originsValue)}`);
  }

  // credentialedOrigins (the tiered policy)
  let credentialedOrigins: readonly OriginRule[] | null = null;
  if (hasCredentialedOrigins) {
    const value = raw.get('credentialedOrigins');
    if (originsValue !== '*') {
      issues.add(
        'credentialed-origins-without-wildcard',
        'credentialedOrigins',
        "corset: credentialedOrigins is for a tiered policy: origins: '*' lets any origin read without credentials, and these origins alone get them; with an origins list, set credentials: true and put the origins there",
      );
    }
    if (Array.isArray(value)) {
      credentialedOrigins = validateOriginList(value, 'credentialedOrigins', { ...context, credentials: true }, false, issues);
    } else {
      issues.add('invalid-type', 'credentialedOrigins', `corset: credentialedOrigins must be an array of origin patterns, got ${describeType(value)}`);
    }
  }
  const tiered = hasCredentialedOrigins && originsValue === '*';

  // methods and headers
  const methods = validateNames(raw.get('methods'), 'methods', credentials, tiered, issues);
  const allowHeaders = validateNames(raw.get('allowHeaders'), 'allowHeaders', credentials, tiered, issues);
  const exposeHeaders = validateNames(raw.get('exposeHeaders'), 'exposeHeaders', credentials, tiered, issues);

  const maxAge = validateMaxAge(raw.get('maxAge'), issues);
  const preflightStatus = validateStatus(raw.get('preflightStatus'), 'preflightStatus', issues);
  const deniedPreflightStatus = validateStatus(raw.get('deniedPreflightStatus'), 'deniedPreflightStatus', issues);
  const engine = validateEngine(raw.get('engine'), issues);

  if (
    issues.errors > 0 ||
    origins === null ||
    methods === null ||
    allowHeaders === null ||
    exposeHeaders === null ||
    preflightStatus === null ||
    deniedPreflightStatus === null ||
    engine === null ||
    maxAge === undefined
  ) {
    return null;
  }
  return Object.freeze({
    origins: Object.freeze(origins),
    credentials,
    credentialedOrigins,
    methods,
    allowHeaders,
    exposeHeaders,
    maxAge,
    privateNetwork,
    preflightStatus,
    deniedPreflightStatus,
    allowNullOrigin,
    engine,
  });
}
