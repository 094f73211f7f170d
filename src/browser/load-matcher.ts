// loadMatcher: the browser half of the precompiled path (the server half is exportMatcher in
// src/policy/export.ts). The matcher bundle has no policy validator, so it runs only rules that a
// validator produced, and checks, strictly and cheaply, that each rule it is given has a form
// the strict pattern parser (src/policy/pattern.ts) could have produced:
//   - the exact shape of version 1: known keys only, the right types, `index` equal to the rule's
//     position, `null` rules only with allowNullOrigin, RegExps only in `origins`;
//   - scheme http or https; a port that is the default, `:*`, or a non-default 0-65535;
//   - hosts: the shortest host the rule matches (the exact host; `x.` + suffix; the glob's label
//     with `*` standing for `x`) put in an origin must be a canonical serialized origin (the URL
//     parser gives it back unchanged: lower case, punycode, IPv4 and IPv6 in their one form),
//     with DNS limits (labels 1-63, host 253, 254 with a trailing dot); a wildcard's fixed part
//     is never empty; a glob's label holds `[a-z0-9-]` around `*`, not both empty, not `xn--`,
//     at most 63 characters.
// Anything else throws an Error (a TypeError for a non-object) beginning `corset: loadMatcher`.
// So an edited export can name other origins, but no rule can be made to match more than the
// pattern it reads as (test/matcher-export.test.ts: every rule loadMatcher accepts is a fixed
// point of the strict parser).
//
// The returned matcher answers exactly as the CorsPolicy that compilePolicy makes from the same
// init (src/policy/compile.ts, `resolve`): a tiered policy names the credentialed entry first,
// then `*` for any canonical tuple origin; a list names its earliest entry.
import type { ExportedMatcher } from '../policy/export.js';
import type { HostSpec, OriginMatcher, OriginRule, PortSpec } from '../policy/rules.js';
import { createMatcher } from '../engine/select.js';
import { createOriginAnswers } from '../policy/origin-answers.js';
import { describeType, isCanonicalTupleOrigin } from '../origin/origin.js';
import { MAX_HOST_LENGTH, MAX_LABEL_LENGTH, MAX_ORIGIN_LENGTH } from '../origin/limits.js';

/** The origin-matching half of a CorsPolicy (DESIGN.md), for a page. */
export interface OriginMatcherPolicy {
  readonly engine: 'wasm' | 'js';
  isOriginAllowed(origin: string): boolean;
  matchOrigin(origin: string): string | null;
  matchOrigins(origins: readonly string[]): Uint8Array;
}

export interface LoadMatcherOptions {
  /** Overrides the exported policy's `engine` (as `compilePolicy`'s `engine` option does). */
  readonly engine?: 'auto' | 'wasm' | 'js';
}

/** src/policy/pattern.ts MAX_PATTERN_LENGTH: no pattern source is longer (a test holds them equal). */
export const MAX_SOURCE_LENGTH = 1024;

const WHERE = 'corset: loadMatcher(exported): ';

function fail(path: string, why: string): never {
  throw new Error(`${WHERE}${path} ${why}; make it with exportMatcher() or \`corset compile\`, do not edit it`);
}

/** `value` as an object with exactly `keys` keys (JSON: no more, no fewer; 0: any); fails otherwise. */
function record(value: unknown, path: string, keys = 0): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `is ${describeType(value)}, not an object`);
  if (keys > 0 && Object.keys(value).length !== keys) fail(path, `does not have exactly ${keys} keys`);
  return value as Record<string, unknown>;
}

/** A value for a message: a string quoted (its start only), a number or boolean, or its type. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : describeType(value);
}

function oneOf<T extends string | number | boolean>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(path, `is ${show(value)}, not ${allowed.map(show).join(' or ')}`);
  return value as T;
}

/** A string of at most `max` characters (pattern sources and hosts; a RegExp has no cap, as in a policy). */
function text(value: unknown, path: string, max = MAX_SOURCE_LENGTH): string {
  if (typeof value !== 'string' || value.length > max) fail(path, `is not a string of at most ${max} characters`);
  return value;
}

/** Lower-case letters, digits and `-`: what a glob's label holds around its `*`. */
const LDH = /^[a-z0-9-]*$/;

/**
 * DNS limits on a serialized host (RFC 1035 §2.3.4, DESIGN.md "Origin patterns"): labels of 1 to
 * 63 characters, at most 253 (254 with one trailing dot). IP addresses have no labels.
 */
