// loadMatcher: the browser half of the precompiled path (the server half is exportMatcher in
// src/policy/export.ts, which says what the format is). The matcher bundle has no policy
// validator, so it runs only rules that a validator produced, and checks, strictly and cheaply,
// that each entry it is given is a pattern the strict pattern parser (src/policy/pattern.ts)
// reads back as itself:
//   - the exact shape of version 2: known keys only, the right types, `'null'` entries only with
//     allowNullOrigin, RegExps only in `origins`;
//   - an app or extension origin (`capacitor://localhost`) is exact and canonical
//     (src/origin/app-origin.ts), written as a string that is also its source;
//   - a pattern is `http` or `https`, `://`, a host, and optionally `:*` or `:` and a port;
//   - its host holds at most one `*`: a leading `*.` (subdomains), or one `*` in one label with
//     `[a-z0-9-]` around it (a glob: not both sides empty, not `xn--`), never in the last label;
//   - the origin it matches with the shortest host (the `*` as `x`) must be a canonical serialized
//     origin (the URL parser gives it back unchanged: lower case, punycode, IPv4 and IPv6 in their
//     one form, no default port, a port of at most 65535), within DNS limits (labels 1-63, host
//     253, 254 with a trailing dot).
// Anything else throws an Error (a TypeError for a non-object) beginning `corset: loadMatcher`.
// So an edited export can name other origins, but no entry can be made to match more than the
// pattern it reads as (test/matcher-export.test.ts: every pattern loadMatcher accepts is a fixed
// point of the strict parser).
//
// The returned matcher answers exactly as the CorsPolicy that compilePolicy makes from the same
// init (src/compile.ts, `resolve`): a tiered policy names the credentialed entry first,
// then `*` for any canonical tuple origin; a list names its earliest entry.
import type { ExportedMatcher } from '../policy/export.js';
import type { HostSpec, OriginMatcher, OriginRule, PortSpec, TupleRule } from '../policy/rules.js';
import { createMatcher } from '../engine/select.js';
import { createOriginAnswers } from '../policy/origin-answers.js';
import { describeType } from '../arguments.js';
import { isCanonicalTupleOrigin, isIpAddressHost } from '../origin/origin.js';
import { isCanonicalAppOrigin } from '../origin/app-origin.js';
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

/** `value` as an object with exactly the keys `keys` (sorted, comma-separated); fails otherwise. */
function record(value: unknown, path: string, keys: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `is ${describeType(value)}, not an object`);
  if (Object.keys(value).sort().join() !== keys) fail(path, `does not have exactly the keys ${keys}`);
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

/** A string of at most `max` characters (patterns and sources; a RegExp has no cap, as in a policy). */
function text(value: unknown, path: string, max = MAX_SOURCE_LENGTH): string {
  if (typeof value !== 'string' || value.length > max) fail(path, `is not a string of at most ${max} characters`);
  return value;
}

/**
 * DNS limits on a serialized host (RFC 1035 §2.3.4, DESIGN.md "Origin patterns"): labels of 1 to
 * 63 characters, at most 253 (254 with one trailing dot). IP addresses have no labels.
 */
function withinDnsLimits(host: string): boolean {
  if (isIpAddressHost(host)) return true;
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  return bare.length <= MAX_HOST_LENGTH && bare.split('.').every((label) => label.length > 0 && label.length <= MAX_LABEL_LENGTH);
}

/** scheme, `://`, a host (bracketed IPv6, or no `:`), then `:*`, a `:port`, or nothing. */
const PATTERN = /^(https?):\/\/(\[[^\]]*\]|[^:]*)(?::(\*|[0-9]+))?$/;
/** Lower-case letters, digits and `-`: what a glob's label holds around its `*`. */
const LDH = /^[a-z0-9-]*$/;

/**
 * A pattern in normal form (src/policy/pattern.ts formatOriginPattern) as the rule the strict
 * parser reads it as; fails on anything that parser would not give back unchanged.
 */
export function parseExportedPattern(pattern: string, path: string): Omit<TupleRule, 'index' | 'source'> {
  const m = PATTERN.exec(pattern);
  if (m === null) fail(path, `is ${show(pattern)}, not http(s)://host[:port] or :*`);
  const scheme = m[1] as 'http' | 'https';
  const h = m[2] as string;
  const portText = m[3];
  const port: PortSpec = portText === undefined ? { kind: 'default' } : portText === '*' ? { kind: 'any' } : { kind: 'exact', port: Number(portText) };
  const star = h.indexOf('*');
  let host: HostSpec;
  /** The part a wildcard or glob hangs from, which must name something (not '' or '.'). */
  let over: string | null = null;
  if (star < 0) host = { kind: 'exact', host: h };
  else if (star !== h.lastIndexOf('*')) fail(path, 'has more than one "*"');
  else if (star === 0 && h[1] === '.') host = { kind: 'subdomains', suffix: (over = h.slice(2)) };
  else {
    // One label holds the `*`: left.prefix*suffix.right.
    const start = h.lastIndexOf('.', star) + 1;
    const end = h.indexOf('.', star);
    const prefix = h.slice(start, star);
    const suffix = h.slice(star + 1, end < 0 ? h.length : end);
    if (!LDH.test(prefix) || !LDH.test(suffix) || prefix + suffix === '' || prefix.startsWith('xn--')) {
      fail(path, 'is not [a-z0-9-] around "*" (not both empty, not "xn--")');
    }
    over = end < 0 ? '' : h.slice(end + 1);
    host = { kind: 'glob', left: h.slice(0, Math.max(start - 1, 0)), prefix, suffix, right: over };
  }
  if (over === '' || over === '.') fail(path, 'has a wildcard over no domain');
  // The shortest host it matches, in an origin: the URL parser must give it back unchanged (HTML
  // §7.1.1 serialization of an origin, via URL §3.5 host parsing), within DNS limits.
  const shortest = h.replace('*', 'x');
  const witness = `${scheme}://${shortest}${port.kind === 'exact' ? `:${portText}` : ''}`;
  if (witness.length > MAX_ORIGIN_LENGTH || !withinDnsLimits(shortest) || !isCanonicalTupleOrigin(witness)) {
    fail(path, `makes ${show(witness)}: not a canonical origin within DNS limits`);
  }
  return { kind: 'tuple', scheme, host, port };
}

