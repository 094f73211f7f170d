// The policy validator: one pass over a CorsPolicyInit that collects every problem at once
// (errors refuse the policy, warnings only advise) and, when there is no error, produces the
// ValidatedPolicy the engines and decide() consume (src/policy/rules.ts).
//
// Untyped callers are expected: any value may arrive as `init` or in any field, getters may
// throw, arrays may be sparse. None of it escapes as an exception; it becomes an issue.
import type { CorsPolicyInit, PolicyIssue } from '../types.js';
import type { HostSpec, OriginRule, OriginSet, PortSpec, TupleRule, ValidatedPolicy } from './rules.js';
import { isForbiddenMethod, isMethodToken, normalizeMethod } from '../fetch/methods.js';
import { isForbiddenRequestHeader, isForbiddenResponseHeaderName, isHeaderName } from '../fetch/header-names.js';
import { CORS_NON_WILDCARD_REQUEST_HEADER_NAME } from '../fetch/header-list.js';
import { registrableDomain } from '../origin/site.js';
import { describeType, makeIssue, quote, type PolicyIssueCode } from './issues.js';
import { formatOriginPattern, parseOriginPattern } from './pattern.js';

/** Every option a CorsPolicyInit may have; any other key is refused (typo protection). */
const KNOWN_OPTIONS = [
  'origins',
  'credentials',
  'credentialedOrigins',
  'methods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'privateNetwork',
  'preflightStatus',
  'deniedPreflightStatus',
  'allowNullOrigin',
  'allowInsecureOrigins',
  'allowPublicSuffixWildcards',
  'engine',
] as const;
type OptionName = (typeof KNOWN_OPTIONS)[number];
const KNOWN_OPTION_SET: ReadonlySet<string> = new Set(KNOWN_OPTIONS);

/** What other CORS middlewares call our options (expressjs/cors, hono, @koa/cors, fastify). */
const OPTION_ALIASES: Readonly<Record<string, OptionName>> = {
  origin: 'origins',
  allowedOrigins: 'origins',
  allowOrigins: 'origins',
  allowMethods: 'methods',
  allowedMethods: 'methods',
  allowedHeaders: 'allowHeaders',
  exposedHeaders: 'exposeHeaders',
  allowCredentials: 'credentials',
  optionsSuccessStatus: 'preflightStatus',
  allowPrivateNetwork: 'privateNetwork',
};

/** Chromium caps `Access-Control-Max-Age` at 2 hours, Firefox at 24 hours. */
export const CHROMIUM_MAX_AGE_CAP = 7200;
export const FIREFOX_MAX_AGE_CAP = 86400;

const DEFAULT_PREFLIGHT_STATUS = 204;
const DEFAULT_DENIED_PREFLIGHT_STATUS = 403;

/** Collects issues in the order they are found. */
class Issues {
  readonly list: PolicyIssue[] = [];
  errors = 0;

  add(code: PolicyIssueCode, path: string, message: string): void {
    const issue = makeIssue(code, path, message);
    if (issue.severity === 'error') this.errors++;
    this.list.push(issue);
  }
}

/** The flags that decide what the origin entries may be. */
interface OriginContext {
  readonly credentials: boolean;
  readonly allowNullOrigin: boolean;
  readonly allowInsecureOrigins: boolean;
  readonly allowPublicSuffixWildcards: boolean;
}

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
  const privateNetwork = readBoolean(raw, 'privateNetwork', issues);
  warnDangerous(allowNullOrigin, 'allowNullOrigin', 'any page can send `Origin: null` (a sandboxed iframe, a data: URL, some redirects), so allowing it allows everyone who asks that way', issues);
  warnDangerous(allowInsecureOrigins, 'allowInsecureOrigins', 'an http:// origin can be impersonated by anyone on the network path, and here it is given credentials', issues);
  warnDangerous(allowPublicSuffixWildcards, 'allowPublicSuffixWildcards', 'a wildcard over a public suffix allows sites owned by strangers (anyone can register a.github.io)', issues);

  // origins
  const originsValue = raw.get('origins');
  const hasCredentialedOrigins = raw.get('credentialedOrigins') !== undefined;
  const context: OriginContext = { credentials, allowNullOrigin, allowInsecureOrigins, allowPublicSuffixWildcards };
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