function withinDnsLimits(host: string): boolean {
  if (host[0] === '[' || /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(host)) return true;
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  return bare.length <= MAX_HOST_LENGTH && bare.split('.').every((label) => label.length > 0 && label.length <= MAX_LABEL_LENGTH);
}

function checkHost(value: unknown, path: string): { spec: HostSpec; shortest: string } {
  const o = record(value, path);
  const kind = oneOf(o['kind'], `${path}.kind`, ['exact', 'subdomains', 'glob'] as const);
  if (kind === 'exact') {
    const host = text(record(o, path, 2)['host'], `${path}.host`);
    return { spec: { kind, host }, shortest: host };
  }
  if (kind === 'subdomains') {
    const suffix = text(record(o, path, 2)['suffix'], `${path}.suffix`);
    if (suffix === '' || suffix === '.') fail(`${path}.suffix`, 'is empty');
    return { spec: { kind, suffix }, shortest: `x.${suffix}` };
  }
  const g = record(o, path, 5);
  const left = text(g['left'], `${path}.left`);
  const prefix = text(g['prefix'], `${path}.prefix`);
  const suffix = text(g['suffix'], `${path}.suffix`);
  const right = text(g['right'], `${path}.right`);
  // (The label's length, at most 63 with `*` standing for one character, is checked on the
  // shortest host below.)
  if (!LDH.test(prefix) || !LDH.test(suffix) || prefix + suffix === '' || prefix.startsWith('xn--')) {
    fail(path, 'is not [a-z0-9-] around "*" (not both empty, not "xn--")');
  }
  if (right === '' || right === '.') fail(`${path}.right`, 'is empty');
  return { spec: { kind, left, prefix, suffix, right }, shortest: `${left === '' ? '' : `${left}.`}${prefix}x${suffix}.${right}` };
}

