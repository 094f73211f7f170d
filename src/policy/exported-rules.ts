// Reading back what an exporter wrote (exportMatcher, exportPolicy): the shape checks and the
// origin-rule checks that loadMatcher (src/browser/load-matcher.ts) and loadPolicy
// (src/edge/load-policy.ts) share. Neither loader carries the policy validator, so each runs only
// rules a validator produced, checked strictly and cheaply: a pattern must be one the strict
// pattern parser (src/policy/pattern.ts) reads back as itself (parseExportedPattern says how).
// A problem throws ShapeError (a path and why); each loader turns it into its own message.
import type { HostSpec, OriginRule, PortSpec, TupleRule } from './rules.js';
import { describeType } from '../arguments.js';
import { isCanonicalTupleOrigin, isIpAddressHost } from '../origin/origin.js';
import { isCanonicalAppOrigin } from '../origin/app-origin.js';
import { MAX_HOST_LENGTH, MAX_LABEL_LENGTH, MAX_ORIGIN_LENGTH } from '../origin/limits.js';

/** src/policy/pattern.ts MAX_PATTERN_LENGTH: no pattern source is longer (a test holds them equal). */
export const MAX_SOURCE_LENGTH = 1024;

/** What a loader refuses: an Error whose message is where (`origins[2].source`) and why. */
export interface ShapeError extends Error {
  readonly shape: true;
}

export function isShapeError(err: unknown): err is ShapeError {
  return err instanceof Error && (err as Partial<ShapeError>).shape === true;
}

export function fail(path: string, why: string): never {
  throw Object.assign(new Error(`${path} ${why}`), { shape: true });
}

/** `value` as an object with exactly the keys `keys` (sorted, comma-separated); fails otherwise. */
export function record(value: unknown, path: string, keys: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `is ${describeType(value)}, not an object`);
  if (Object.keys(value).sort().join() !== keys) fail(path, `does not have exactly the keys ${keys}`);
  return value as Record<string, unknown>;
}

/** A value for a message: a string quoted (its start only), a number or boolean, or its type. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : describeType(value);
}

export function oneOf<T extends string | number | boolean>(value: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) fail(path, `is ${show(value)}, not ${allowed.map(show).join(' or ')}`);
  return value as T;
}

/** A string of at most `max` characters (patterns and sources; a RegExp has no cap, as in a policy). */
export function text(value: unknown, path: string, max = MAX_SOURCE_LENGTH): string {
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
 * parser reads it as; fails on anything that parser would not give back unchanged:
 *   - a pattern is `http` or `https`, `://`, a host, and optionally `:*` or `:` and a port;
 *   - its host holds at most one `*`: a leading `*.` (subdomains), or one `*` in one label with
 *     `[a-z0-9-]` around it (a glob: not both sides empty, not `xn--`), never in the last label;
 *   - the origin it matches with the shortest host (the `*` as `x`) must be a canonical serialized
 *     origin (the URL parser gives it back unchanged: lower case, punycode, IPv4 and IPv6 in their
 *     one form, no default port, a port of at most 65535), within DNS limits (labels 1-63, host
 *     253, 254 with a trailing dot).
 * So an edited export can name other origins, but no entry can be made to match more than the
 * pattern it reads as (test/matcher-export.test.ts: every pattern accepted is a fixed point of the
 * strict parser).
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

/**
 * One entry, checked, as a fresh rule (the engines never get the caller's objects). `regexpRefused`:
 * null where a RegExp entry may run (on the platform's RegExp), else why it is refused.
 */
export function checkRule(value: unknown, path: string, index: number, allowNull: boolean, regexpRefused: string | null): OriginRule {
  if (value !== null && typeof value === 'object' && 'regexp' in value) {
    if (regexpRefused !== null) fail(path, `is a RegExp (${regexpRefused})`);
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

/** A list of entries (non-empty unless `allowEmpty`: the validator accepts `[]`, with a warning). */
export function checkRules(value: unknown, path: string, allowNull: boolean, regexpRefused: string | null, allowEmpty = false): OriginRule[] {
  if (!Array.isArray(value) || (value.length === 0 && !allowEmpty)) fail(path, Array.isArray(value) ? 'is empty' : `is ${describeType(value)}, not an array`);
  const rules: OriginRule[] = [];
  for (let i = 0; i < value.length; i++) rules.push(checkRule(value[i], `${path}[${i}]`, i, allowNull, regexpRefused));
  return rules;
}