// ---------------------------------------------------------------------------------------------
// Origins
// ---------------------------------------------------------------------------------------------

/**
 * Validate one list of origin entries (`origins`, or `credentialedOrigins` with credentials on
 * and RegExps refused). Returns the rules, or null when an entry is in error.
 */
function validateOriginList(
  list: readonly unknown[],
  listPath: 'origins' | 'credentialedOrigins',
  context: OriginContext,
  allowRegExp: boolean,
  issues: Issues,
): readonly OriginRule[] | null {
  const before = issues.errors;
  const rules: OriginRule[] = [];
  const n = list.length;
  if (n === 0) {
    issues.add(
      'origins-empty',
      listPath,
      `corset: ${listPath}: [] allows no cross-origin request at all${listPath === 'origins' ? ' (same-origin requests never need CORS)' : ''}; list the origins to allow`,
    );
  }
  for (let i = 0; i < n; i++) {
    const path = `${listPath}[${i}]`;
    let entry: unknown;
    try {
      entry = list[i];
    } catch (e) {
      issues.add('policy-unreadable', path, `corset: ${path}: reading it threw: ${errorText(e)}`);
      continue;
    }
    const rule =
      typeof entry === 'string'
        ? validateOriginString(entry, i, path, context, issues)
        : isRegExp(entry)
          ? allowRegExp
            ? validateOriginRegExp(entry, i, path, context, issues)
            : refuseRegExpWithCredentials(entry, path, issues)
          : refuseOriginType(entry, path, allowRegExp, issues);
    if (rule !== null) rules.push(rule);
  }
  lintDuplicatesAndShadows(rules, listPath, issues);
  return issues.errors === before ? Object.freeze(rules) : null;
}

function refuseOriginType(entry: unknown, path: string, allowRegExp: boolean, issues: Issues): null {
  issues.add(
    'invalid-type',
    path,
    `corset: ${path}: must be an origin pattern string${allowRegExp ? ' or a RegExp' : ''}, got ${describeType(entry)}`,
  );
  return null;
}

function refuseRegExpWithCredentials(entry: RegExp, path: string, issues: Issues): null {
  issues.add(
    'invalid-type',
    path,
    `corset: ${path}: ${quote(entry)} is a RegExp: for security reasons, credentialedOrigins takes exact origins and wildcard patterns only, whose meaning corset can check`,
  );
  return null;
}

function validateOriginString(entry: string, index: number, path: string, context: OriginContext, issues: Issues): OriginRule | null {
  const where = `corset: ${path}: ${quote(entry)}`;
  if (entry === '*') {
    issues.add(
      'wildcard-in-list',
      path,
      path.startsWith('credentialedOrigins')
        ? `${where} is not a pattern: for security reasons, credentials are never given to every origin; list the origins`
        : `${where} inside the list is not a pattern: to allow every origin, write origins: '*' (the whole value)`,
    );
    return null;
  }
  if (entry === 'null') {
    if (!context.allowNullOrigin) {
      issues.add(
        'null-origin',
        path,
        `${where}: for security reasons, the opaque origin is refused unless allowNullOrigin: true: any page can send \`Origin: null\` (a sandboxed iframe, a data: URL, a redirect), so allowing it allows anyone`,
      );
      return null;
    }
    return { kind: 'null', index, source: entry };
  }
  if (entry.length === 4 && entry.toLowerCase() === 'null') {
    issues.add('pattern-unparsable', path, `${where}: the opaque origin is written "null", in lower case, as browsers send it`);
    return null;
  }
  const parsed = parseOriginPattern(entry);
  if ('error' in parsed) {
    issues.add(parsed.error.code, path, `${where} ${parsed.error.message}`);
    return null;
  }
  const rule: TupleRule = { ...parsed.rule, index, source: entry };
  let ok = true;

  // Wildcards over a public suffix (the PSL via tldts, private section included).
  const base = wildcardBase(rule.host);
  if (base !== null && !context.allowPublicSuffixWildcards && isPublicSuffixOrTopLevel(base)) {
    ok = false;
    const written = formatOriginPattern(rule);
    issues.add(
      'public-suffix-wildcard',
      path,
      `${where}: for security reasons, a wildcard may not range over the public suffix ${quote(base)}: anyone can register a name under it (${written} allows sites owned by strangers); name your own domain (https://*.yourname.${base}), or set allowPublicSuffixWildcards: true if every name under it is yours`,
    );
  }

  // http:// with credentials: anyone on the network path can impersonate the origin.
  if (context.credentials && rule.scheme === 'http' && !isLoopbackHost(rule.host) && !context.allowInsecureOrigins) {
    ok = false;
    issues.add(
      'insecure-origin',
      path,
      `${where}: for security reasons, an http:// origin gets no credentials: anyone on the network path can impersonate it and read the response; use https://, or set allowInsecureOrigins: true (loopback hosts such as localhost and 127.0.0.1 are exempt)`,
    );
  }
  return ok ? rule : null;
}

