// The strict parser for one origin pattern (DESIGN.md, "Origin patterns"), run once when a policy
// is validated. It turns `https://*.Example.COM:*` into a TupleRule shape whose every string is
// already what the URL parser makes of a request's origin, so matching is plain comparison.
//
// Grammar (whole string, no surrounding whitespace):
//
//   pattern  = scheme "://" host [ ":" port ]
//   scheme   = "http" / "https"                 (ASCII case-insensitive)
//   port     = 1*DIGIT / "*"                     (`*`: any port, the default included)
//   host     = exact / "*." domain / glob
//   exact    = any host the URL parser accepts: domain (IDN allowed), IPv4 in any form, [IPv6]
//   glob     = [ labels "." ] prefix "*" suffix "." domain
//              prefix, suffix = *( ALPHA / DIGIT / "-" ), not both empty, not starting "xn--"
//
// One `*` per host. The `*` of `*.` stands for one or more whole DNS labels (never the apex); a
// glob's `*` stands for 1+ characters of [a-z0-9-] inside one label. Neither may touch an IP
// address. Hosts are normalised by the URL module (URL §3.5 host parsing: lower case, IDN to
// punycode, IPv4 forms to dotted quad, IPv6 compressed) by parsing the pattern with the `*`
// replaced by a placeholder label, then putting the wildcard back.
import type { HostSpec, PatternScheme, PortSpec, TupleRule } from './rules.js';
import { MAX_HOST_LENGTH, MAX_HOST_LENGTH_WITH_DOT, MAX_LABEL_LENGTH } from '../origin/limits.js';
import { parseURL } from '../url/backend.js';
import { CANONICAL_YES, newOriginScan, scanCanonicalOrigin } from '../origin/canonical-origin.js';
import { newCanonicalExactRule } from './canonical-exact-rule.js';

export { isCanonicalExactRule } from './canonical-exact-rule.js';

/** A parsed pattern: a TupleRule without its place in the policy. */
export type OriginPattern = Omit<TupleRule, 'index' | 'source'>;

/** Why a pattern was refused. Each is also a `PolicyIssue` code (see issues.ts). */
export type PatternErrorCode =
  | 'pattern-too-long'
  | 'pattern-unparsable'
  | 'pattern-no-scheme'
  | 'pattern-scheme'
  | 'pattern-has-path'
  | 'pattern-has-userinfo'
  | 'pattern-port'
  | 'pattern-wildcard-position'
  | 'pattern-wildcard-label'
  | 'pattern-wildcard-ip'
  | 'pattern-host-too-long'
  | 'pattern-label-length';

/**
 * `message` says why, in a phrase meant to follow the quoted pattern:
 * `corset: origins[2]: "https://example.com/" ${message}`.
 */
export interface PatternError {
  readonly code: PatternErrorCode;
  readonly message: string;
}

export type PatternResult = { readonly rule: OriginPattern } | { readonly error: PatternError };

/**
 * The longest pattern source looked at. A valid pattern serializes to at most 268 characters
 * (MAX_ORIGIN_LENGTH); the source may be longer when written with IDN or a zero-padded port,
 * but never by this much. Longer input is refused before any parsing.
 */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * Stands in for the wildcard while the URL parser normalises the rest of the host: lower-case
 * ASCII letters, so the host parser keeps it as it is (no IDNA mapping, no punycode, and it never
 * makes a host "end in a number").
 */
const PLACEHOLDER = 'qqcorsetwildcardqq';

const DEFAULT_PORT: Readonly<Record<PatternScheme, number>> = { http: 80, https: 443 };

function fail(code: PatternErrorCode, message: string): PatternResult {
  return { error: { code, message } };
}

/** `s` quoted for a message, as JSON does (escapes controls and lone surrogates). */
function q(s: string): string {
  return JSON.stringify(s);
}

/**
 * Parse one origin pattern. Total over strings: refuses, never throws (a non-string argument is a
 * TypeError naming it). `'*'` (the whole `origins` value) and `'null'` are the validator's
 * business; here they are errors like any other non-pattern.
 */
export function parseOriginPattern(source: string): PatternResult {
  if (typeof source !== 'string') {
    throw new TypeError('corset: parseOriginPattern(source): source must be a string');
  }
  return canonicalExactPattern(source) ?? parsePatternFully(source);
}

