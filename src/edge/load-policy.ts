// loadPolicy: the edge half of a policy compiled ahead of time (the other half is exportPolicy,
// src/policy/export-policy.ts; the format is in src/policy/policy-data.ts). It carries no
// validator, no pattern parser, no re2js and no Public Suffix List: those ran where the policy was
// exported. What it checks, strictly and cheaply, before any engine runs:
//   - the format tag and version, then the integrity field against the policy as given (an edit
//     or a damaged file is refused, so a check only the validator can run is not slipped past);
//   - the exact shape: known keys only, the right types;
//   - every origin entry as loadMatcher checks it (src/policy/exported-rules.ts): a pattern the
//     strict parser reads back as itself, `'null'` only with allowNullOrigin, no RegExp;
//   - every invariant decide() relies on, as the validator would have made it: no `*` origins,
//     methods or headers with credentials; credentialedOrigins only with origins '*'; methods
//     tokens, normalised (Fetch §2.2.1), not forbidden, unique; header names lower-case tokens,
//     unique, not forbidden (Fetch §2.2.2), `*` beside names only without credentials; maxAge a
//     non-negative integer or null; preflightStatus ok (200-299), deniedPreflightStatus final.
// Anything else throws an Error beginning `corset: loadPolicy(data): ` (a TypeError for a
// non-object), never a crash later and never a policy that answers otherwise than the exported one.
import type { CorsPolicy } from '../types.js';
import type { OriginRule, ValidatedPolicy } from '../policy/rules.js';
import { describeType } from '../arguments.js';
import { compileValidated } from '../compile/compile-validated.js';
import { checkRules, fail, isShapeError, oneOf, record } from '../policy/exported-rules.js';
import { POLICY_BODY_KEYS, POLICY_FORMAT, POLICY_FORMAT_VERSION, policyIntegrity, type ExportedPolicy } from '../policy/policy-data.js';
import { isForbiddenMethod, isToken, normalizeMethod } from '../fetch/methods.js';
import { isForbiddenRequestHeader, isForbiddenResponseHeaderName } from '../fetch/header-names.js';

/** The options of `loadPolicy`. */
export interface LoadPolicyOptions {
  /** Overrides the exported policy's `engine` (as `compilePolicy`'s `engine` option does). */
  readonly engine?: 'auto' | 'wasm' | 'js';
}

const WHERE = 'corset: loadPolicy(data): ';
const HOW = 'make it with exportPolicy() or `corset compile --format policy`, do not edit it';
const ENGINES = ['auto', 'wasm', 'js'] as const;
const NO_REGEXP = 'a loaded policy runs no RegExp; exportPolicy refuses one';

/** A name list: '*' (never with credentials), or unique names each `check` accepts. */
function names(value: unknown, path: string, credentials: boolean, check: (name: string, at: string) => void, starBeside: boolean): readonly string[] | '*' {
  if (value === '*') {
    if (credentials) fail(path, 'is "*" with credentials (browsers read it as a literal name)');
    return '*';
  }
  if (!Array.isArray(value)) fail(path, `is ${describeType(value)}, not "*" or an array`);
  const seen = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const at = `${path}[${i}]`;
    const name: unknown = value[i];
    if (typeof name !== 'string') fail(at, `is ${describeType(name)}, not a string`);
    if (seen.has(name)) fail(at, 'is listed twice');
    seen.add(name);
    if (name === '*') {
      // Fetch §4.8 step 7.6: `*` beside names, a wildcard only without credentials.
      if (!starBeside || credentials || value.length < 2) fail(at, 'is "*" where it cannot stand (alone in the list, with credentials, or in methods)');
    } else {
      if (!isToken(name)) fail(at, 'is not an HTTP token');
      check(name, at);
    }
  }
  return Object.freeze(value.slice() as string[]);
}

function method(name: string, at: string): void {
  if (isForbiddenMethod(name) || normalizeMethod(name) !== name) fail(at, 'is a forbidden method or not normalised (Fetch §2.2.1)');
}

function lowerCase(name: string, at: string): void {
  if (name !== name.toLowerCase()) fail(at, 'is not lower case');
}

function status(value: unknown, path: string, low: number, high: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) fail(path, `is ${describeType(value)}, not an integer from ${low} to ${high}`);
  return value;
}