function validateOriginRegExp(entry: RegExp, index: number, path: string, context: OriginContext, issues: Issues): OriginRule | null {
  // Copy first (without g and y): a RegExp-looking object that cannot be copied is refused.
  let regexp: RegExp;
  let source: string;
  let flags: string;
  try {
    source = String(entry.source);
    flags = String(entry.flags);
    regexp = new RegExp(source, flags.replace(/[gy]/g, ''));
  } catch (e) {
    issues.add('invalid-type', path, `corset: ${path}: a RegExp that cannot be copied: ${errorText(e)}`);
    return null;
  }
  const where = `corset: ${path}: ${quote(entry)}`;
  if (!isAnchoredRegExp(source, flags)) {
    issues.add(
      'regexp-unanchored',
      path,
      `${where} is not anchored at both ends${flags.includes('m') ? ' (the m flag makes ^ and $ match at line breaks)' : ''}: it also matches look-alike origins such as https://example.com.evil.net; start it with ^ and end it with $, or use a pattern such as https://*.example.com`,
    );
  }
  if (flags.includes('g') || flags.includes('y')) {
    issues.add(
      'regexp-stateful-flag',
      path,
      `${where} has the ${flags.includes('g') ? 'g' : 'y'} flag: a RegExp with g or y keeps lastIndex between test() calls and would fail every other request; corset uses a copy without them`,
    );
  }
  if (context.credentials) {
    issues.add(
      'regexp-with-credentials',
      path,
      `${where} is given credentials: one loose RegExp exposes your users' data to every origin it matches; prefer exact origins or https://*.example.com patterns, which corset checks`,
    );
  }
  return { kind: 'regexp', index, source: `/${source}/${flags}`, regexp };
}

function isRegExp(value: unknown): value is RegExp {
  return value instanceof RegExp || Object.prototype.toString.call(value) === '[object RegExp]';
}

/**
 * Whether every top-level alternative of a RegExp source starts with `^` and ends with an
 * unescaped `$` (and the `m` flag is off). Groups and character classes are skipped over, so
 * `^(a|b)\.example\.com$` counts as anchored and `^a\.com$|b\.com` does not.
 */
export function isAnchoredRegExp(source: string, flags: string): boolean {
  if (flags.includes('m')) return false;
  const alternatives: [number, number][] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      alternatives.push([start, i]);
      start = i + 1;
    }
  }
  alternatives.push([start, source.length]);
  return alternatives.every(([from, to]) => {
    if (to - from < 2 || source[from] !== '^' || source[to - 1] !== '$') return false;
    let backslashes = 0; // an odd number of backslashes before `$` escapes it
    for (let k = to - 2; k >= from && source[k] === '\\'; k--) backslashes++;
    return backslashes % 2 === 0;
  });
}

/** The fixed domain a wildcard ranges over: `*.S` gives S, a glob gives its right part. */
function wildcardBase(host: HostSpec): string | null {
  if (host.kind === 'subdomains') return host.suffix;
  if (host.kind === 'glob') return host.right;
  return null;
}

/**
 * A domain with no registrable domain of its own (URL §3.2, via the PSL with private domains):
 * a public suffix (`com`, `co.uk`, `github.io`) or a lone unknown top-level label. `localhost`
 * is exempt: its names are all loopback (RFC 6761 §6.3).
 */