/**
 * The common case, without the URL parser: an exact http(s) origin already in canonical form.
 * `scanCanonicalOrigin` answers YES only where the full parser gives the same string back (a
 * lower-case ASCII domain of non-empty `[a-z0-9-]` labels, no `xn--`, within 253 bytes, or a
 * dotted quad; no default port; see src/origin/canonical-origin.ts), so what is left to check is
 * what `checkDomain` checks beyond that: each label within 63 bytes. Anything else (and every
 * refusal) goes the full way, which words the error. Exported for the differential test.
 */
export function canonicalExactPattern(source: string): PatternResult | null {
  const rule = canonicalExactRule(source, 0);
  return rule === null ? null : { rule: { kind: 'tuple', scheme: rule.scheme, host: rule.host, port: rule.port } };
}

/**
 * canonicalExactPattern's rule, made directly as the entry `index` of a policy. null: not an exact
 * http(s) origin in canonical form (the full parser decides it).
 *
 * A list of a million tenant origins is a million of these, so the rule is one object of five
 * fields (64 bytes) instead of a rule, a host object and a host substring (144 bytes): its
 * `host` is an accessor that reads the host out of `source` when asked (only compile-time code
 * asks, and most of it never does for an exact origin: the exact-origin index is keyed by
 * `source`, ./exact-index.ts). The accessor is an own enumerable property defined with one
 * shared descriptor, so every such rule has the same hidden class and still reads, spreads and
 * compares (`Object.keys`, `toEqual`) as the plain-object rule.
 */
export function canonicalExactRule(source: string, index: number): TupleRule | null {
  if (scanCanonicalOrigin(source, scan) !== CANONICAL_YES) return null;
  const scheme = scan.scheme;
  if (scheme !== 'https' && scheme !== 'http') return null;
  const { hostStart, hostEnd } = scan;
  let labelStart = hostStart;
  // A host of at most 63 bytes has no label longer than that: nothing to count.
  for (let i = hostEnd - hostStart <= MAX_LABEL_LENGTH ? hostEnd + 1 : hostStart; i <= hostEnd; i++) {
    if (i === hostEnd || source.charCodeAt(i) === 0x2e) {
      if (i - labelStart > MAX_LABEL_LENGTH) return null;
      labelStart = i + 1;
    }
  }
  const port: PortSpec = scan.port === -1 ? DEFAULT_PORT_SPEC : { kind: 'exact', port: scan.port };
  return newCanonicalExactRule(index, source, scheme, port);
}

const DEFAULT_PORT_SPEC: PortSpec = Object.freeze({ kind: 'default' });