/** One entry, checked, as a fresh rule (the engines never get the caller's objects). */
function checkRule(value: unknown, path: string, index: number, allowNull: boolean, allowRegExp: boolean): OriginRule {
  if (value !== null && typeof value === 'object' && 'regexp' in value) {
    if (!allowRegExp) fail(path, 'is a RegExp (refused in credentialedOrigins)');
    const r = record(value, path, 'flags,regexp,source');
    const pattern = text(r['regexp'], `${path}.regexp`, Infinity);
    const flags = text(r['flags'], `${path}.flags`);
    if (!/^[dimsuv]*$/.test(flags)) fail(`${path}.flags`, `is ${show(flags)}, not [dimsuv]*`);
    let regexp: RegExp;
    try {
      regexp = new RegExp(pattern, flags);
    } catch {
      fail(`${path}.regexp`, 'does not compile here');
    }
    // The browser matcher runs the page's own checks with the native RegExp (no re2js in the bundle).
    return { kind: 'regexp', index, source: text(r['source'], `${path}.source`, Infinity), regexp, test: (s) => regexp.test(s) };
  }
  const r = typeof value === 'string' ? { pattern: value, source: value } : record(value, path, 'pattern,source');
  const pattern = text(r.pattern, typeof value === 'string' ? path : `${path}.pattern`);
  const source = text(r.source, `${path}.source`);
  // `null` (with allowNullOrigin only) and app origins are exact: each is its own source.
  const isNull = pattern === 'null';
  if (isNull || isCanonicalAppOrigin(pattern)) {
    if (source !== pattern || (isNull && !allowNull)) fail(path, 'is not its own source, or is "null" without allowNullOrigin');
    return { kind: isNull ? 'null' : 'app', index, source };
  }
  return { ...parseExportedPattern(pattern, path), index, source };
}

/** A non-empty list of entries. */
function checkRules(value: unknown, path: string, allowNull: boolean, allowRegExp: boolean): OriginRule[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, Array.isArray(value) ? 'is empty' : `is ${describeType(value)}, not an array`);
  const rules: OriginRule[] = [];
  for (let i = 0; i < value.length; i++) rules.push(checkRule(value[i], `${path}[${i}]`, i, allowNull, allowRegExp));
  return rules;
}

interface Checked {
  readonly allowNullOrigin: boolean;
  readonly engine: 'auto' | 'wasm' | 'js';
  /** null for origins '*'. */
  readonly rules: OriginRule[] | null;
  readonly credentialedRules: OriginRule[] | null;
}

/** The whole export, checked and copied. */
function checkExport(exported: object, options: LoadMatcherOptions): Checked {
  const e = record(exported, 'the export', 'allowNullOrigin,credentialedOrigins,engine,format,origins,version');
  oneOf(e['format'], 'format', ['corset-matcher'] as const);
  oneOf(e['version'], 'version', [2] as const);
  const allowNullOrigin = oneOf(e['allowNullOrigin'], 'allowNullOrigin', [true, false] as const);
  const engines = ['auto', 'wasm', 'js'] as const;
  const engine = oneOf(e['engine'], 'engine', engines);
  const rules = e['origins'] === '*' ? null : checkRules(e['origins'], 'origins', allowNullOrigin, true);
  const credentialed = e['credentialedOrigins'];
  if (credentialed !== null && rules !== null) fail('credentialedOrigins', 'must be null unless origins is "*"');
  const credentialedRules = credentialed === null ? null : checkRules(credentialed, 'credentialedOrigins', allowNullOrigin, false);
  return { allowNullOrigin, engine: options.engine === undefined ? engine : oneOf(options.engine, 'options.engine', engines), rules, credentialedRules };
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
  const { allowNullOrigin, engine, rules, credentialedRules } = checked;

  // As compilePolicy does: the engine is chosen (and 'wasm' refused where it cannot run) even for
  // origins '*', which has no rules.
  const selected = createMatcher(rules ?? [], engine);
  const originsMatcher: OriginMatcher | null = rules === null ? null : selected.matcher;
  const credentialedMatcher = credentialedRules === null ? null : createMatcher(credentialedRules, engine).matcher;
  return Object.freeze(
    createOriginAnswers({
      engine: selected.engine,
      origins: originsMatcher === null || rules === null ? null : { matcher: originsMatcher, rules },
      credentialed: credentialedMatcher === null || credentialedRules === null ? null : { matcher: credentialedMatcher, rules: credentialedRules },
      allowNullOrigin,
    }),
  );
}