function isPublicSuffixOrTopLevel(domain: string): boolean {
  if (isLocalhostName(domain)) return false;
  return registrableDomain(domain) === null;
}

/** `localhost`, `localhost.`, and names under them. */
function isLocalhostName(host: string): boolean {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  return bare === 'localhost' || bare.endsWith('.localhost');
}

/**
 * Secure Contexts §3.1 "Is origin potentially trustworthy?", the loopback steps: the host is in
 * 127.0.0.0/8 or is ::1, or is `localhost`, `localhost.` or a name under them. For a wildcard,
 * every host it matches must be loopback.
 */
function isLoopbackHost(host: HostSpec): boolean {
  switch (host.kind) {
    case 'exact':
      return host.host === '[::1]' || isLocalhostName(host.host) || /^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host.host);
    case 'subdomains':
      return isLocalhostName(host.suffix);
    case 'glob':
      return isLocalhostName(host.right);
  }
}

// ---------------------------------------------------------------------------------------------
// Duplicates and shadowed patterns (warnings)
// ---------------------------------------------------------------------------------------------

/** The normalised form of a rule: two rules with the same key allow the same origins. */
function ruleKey(rule: OriginRule): string {
  switch (rule.kind) {
    case 'null':
      return 'null';
    case 'regexp':
      return `/${rule.regexp.source}/${rule.regexp.flags}`;
    case 'tuple':
      return formatOriginPattern(rule);
  }
}

function lintDuplicatesAndShadows(rules: readonly OriginRule[], listPath: string, issues: Issues): void {
  const first = new Map<string, OriginRule>();
  const unique: TupleRule[] = [];
  for (const rule of rules) {
    const key = ruleKey(rule);
    const earlier = first.get(key);
    if (earlier !== undefined) {
      issues.add(
        'duplicate-pattern',
        `${listPath}[${rule.index}]`,
        `corset: ${listPath}[${rule.index}]: ${quote(rule.source)} is the same pattern as ${listPath}[${earlier.index}] (${quote(earlier.source)}) once normalised to ${quote(key)}: remove one`,
      );
      continue;
    }
    first.set(key, rule);
    if (rule.kind === 'tuple') unique.push(rule);
  }
  // Shadowing: only a wildcard (host or port) can cover another pattern. The wide rules are
  // indexed by the domain they hang from, so each rule looks up only the wide rules whose domain
  // is one of its own label suffixes: linear in the list, not quadratic.
  const wide = new Map<string, TupleRule[]>();
  for (const rule of unique) {
    if (rule.host.kind === 'exact' && rule.port.kind !== 'any') continue;
    const key = wideKey(rule.host);
    const bucket = wide.get(key);
    if (bucket === undefined) wide.set(key, [rule]);
    else bucket.push(rule);
  }
  if (wide.size === 0) return;
  for (const rule of unique) {
    let cover: TupleRule | null = null;
    for (const key of coverKeys(rule.host)) {
      for (const candidate of wide.get(key) ?? []) {
        if (candidate === rule || (cover !== null && candidate.index > cover.index)) continue;
        if (ruleCovers(candidate, rule) && !ruleCovers(rule, candidate)) cover = candidate;
      }
    }
    if (cover === null) continue;
    issues.add(
      'shadowed-pattern',
      `${listPath}[${rule.index}]`,
      `corset: ${listPath}[${rule.index}]: ${quote(rule.source)} is already allowed by ${listPath}[${cover.index}] (${quote(cover.source)}): remove it, or narrow the wider pattern if it allows more than you meant`,
    );
  }
}

/** Where a wide rule is filed: by host (exact with `:*`), suffix (`*.`) or right part (glob). */
function wideKey(host: HostSpec): string {
  switch (host.kind) {
    case 'exact':
      return `e ${host.host}`;
    case 'subdomains':
      return `s ${host.suffix}`;
    case 'glob':
      return `g ${host.right}`;
  }
}