/** Every pattern the canonical fast path does not take: the whole grammar, with the URL parser. */
export function parsePatternFully(source: string): PatternResult {
  if (source.length > MAX_PATTERN_LENGTH) {
    return fail(
      'pattern-too-long',
      `is ${source.length} characters long: no origin pattern is longer than ${MAX_PATTERN_LENGTH}`,
    );
  }
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) {
      // The URL parser would strip or skip these (URL §4.4 steps 1-3); a pattern written with them
      // is a copy-and-paste accident, so say so instead of guessing.
      return fail(
        'pattern-unparsable',
        `contains whitespace or a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at index ${i}: remove it`,
      );
    }
  }

  if (source === '*') {
    return fail('pattern-wildcard-position', "is not a pattern: to allow every origin, write origins: '*' (the whole value, without credentials)");
  }
  if (source === 'null') {
    return fail('pattern-unparsable', 'is the opaque origin, not a pattern: a policy allows it only with allowNullOrigin: true');
  }

  // scheme "://"
  const sep = source.indexOf('://');
  if (sep < 0) {
    const looksLikeHost = source !== '' && !source.includes(':') && !source.includes('/');
    return fail(
      'pattern-no-scheme',
      looksLikeHost
        ? `has no scheme: an origin pattern is scheme://host[:port]; write ${q(`https://${source}`)}`
        : 'is not an origin pattern: an origin pattern is scheme://host[:port], e.g. "https://example.com"',
    );
  }
  const schemeText = source.slice(0, sep);
  const scheme = asciiLower(schemeText);
  if (scheme !== 'http' && scheme !== 'https') {
    if (schemeText.includes('*')) {
      return fail('pattern-wildcard-position', 'has a wildcard in its scheme: write one pattern per scheme (http, https)');
    }
    return fail(
      'pattern-scheme',
      `has the scheme ${q(schemeText)}: a web page's origin is http or https (an app or extension origin such as "capacitor://localhost" is listed exactly)`,
    );
  }

  // The authority ends at the first `/`, `?`, `#`, or `\` (URL §4.4 authority state: `\` is `/`
  // for special schemes).
  const afterScheme = sep + 3;
  let authorityEnd = afterScheme;
  while (authorityEnd < source.length) {
    const c = source.charCodeAt(authorityEnd);
    if (c === 0x2f || c === 0x3f || c === 0x23 || c === 0x5c) break;
    authorityEnd++;
  }
  const authority = source.slice(afterScheme, authorityEnd);
  if (authorityEnd < source.length) {
    const head = source.slice(0, authorityEnd);
    const tail = source.slice(authorityEnd);
    if (tail === '/' && authority !== '') {
      return fail(
        'pattern-has-path',
        `ends with a slash: an origin has no path, so it would never match; drop the slash and write ${q(head)}`,
      );
    }
    const what = tail[0] === '?' ? 'a query' : tail[0] === '#' ? 'a fragment' : 'a path';
    return fail(
      'pattern-has-path',
      `has ${what} (${q(tail)}): an origin is scheme://host[:port] only, so it would never match; write ${q(head)}`,
    );
  }
  if (authority.includes('@')) {
    return fail(
      'pattern-has-userinfo',
      'has a user name or password: an origin never carries them; write scheme://host[:port] only',
    );
  }
  if (authority === '') return fail('pattern-unparsable', 'has no host');

  // host [ ":" port ]
  // The port starts at the first `:` after the IPv6 address, if there is one.
  if (authority.charCodeAt(0) === 0x5b && authority.indexOf(']') < 0) {
    return fail('pattern-unparsable', 'has an IPv6 address without its closing "]"');
  }
  const colon = authority.indexOf(':', authority.lastIndexOf(']') + 1);
  const hostText = colon < 0 ? authority : authority.slice(0, colon);
  const portText = colon < 0 ? null : authority.slice(colon + 1);

  const port = parsePortText(portText, scheme);
  if ('error' in port) return port;

  if (hostText === '') return fail('pattern-unparsable', 'has no host');
  if (hostText.includes('%')) {
    return fail('pattern-unparsable', 'has percent-encoding in its host: write the host as it is (IDN is fine)');
  }

  const star = hostText.indexOf('*');
  if (star < 0) {
    const host = parseHost(scheme, hostText);
    if (host === null) return fail('pattern-unparsable', 'is not a valid origin: the URL parser refuses its host');
    const problem = checkDomain(host, host);
    if (problem !== null) return { error: problem };
    return { rule: { kind: 'tuple', scheme, host: { kind: 'exact', host }, port: port.port } };
  }

  if (hostText.indexOf('*', star + 1) >= 0) {
    return fail(
      'pattern-wildcard-position',
      'has more than one wildcard in its host: a host takes one, either a leading "*." or one "*" inside one label',
    );
  }
  if (hostText.charCodeAt(0) === 0x5b) {
    return fail('pattern-wildcard-ip', 'puts a wildcard in an IP address: list each address instead');
  }
  if (hostText === '*') {
    return fail(
      'pattern-wildcard-position',
      "has a host that is only \"*\": to allow every origin, write origins: '*' (without credentials)",
    );
  }

  // The label holding the `*`: separators are the dots UTS #46 maps to U+002E as well.
  let labelStart = star;
  while (labelStart > 0 && !isLabelSeparator(hostText.charCodeAt(labelStart - 1))) labelStart--;
  let labelEnd = star + 1;
  while (labelEnd < hostText.length && !isLabelSeparator(hostText.charCodeAt(labelEnd))) labelEnd++;
  const withPlaceholder = `${hostText.slice(0, star)}${PLACEHOLDER}${hostText.slice(star + 1)}`;

  if (labelEnd - labelStart === 1) {
    // A label that is exactly `*`: the subdomain form, leading only.
    if (labelStart !== 0) {
      return fail(
        'pattern-wildcard-position',
        'has "*" as a whole label in the middle of its host: "*." may only start it (https://*.example.com), or "*" may sit inside one label (https://pr-*.example.com)',
      );
    }
    const suffixText = hostText.slice(labelEnd + 1);
    if (suffixText === '' || suffixText === '.') {
      return fail('pattern-wildcard-position', 'has no domain after "*.": name the domain whose subdomains it allows');
    }
    return subdomainsPattern(scheme, withPlaceholder, suffixText, port.port);
  }
  return globPattern(scheme, hostText, star, labelStart, labelEnd, withPlaceholder, port.port);
}