/** The exported policy as the validated policy it was made from; fails on anything else. */
function checkPolicy(data: object, options: LoadPolicyOptions): ValidatedPolicy {
  const d = record(data, 'data', 'format,integrity,policy,version');
  oneOf(d['format'], 'format', [POLICY_FORMAT] as const);
  oneOf(d['version'], 'version', [POLICY_FORMAT_VERSION] as const);
  if (typeof d['integrity'] !== 'string' || d['integrity'] !== policyIntegrity(d['policy'])) {
    fail('integrity', 'does not match the policy (it was edited or damaged after export)');
  }
  const p = record(d['policy'], 'policy', POLICY_BODY_KEYS);
  const bool = (key: string): boolean => oneOf(p[key], `policy.${key}`, [true, false] as const);
  const credentials = bool('credentials');
  const allowNullOrigin = bool('allowNullOrigin');
  const originsValue = p['origins'];
  let rules: OriginRule[] | null = null;
  if (originsValue === '*') {
    if (credentials) fail('policy.origins', 'is "*" with credentials');
  } else rules = checkRules(originsValue, 'policy.origins', allowNullOrigin, NO_REGEXP, true);
  const credentialedValue = p['credentialedOrigins'];
  let credentialedOrigins: OriginRule[] | null = null;
  if (credentialedValue !== null) {
    if (rules !== null) fail('policy.credentialedOrigins', 'must be null unless origins is "*"');
    credentialedOrigins = checkRules(credentialedValue, 'policy.credentialedOrigins', allowNullOrigin, NO_REGEXP, true);
  }
  const maxAge = p['maxAge'];
  if (maxAge !== null && (typeof maxAge !== 'number' || !Number.isInteger(maxAge) || maxAge < 0)) fail('policy.maxAge', 'is not null or a non-negative integer');
  const engine = oneOf(p['engine'], 'policy.engine', ENGINES);
  return Object.freeze({
    origins: Object.freeze(rules === null ? { kind: 'any' as const } : { kind: 'list' as const, rules }),
    credentials,
    credentialedOrigins,
    methods: names(p['methods'], 'policy.methods', credentials, method, false),
    allowHeaders: names(p['allowHeaders'], 'policy.allowHeaders', credentials, (name, at) => {
      lowerCase(name, at);
      if (isForbiddenRequestHeader(name, '')) fail(at, 'is a forbidden request-header (Fetch §2.2.2)');
    }, true),
    exposeHeaders: names(p['exposeHeaders'], 'policy.exposeHeaders', credentials, (name, at) => {
      lowerCase(name, at);
      if (isForbiddenResponseHeaderName(name)) fail(at, 'is a forbidden response-header name (Fetch §2.2.2)');
    }, true),
    maxAge: maxAge as number | null,
    privateNetwork: bool('privateNetwork'),
    preflightStatus: status(p['preflightStatus'], 'policy.preflightStatus', 200, 299),
    deniedPreflightStatus: status(p['deniedPreflightStatus'], 'policy.deniedPreflightStatus', 200, 599),
    allowNullOrigin,
    engine: options.engine === undefined ? engine : oneOf(options.engine, 'options.engine', ENGINES),
  });
}

/**
 * Check a policy exported by `exportPolicy` (or `corset compile --format policy`) and compile it,
 * without the validator: the returned CorsPolicy decides exactly as `compilePolicy` would on the
 * init it was exported from. Throws an Error beginning `corset: loadPolicy(data): ` for anything
 * an exporter could not have written, and, as compilePolicy does, when `engine: 'wasm'` cannot run.
 */
export function loadPolicy(data: ExportedPolicy, options: LoadPolicyOptions = {}): CorsPolicy {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError(`${WHERE}data must be the object exportPolicy() returns (the JSON of \`corset compile --format policy\`), got ${describeType(data)}`);
  }
  let validated: ValidatedPolicy;
  try {
    validated = checkPolicy(data, options === null || typeof options !== 'object' ? {} : options);
  } catch (err) {
    if (isShapeError(err)) throw new Error(`${WHERE}${err.message}; ${HOW}`);
    // A getter or Proxy that throws is refused like any other malformed data.
    throw new Error(`${WHERE}could not be read (${err instanceof Error ? err.message : describeType(err)})`);
  }
  return compileValidated(validated);
}