/** The filing keys of every wide rule that could cover `host` (see hostCovers). */
function coverKeys(host: HostSpec): string[] {
  const keys: string[] = [];
  const tail = host.kind === 'exact' ? host.host : host.kind === 'subdomains' ? host.suffix : host.right;
  if (host.kind === 'exact') keys.push(`e ${tail}`);
  if (host.kind === 'glob') keys.push(`g ${tail}`);
  if (host.kind !== 'exact') keys.push(`s ${tail}`);
  for (let dot = tail.indexOf('.'); dot >= 0; dot = tail.indexOf('.', dot + 1)) {
    const parent = tail.slice(dot + 1);
    keys.push(`s ${parent}`);
    if (host.kind === 'exact') keys.push(`g ${parent}`);
  }
  return keys;
}

/** Whether every origin `inner` allows, `outer` allows too. */
export function ruleCovers(outer: TupleRule, inner: TupleRule): boolean {
  return outer.scheme === inner.scheme && portCovers(outer.port, inner.port) && hostCovers(outer.host, inner.host);
}

function portCovers(outer: PortSpec, inner: PortSpec): boolean {
  if (outer.kind === 'any') return true;
  if (outer.kind === 'default') return inner.kind === 'default';
  return inner.kind === 'exact' && inner.port === outer.port;
}

function hostCovers(outer: HostSpec, inner: HostSpec): boolean {
  switch (outer.kind) {
    case 'exact':
      return inner.kind === 'exact' && inner.host === outer.host;
    case 'subdomains': {
      // Every host inner allows is some labels, then a fixed tail; the labels must be DNS labels.
      const tail = inner.kind === 'exact' ? inner.host : inner.kind === 'subdomains' ? inner.suffix : inner.right;
      if (tail === outer.suffix) {
        if (inner.kind === 'exact') return false; // the apex is never covered
        return inner.kind === 'subdomains' || inner.left === '' || areDnsLabels(inner.left);
      }
      if (!tail.endsWith(`.${outer.suffix}`)) return false;
      const head = tail.slice(0, tail.length - outer.suffix.length - 1);
      if (!areDnsLabels(head)) return false;
      return inner.kind !== 'glob' || inner.left === '' || areDnsLabels(inner.left);
    }
    case 'glob': {
      if (inner.kind === 'subdomains') return false;
      if (inner.kind === 'glob') {
        return (
          inner.left === outer.left &&
          inner.right === outer.right &&
          inner.prefix.startsWith(outer.prefix) &&
          inner.suffix.endsWith(outer.suffix)
        );
      }
      return globMatchesHost(outer, inner.host);
    }
  }
}

/** Whether a glob host spec matches one exact host. */
function globMatchesHost(glob: Extract<HostSpec, { kind: 'glob' }>, host: string): boolean {
  const tail = `.${glob.right}`;
  if (!host.endsWith(tail)) return false;
  let rest = host.slice(0, host.length - tail.length);
  if (glob.left !== '') {
    if (!rest.startsWith(`${glob.left}.`)) return false;
    rest = rest.slice(glob.left.length + 1);
  }
  const fixed = glob.prefix.length + glob.suffix.length;
  if (rest.length <= fixed || !rest.startsWith(glob.prefix) || !rest.endsWith(glob.suffix)) return false;
  return isDnsLabel(rest);
}

/** A DNS label as wildcards match it: 1 to 63 characters of [a-z0-9-]. */
function isDnsLabel(label: string): boolean {
  if (label.length === 0 || label.length > 63) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return false;
  }
  return true;
}

function areDnsLabels(labels: string): boolean {
  return labels.split('.').every(isDnsLabel);
}

// ---------------------------------------------------------------------------------------------
// Methods and header names
// ---------------------------------------------------------------------------------------------

type NameListPath = 'methods' | 'allowHeaders' | 'exposeHeaders';