function subdomainsPattern(scheme: PatternScheme, withPlaceholder: string, suffixText: string, port: PortSpec): PatternResult {
  const host = parseHost(scheme, withPlaceholder);
  if (host === null) return diagnoseUnparsableWildcardHost(scheme, suffixText);
  const lead = `${PLACEHOLDER}.`;
  if (!host.startsWith(lead) || host.indexOf(PLACEHOLDER, lead.length) >= 0) {
    return fail('pattern-unparsable', 'is not a valid origin pattern: the URL parser changes the labels around its "*"');
  }
  const suffix = host.slice(lead.length);
  // The shortest host it matches is one character, a dot, then the suffix.
  const problem = checkDomain(suffix, `x.${suffix}`);
  if (problem !== null) return { error: problem };
  const spec: HostSpec = { kind: 'subdomains', suffix };
  return { rule: { kind: 'tuple', scheme, host: spec, port } };
}

function globPattern(
  scheme: PatternScheme,
  hostText: string,
  star: number,
  labelStart: number,
  labelEnd: number,
  withPlaceholder: string,
  port: PortSpec,
): PatternResult {
  const prefixText = hostText.slice(labelStart, star);
  const suffixText = hostText.slice(star + 1, labelEnd);
  for (const part of [prefixText, suffixText]) {
    for (let i = 0; i < part.length; i++) {
      if (!isLdhChar(part.charCodeAt(i))) {
        return fail(
          'pattern-wildcard-label',
          `has ${q(part[i] ?? '')} in the label holding "*": that label may hold only ASCII letters, digits and "-" around the "*"`,
        );
      }
    }
  }
  const prefix = asciiLower(prefixText);
  const suffix = asciiLower(suffixText);
  if (prefix.startsWith('xn--')) {
    return fail(
      'pattern-wildcard-label',
      'puts "*" inside a punycode ("xn--") label: part of an encoded label cannot be matched; list the names instead',
    );
  }
  const rightText = hostText.slice(labelEnd + 1);
  if (labelEnd >= hostText.length || rightText === '' || rightText === '.') {
    return fail(
      'pattern-wildcard-position',
      'puts "*" in the last label of its host, where it would match any top-level domain',
    );
  }
  const host = parseHost(scheme, withPlaceholder);
  if (host === null) return diagnoseUnparsableWildcardHost(scheme, rightText);
  const globLabel = `${prefix}${PLACEHOLDER}${suffix}`;
  const labels = host.split('.');
  const at = labels.indexOf(globLabel);
  if (at < 0 || labels.indexOf(globLabel, at + 1) >= 0 || host.split(PLACEHOLDER).length !== 2) {
    return fail('pattern-unparsable', 'is not a valid origin pattern: the URL parser changes the labels around its "*"');
  }
  const left = labels.slice(0, at).join('.');
  const right = labels.slice(at + 1).join('.');
  if (right === '' || right === '.') {
    return fail('pattern-wildcard-position', 'puts "*" in the last label of its host, where it would match any top-level domain');
  }
  if (prefix.length + 1 + suffix.length > MAX_LABEL_LENGTH) {
    return fail(
      'pattern-label-length',
      `has a label with "*" that is at least ${prefix.length + 1 + suffix.length} characters long: a DNS label holds at most ${MAX_LABEL_LENGTH}`,
    );
  }
  // Check the fixed labels and the shortest host it matches (`*` standing for one character).
  const shortest = `${left === '' ? '' : `${left}.`}${prefix}x${suffix}.${right}`;
  const problem = checkDomain(shortest, shortest);
  if (problem !== null) return { error: problem };
  const spec: HostSpec = { kind: 'glob', left, prefix, suffix, right };
  return { rule: { kind: 'tuple', scheme, host: spec, port } };
}

/**
 * A wildcard host the URL parser refused: blame an IP address when the fixed part is one (a
 * domain whose last label is a number is parsed as IPv4, URL §3.5 host parser step 10), or the
 * host as a whole otherwise.
 */
function diagnoseUnparsableWildcardHost(scheme: PatternScheme, fixedText: string): PatternResult {
  const fixed = parseHost(scheme, fixedText);
  if (fixed !== null && isIPHost(fixed)) {
    return fail('pattern-wildcard-ip', 'puts a wildcard next to an IP address: list each address instead');
  }
  return fail('pattern-unparsable', 'is not a valid origin pattern: the URL parser refuses its host');
}

const scan = newOriginScan();

/**
 * URL §3.5 host parsing through the URL module: the serialized host, or null on failure. A host
 * already in canonical form is recognised by the origin fast path (`scanCanonicalOrigin` answers
 * YES only where the full parser gives the same string back), so a policy of thousands of exact
 * origins does not pay the full parser for each.
 */