function checkPort(value: unknown, path: string): PortSpec {
  const o = record(value, path);
  const kind = oneOf(o['kind'], `${path}.kind`, ['default', 'exact', 'any'] as const);
  if (kind !== 'exact') {
    record(o, path, 1);
    return { kind };
  }
  const port = record(o, path, 2)['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail(`${path}.port`, 'is not an integer from 0 to 65535');
  return { kind, port };
}

/** One rule, checked and copied (the engines get fresh objects, never the caller's). */
function checkRule(value: unknown, path: string, index: number, allowNull: boolean, allowRegExp: boolean): OriginRule {
  const o = record(value, path);
  const kind = oneOf(o['kind'], `${path}.kind`, ['tuple', 'null', 'regexp'] as const);
  const r = record(o, path, kind === 'tuple' ? 6 : kind === 'null' ? 3 : 5);
  if (r['index'] !== index) fail(`${path}.index`, `is ${show(r['index'])}, not its position ${index}`);
  const source = text(r['source'], `${path}.source`, kind === 'regexp' ? Infinity : MAX_SOURCE_LENGTH);
  if (kind === 'null') {
    if (!allowNull || source !== 'null') fail(path, 'is a null rule without allowNullOrigin, or not "null"');
    return { kind, index, source };
  }
  if (kind === 'regexp') {
    if (!allowRegExp) fail(path, 'is a RegExp (refused in credentialedOrigins)');
    const pattern = text(r['pattern'], `${path}.pattern`, Infinity);
    const flags = text(r['flags'], `${path}.flags`);
    if (!/^[dimsuv]*$/.test(flags)) fail(`${path}.flags`, `is ${show(flags)}, not [dimsuv]*`);
    let regexp: RegExp;
    try {
      regexp = new RegExp(pattern, flags);
    } catch (err) {
      fail(`${path}.pattern`, 'does not compile here');
    }
    return { kind, index, source, regexp };
  }
  const scheme = oneOf(r['scheme'], `${path}.scheme`, ['http', 'https'] as const);
  const port = checkPort(r['port'], `${path}.port`);
  const { spec: host, shortest } = checkHost(r['host'], `${path}.host`);
  // The shortest host it matches, in an origin: the URL parser must give it back unchanged (HTML
  // §7.1.1 serialization of an origin, via URL §3.5 host parsing), and within DNS limits.
  const witness = `${scheme}://${shortest}${port.kind === 'exact' ? `:${port.port}` : ''}`;
  // The host must also be the whole host part of that origin (no `:port` of its own; an IPv6
  // address ends at its `]`), and hold no `*` (a code point a host may have, never a pattern).
  const hostPart = shortest[0] === '[' ? shortest.indexOf(']') === shortest.length - 1 : !/[*:]/.test(shortest);
  if (!hostPart || witness.length > MAX_ORIGIN_LENGTH || !withinDnsLimits(shortest) || !isCanonicalTupleOrigin(witness)) {
    fail(`${path}.host`, `makes ${show(witness)}: not a canonical origin within DNS limits`);
  }
  return { kind, index, source, scheme, host, port };
}

function checkRules(value: unknown, path: string, allowNull: boolean, allowRegExp: boolean): OriginRule[] {
  if (!Array.isArray(value)) fail(path, `is ${describeType(value)}, not an array`);
  const rules: OriginRule[] = [];
  for (let i = 0; i < value.length; i++) rules.push(checkRule(value[i], `${path}[${i}]`, i, allowNull, allowRegExp));
  return rules;
}

interface Checked {
  readonly anyOrigin: boolean;
  readonly allowNullOrigin: boolean;
  readonly engine: 'auto' | 'wasm' | 'js';
  readonly rules: OriginRule[];
  readonly credentialedRules: OriginRule[] | null;
}

/** The whole export, checked and copied. */
function checkExport(exported: object, options: LoadMatcherOptions): Checked {
  const e = record(exported, 'the export', 7);
  oneOf(e['format'], 'format', ['corset-matcher'] as const);
  oneOf(e['version'], 'version', [1] as const);
  const anyOrigin = oneOf(e['anyOrigin'], 'anyOrigin', [true, false] as const);
  const allowNullOrigin = oneOf(e['allowNullOrigin'], 'allowNullOrigin', [true, false] as const);
  const engines = ['auto', 'wasm', 'js'] as const;
  const engine = oneOf(e['engine'], 'engine', engines);
  const rules = checkRules(e['origins'], 'origins', allowNullOrigin, true);
  if (anyOrigin === (rules.length > 0)) fail('origins', 'must be [] exactly when anyOrigin is true');
  const credentialedRules = e['credentialedOrigins'] === null ? null : checkRules(e['credentialedOrigins'], 'credentialedOrigins', allowNullOrigin, false);
  if (credentialedRules !== null && (!anyOrigin || credentialedRules.length === 0)) {
    fail('credentialedOrigins', 'must be null, or non-empty with anyOrigin');
  }
  return { anyOrigin, allowNullOrigin, engine: options.engine === undefined ? engine : oneOf(options.engine, 'options.engine', engines), rules, credentialedRules };
}

/**
 * Check an export made by `exportMatcher` (or `corset compile`) and compile its rules with the
 * engine asked for (`'wasm'` throws where WebAssembly cannot run yet: `await ready()` first).
 * Throws an Error beginning `corset: loadMatcher` for anything a validator could not have made.
 */
export function loadMatcher(exported: ExportedMatcher, options: LoadMatcherOptions = {}): OriginMatcherPolicy {
  if (exported === null || typeof exported !== 'object' || Array.isArray(exported)) {
    throw new TypeError(`${WHERE}exported must be the object exportMatcher() returns, got ${describeType(exported)}`);
  }
  let checked: Checked;
  try {
    checked = checkExport(exported, options);
  } catch (err) {
    // A getter or Proxy that throws is refused like any other malformed export.
    if (err instanceof Error && err.message.startsWith(WHERE)) throw err;
    throw new Error(`${WHERE}could not be read (${err instanceof Error ? err.message : describeType(err)})`);
  }
  const { anyOrigin, allowNullOrigin, engine, rules, credentialedRules } = checked;

  // As compilePolicy does: the engine is chosen (and 'wasm' refused where it cannot run) even for
  // origins '*', which has no rules.
  const selected = createMatcher(rules, engine);
  const originsMatcher: OriginMatcher | null = anyOrigin ? null : selected.matcher;
  const credentialedMatcher = credentialedRules === null ? null : createMatcher(credentialedRules, engine).matcher;
  return Object.freeze(
    createOriginAnswers({
      engine: selected.engine,
      origins: originsMatcher === null ? null : { matcher: originsMatcher, rules },
      credentialed: credentialedMatcher === null || credentialedRules === null ? null : { matcher: credentialedMatcher, rules: credentialedRules },
      allowNullOrigin,
    }),
  );
}