function validateNames(
  value: unknown,
  path: NameListPath,
  credentials: boolean,
  tiered: boolean,
  issues: Issues,
): readonly string[] | '*' | null {
  if (value === undefined) return Object.freeze([]);
  const noun = path === 'methods' ? 'method' : 'header';
  if (value === '*') {
    if (credentials) {
      issues.add(
        'wildcard-with-credentials',
        path,
        `corset: ${path}: "*" with credentials: true: browsers read "*" as a literal ${noun} name in a credentialed response (Fetch, CORS protocol, "HTTP responses"), so it would allow no ${noun} at all; list the ${noun}s`,
      );
      return null;
    }
    if (tiered) {
      issues.add(
        'wildcard-literal-for-credentialed',
        path,
        `corset: ${path}: "*" in a tiered policy: for the credentialedOrigins, browsers read "*" as a literal ${noun} name (Fetch, CORS protocol, "HTTP responses"), so their credentialed requests may use safelisted ${noun}s only; list the ${noun}s to allow them more`,
      );
    }
    return '*';
  }
  if (!Array.isArray(value)) {
    issues.add('invalid-type', path, `corset: ${path} must be '*' or an array of ${noun} names, got ${describeType(value)}`);
    return null;
  }
  const before = issues.errors;
  const out: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const at = `${path}[${i}]`;
    let name: unknown;
    try {
      name = value[i];
    } catch (e) {
      issues.add('policy-unreadable', at, `corset: ${at}: reading it threw: ${errorText(e)}`);
      continue;
    }
    if (typeof name !== 'string') {
      issues.add('invalid-type', at, `corset: ${at}: must be a ${noun} name string, got ${describeType(name)}`);
      continue;
    }
    if (name === '*' && path !== 'methods' && value.length > 1) {
      // `*` beside names (allowHeaders: ['*', 'authorization']): see starBesideNames.
      if (!starBesideNames(path, at, credentials, tiered, issues)) continue;
      if (seen.has('*')) {
        issues.add('duplicate-name', at, `corset: ${at}: "*" is listed already at ${path}[${seen.get('*')}]`);
        continue;
      }
      seen.set('*', i);
      out.push('*');
      continue;
    }
    const normalised = path === 'methods' ? checkMethod(name, at, issues) : checkHeaderName(name, at, path, issues);
    if (normalised === null) continue;
    const earlier = seen.get(normalised);
    if (earlier !== undefined) {
      issues.add(
        'duplicate-name',
        at,
        `corset: ${at}: ${quote(name)} is listed already at ${path}[${earlier}]${normalised === name ? '' : ` (both are ${quote(normalised)})`}`,
      );
      continue;
    }
    seen.set(normalised, i);
    out.push(normalised);
  }
  if (issues.errors !== before) return null;
  if (path !== 'methods' && seen.has('*') && !credentials && !tiered) warnCoveredByStar(out, path, seen, issues);
  return Object.freeze(out);
}

/**
 * `*` together with header names. Without credentials `*` is a wildcard to the browser, and the
 * names say what it does not cover: Fetch §4.8 "CORS-preflight fetch", step 7.6 ("If any item in
 * headerNames is a CORS non-wildcard request-header name and is not a byte-case-insensitive match
 * for an item in headerNames ... return a network error": `*` never covers `Authorization`,
 * Fetch §2.2.2). With credentials `*` is a literal name (Fetch §3.3.3), so it is refused as the
 * whole value is; in a tiered policy the anonymous tier answers `*` plus the names `*` does not
 * cover, and the credentialed origins get the names alone. Whether the entry is kept.
 */
function starBesideNames(path: 'allowHeaders' | 'exposeHeaders', at: string, credentials: boolean, tiered: boolean, issues: Issues): boolean {
  if (credentials && !tiered) {
    issues.add(
      'wildcard-with-credentials',
      at,
      `corset: ${at}: "*" with credentials: true: browsers read "*" as a literal header name in a credentialed response (Fetch, CORS protocol, "HTTP responses"), so it would allow no header at all; list the headers in ${path}`,
    );
    return false;
  }
  return true;
}

/**
 * Names beside `*` that `*` already covers, when every answer is anonymous. allowHeaders: every
 * name but a CORS non-wildcard request-header name (`authorization`, Fetch §2.2.2). exposeHeaders:
 * every name, because with credentials mode other than "include" a `*` exposes every header of
 * the response (Fetch §4.1 "main fetch": "If request's credentials mode is not "include" and
 * headerNames contains `*`, set response's CORS-exposed header-name list to all unique header
 * names in response's header list") except
 * the forbidden response-header names, which no list can expose either (Fetch §2.2.2).
 */