function parseHost(scheme: PatternScheme, hostText: string): string | null {
  const origin = `${scheme}://${hostText}`;
  if (scanCanonicalOrigin(origin, scan) === CANONICAL_YES && scan.port === -1 && scan.hostEnd === origin.length) {
    return origin.slice(scan.hostStart, scan.hostEnd);
  }
  const url = parseURL(origin);
  if (url === null || url.host === null || url.host === '') return null;
  return url.host;
}

/** A serialized IPv6 (`[...]`) or IPv4 (four decimal parts; URL §3.6 IPv4 serializer) host. */
function isIPHost(host: string): boolean {
  if (host.charCodeAt(0) === 0x5b) return true;
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => p !== '' && /^[0-9]+$/.test(p));
}

/**
 * DNS limits (RFC 1035 §2.3.4, DESIGN.md "Origin patterns"): every label of `domain` is 1 to 63
 * characters (one trailing dot allowed), and `shortest`, the shortest host the pattern matches,
 * is at most 253 characters (254 with the trailing dot). IP hosts have neither labels nor limit.
 */
function checkDomain(domain: string, shortest: string): PatternError | null {
  if (isIPHost(domain)) return null;
  const trailingDot = domain.endsWith('.');
  const labels = (trailingDot ? domain.slice(0, -1) : domain).split('.');
  for (const label of labels) {
    if (label.length === 0) {
      return { code: 'pattern-label-length', message: 'has an empty label (two dots in a row, or a leading dot): DNS labels are 1 to 63 characters' };
    }
    if (label.length > MAX_LABEL_LENGTH) {
      return {
        code: 'pattern-label-length',
        message: `has a label of ${label.length} characters: a DNS label holds at most ${MAX_LABEL_LENGTH}`,
      };
    }
  }
  const limit = shortest.endsWith('.') ? MAX_HOST_LENGTH_WITH_DOT : MAX_HOST_LENGTH;
  if (shortest.length > limit) {
    return {
      code: 'pattern-host-too-long',
      message: `names hosts of at least ${shortest.length} characters: a DNS host name is at most ${MAX_HOST_LENGTH} (${MAX_HOST_LENGTH_WITH_DOT} with a trailing dot), so it would never match`,
    };
  }
  return null;
}

/** The port part: absent or empty (the URL parser reads `host:` as no port), `*`, or a number. */
function parsePortText(text: string | null, scheme: PatternScheme): { port: PortSpec } | { error: PatternError } {
  if (text === null || text === '') return { port: { kind: 'default' } };
  if (text === '*') return { port: { kind: 'any' } };
  if (text.includes('*')) {
    return { error: { code: 'pattern-wildcard-position', message: 'has a partial wildcard port: a port is a number or "*" (any port)' } };
  }
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      return { error: { code: 'pattern-port', message: `has the port ${q(text)}: a port is a number from 0 to 65535, or "*"` } };
    }
    value = value * 10 + (c - 0x30);
    if (value > 65535) {
      return { error: { code: 'pattern-port', message: `has the port ${q(text)}: a port is a number from 0 to 65535, or "*"` } };
    }
  }
  // URL §4.4 port state: the scheme's default port is stored as null, so it serializes as none.
  if (value === DEFAULT_PORT[scheme]) return { port: { kind: 'default' } };
  return { port: { kind: 'exact', port: value } };
}

/** U+002E and the three dots UTS #46 maps to it (U+3002, U+FF0E, U+FF61). */
function isLabelSeparator(c: number): boolean {
  return c === 0x2e || c === 0x3002 || c === 0xff0e || c === 0xff61;
}

/** ASCII letter, digit, or hyphen. */
function isLdhChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
}

/** ASCII lower case (Infra "ASCII lowercase"): only A-Z change. */
function asciiLower(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s[i];
  }
  return out;
}

/** The host part of a pattern as text, for messages (`*.example.com`, `pr-*.example.com`). */
export function formatHostSpec(host: HostSpec): string {
  switch (host.kind) {
    case 'exact':
      return host.host;
    case 'subdomains':
      return `*.${host.suffix}`;
    case 'glob':
      return `${host.left === '' ? '' : `${host.left}.`}${host.prefix}*${host.suffix}.${host.right}`;
  }
}

/** A parsed pattern written back in its normal form (`https://*.example.com:*`). */
export function formatOriginPattern(rule: OriginPattern): string {
  const port = rule.port.kind === 'default' ? '' : rule.port.kind === 'any' ? ':*' : `:${rule.port.port}`;
  return `${rule.scheme}://${formatHostSpec(rule.host)}${port}`;
}