function warnCoveredByStar(names: readonly string[], path: 'allowHeaders' | 'exposeHeaders', seen: ReadonlyMap<string, number>, issues: Issues): void {
  for (const name of names) {
    if (name === '*') continue;
    if (path === 'allowHeaders' && name === CORS_NON_WILDCARD_REQUEST_HEADER_NAME) continue;
    const at = `${path}[${seen.get(name)}]`;
    issues.add(
      'name-covered-by-wildcard',
      at,
      `corset: ${at}: ${quote(name)} is covered by "*" in the same list (without credentials "*" allows every ${path === 'allowHeaders' ? 'request header but authorization' : 'response header'}, Fetch §3.3.3); remove it, or keep it for a tiered policy's credentialedOrigins`,
    );
  }
}

/** A method entry: a token, not forbidden; normalised (Fetch §2.2.1). */
function checkMethod(name: string, at: string, issues: Issues): string | null {
  const where = `corset: ${at}: ${quote(name)}`;
  if (name === '*') {
    issues.add('wildcard-in-list', at, `${where} inside the list is not a method: to allow every method, write methods: '*' (the whole value)`);
    return null;
  }
  if (!isMethodToken(name)) {
    issues.add('invalid-method', at, `${where} is not a method: a method is an HTTP token (RFC 9110 §9.1: letters, digits and !#$%&'*+-.^_\`|~)`);
    return null;
  }
  if (isForbiddenMethod(name)) {
    issues.add(
      'forbidden-method',
      at,
      `${where} is a forbidden method (Fetch §2.2.1): for security reasons, browsers never send CONNECT, TRACE or TRACK, so listing it only hides a mistake; remove it`,
    );
    return null;
  }
  const normalised = normalizeMethod(name);
  if (normalised === name && /[a-z]/.test(name)) {
    issues.add(
      'method-not-normalized',
      at,
      `${where} has lower-case letters and Fetch normalises only DELETE, GET, HEAD, OPTIONS, POST and PUT (Fetch §2.2.1): methods are case-sensitive, so this allows only a page that writes exactly ${quote(name)}; most write ${quote(name.toUpperCase())}`,
    );
  }
  return normalised;
}

/** A header-name entry: a token, lower-cased; refusing what browsers never send or expose. */
function checkHeaderName(name: string, at: string, path: 'allowHeaders' | 'exposeHeaders', issues: Issues): string | null {
  const where = `corset: ${at}: ${quote(name)}`;
  if (name === '*') {
    issues.add('wildcard-in-list', at, `${where} inside the list is not a header name: to allow every header, write ${path}: '*' (the whole value)`);
    return null;
  }
  if (!isHeaderName(name)) {
    issues.add('invalid-header-name', at, `${where} is not a header name: a header name is an HTTP token (RFC 9110 §5.1: letters, digits and !#$%&'*+-.^_\`|~, no spaces or colons)`);
    return null;
  }
  if (path === 'allowHeaders' && isForbiddenRequestHeader(name, '')) {
    const cookie = /^cookie2?$/i.test(name) ? ' (cookies travel with credentials: true, not as an allowed header)' : '';
    issues.add(
      'forbidden-request-header',
      at,
      `${where} is a forbidden request-header (Fetch §2.2.2): browsers never let a page set it, so it never appears in a preflight${cookie}; remove it`,
    );
    return null;
  }
  if (path === 'exposeHeaders' && isForbiddenResponseHeaderName(name)) {
    issues.add(
      'forbidden-response-header',
      at,
      `${where} is a forbidden response-header name (Fetch §2.2.2): for security reasons, browsers never expose cookies to scripts, whatever the server says; remove it`,
    );
    return null;
  }
  return name.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

function readBoolean(raw: ReadonlyMap<OptionName, unknown>, key: OptionName, issues: Issues): boolean {
  const value = raw.get(key);
  if (value === undefined || value === true || value === false) return value === true;
  issues.add('invalid-type', key, `corset: ${key} must be true or false, got ${quote(value)}`);
  return false;
}

function warnDangerous(on: boolean, key: OptionName, why: string, issues: Issues): void {
  if (on) issues.add('dangerous-option', key, `corset: ${key}: true is dangerous: ${why}; keep it only if you mean it`);
}

/** `maxAge`: null when absent, the number when valid, undefined when in error. */
function validateMaxAge(value: unknown, issues: Issues): number | null | undefined {
  if (value === undefined) return null;
  if (typeof value !== 'number') {
    issues.add('invalid-type', 'maxAge', `corset: maxAge must be a number of seconds, got ${describeType(value)}`);
    return undefined;
  }
  if (!Number.isInteger(value) || value < 0) {
    issues.add(
      'invalid-max-age',
      'maxAge',
      `corset: maxAge: ${quote(value)} is not a non-negative integer: Access-Control-Max-Age is a whole number of seconds (Fetch, CORS protocol, "HTTP responses"); 0 disables caching`,
    );
    return undefined;
  }
  if (value > FIREFOX_MAX_AGE_CAP) {
    issues.add(
      'max-age-capped',
      'maxAge',
      `corset: maxAge: ${value} is more than browsers honour: Firefox caps preflight caching at ${FIREFOX_MAX_AGE_CAP} s (24 h) and Chromium at ${CHROMIUM_MAX_AGE_CAP} s (2 h)`,
    );
  } else if (value > CHROMIUM_MAX_AGE_CAP) {
    issues.add(
      'max-age-capped',
      'maxAge',
      `corset: maxAge: ${value} is more than Chromium honours: it caps preflight caching at ${CHROMIUM_MAX_AGE_CAP} s (2 h); Firefox allows up to ${FIREFOX_MAX_AGE_CAP} s`,
    );
  }
  return value === 0 ? 0 : value; // -0 becomes 0
}

function validateStatus(value: unknown, key: 'preflightStatus' | 'deniedPreflightStatus', issues: Issues): number | null {
  const fallback = key === 'preflightStatus' ? DEFAULT_PREFLIGHT_STATUS : DEFAULT_DENIED_PREFLIGHT_STATUS;
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    issues.add('invalid-type', key, `corset: ${key} must be an HTTP status number, got ${describeType(value)}`);
    return null;
  }
  if (key === 'preflightStatus') {
    if (!Number.isInteger(value) || value < 200 || value > 299) {
      issues.add(
        'preflight-status-not-ok',
        key,
        `corset: preflightStatus: ${quote(value)} is not an ok status (200-299): a browser fails a preflight whose status is not ok (Fetch, "CORS-preflight fetch", step 7); use 204 or 200`,
      );
      return null;
    }
    return value;
  }
  if (!Number.isInteger(value) || value < 200 || value > 599) {
    issues.add(
      'invalid-status',
      key,
      `corset: deniedPreflightStatus: ${quote(value)} is not a final HTTP status (an integer from 200 to 599); the default is 403`,
    );
    return null;
  }
  return value;
}

function validateEngine(value: unknown, issues: Issues): 'auto' | 'wasm' | 'js' | null {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'wasm' || value === 'js') return value;
  if (typeof value !== 'string') {
    issues.add('invalid-type', 'engine', `corset: engine must be 'auto', 'wasm' or 'js', got ${describeType(value)}`);
    return null;
  }
  const lower = value.toLowerCase();
  const hint = lower === 'auto' || lower === 'wasm' || lower === 'js' ? `; did you mean ${quote(lower)}?` : '';
  issues.add('unknown-engine', 'engine', `corset: engine: ${quote(value)} is not an engine: use 'auto' (the default), 'wasm' or 'js'${hint}`);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

function unknownOptionMessage(key: string): string {
  const suggestion = suggestOption(key);
  const hint = suggestion !== null ? `did you mean ${quote(suggestion)}?` : `the options are ${KNOWN_OPTIONS.join(', ')}`;
  return `corset: ${quote(key)} is not a corset option, and corset refuses what it does not understand: ${hint}`;
}

/** The known option a mistyped key most likely means: an alias, a case slip, or a near spelling. */
export function suggestOption(key: string): OptionName | null {
  if (Object.prototype.hasOwnProperty.call(OPTION_ALIASES, key)) return OPTION_ALIASES[key] ?? null;
  if (key.length > 64) return null;
  const lower = key.toLowerCase();
  let best: OptionName | null = null;
  let bestDistance = 3; // at most 2 edits
  for (const option of KNOWN_OPTIONS) {
    if (option.toLowerCase() === lower) return option;
    const d = editDistance(lower, option.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = option;
    }
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute), two rows. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function errorText(e: unknown): string {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an unprintable exception';
  }
}
