// Canonical-origin check over bytes, in one pass that also computes what matching needs: the
// FNV-1a hash of `scheme://host` and of the whole origin, and the end of the first host label that
// is not a DNS label. The same decisions as src/origin/canonical-origin.ts (scanCanonicalOrigin):
// YES only where the full URL parser is certain to serialize the value back unchanged, NO only
// where it is certain not to, UNSURE otherwise (IPv6, `xn--` labels, empty labels, ASCII such as
// `_` that a domain may keep); the TypeScript side sends UNSURE to the full parser. The
// differential fuzz holds this file to the full parser.
//
// References: URL §4.4 basic URL parser (scheme, host and port states), URL §3.5 host parser
// (forbidden host code points, "ends in a number", IPv4 parser), URL §3.6 host serializer,
// HTML §7.1.1 serialization of an origin (the default port is omitted).
import { FNV_OFFSET, FNV_PRIME, SCHEME_HTTP, SCHEME_HTTPS, SCHEME_NONE } from '../src/engine/layout';


export const CANONICAL_NO: i32 = 0;
export const CANONICAL_YES: i32 = 1;
export const CANONICAL_UNSURE: i32 = 2;

/** DNS limits (RFC 1035 §2.3.4); the same derivation as src/origin/limits.ts. */
export const MAX_HOST_LENGTH: i32 = 253;
export const MAX_LABEL_LENGTH: i32 = 63;
/** `https` `://` 253-byte host `.` `:65535`. */
export const MAX_ORIGIN_LENGTH: i32 = 5 + 3 + (MAX_HOST_LENGTH + 1) + 6;

const enum Char {
  TAB = 0x09,
  SPACE = 0x20,
  HYPHEN = 0x2d,
  DOT = 0x2e,
  SLASH = 0x2f,
  _0 = 0x30,
  _9 = 0x39,
  COLON = 0x3a,
  A = 0x41,
  Z = 0x5a,
  LBRACKET = 0x5b,
  RBRACKET = 0x5d,
  a = 0x61,
  f = 0x66,
  n = 0x6e,
  x = 0x78,
  z = 0x7a,
  DEL = 0x7f,
}

// What the scan leaves for the matcher (valid after YES, or after splitCanonical()).
export let scheme: i32 = SCHEME_NONE;
export let hostStart: i32 = 0;
export let hostEnd: i32 = 0;
/** The explicit port, or -1 when the origin has none. */
export let port: i32 = -1;
/** FNV-1a of bytes [0, hostEnd): the any-port key `scheme://host`. */
export let hashHost: i32 = 0;
/** FNV-1a of the whole origin: the exact key. */
export let hashFull: i32 = 0;
/** End of the first host label that is not a DNS label, or hostEnd + 1 when there is none. */
export let firstBadEnd: i32 = 0;

@inline function isLabelChar(c: u32): bool {
  return c - Char.a <= <u32>(Char.z - Char.a) || c - Char._0 <= 9 || c == Char.HYPHEN;
}

@inline function isDigit(c: u32): bool {
  return c - Char._0 <= 9;
}

/**
 * Printable ASCII that can never stand in a serialized host: URL §3.5 forbidden host code points
 * (a failure), `%` (a forbidden domain code point), and `/ ? # \ @` (they end the host). As two
 * 64-bit masks over code points 0x00-0x3f and 0x40-0x7f: `# % / < > ?` and `@ [ \ ] ^ |`.
 */
const ONE: u64 = 1;
const NEVER_IN_HOST_LOW: u64 = (ONE << 0x23) | (ONE << 0x25) | (ONE << 0x2f) | (ONE << 0x3c) | (ONE << 0x3e) | (ONE << 0x3f);
const NEVER_IN_HOST_HIGH: u64 = (ONE << 0x00) | (ONE << 0x1b) | (ONE << 0x1c) | (ONE << 0x1d) | (ONE << 0x1e) | (ONE << 0x3c);

@inline function neverInHost(c: u32): bool {
  return c < 64 ? ((NEVER_IN_HOST_LOW >> c) & 1) != 0 : ((NEVER_IN_HOST_HIGH >> (c - 64)) & 1) != 0;
}

@inline function fnv(h: i32, c: u32): i32 {
  return (h ^ <i32>c) * FNV_PRIME;
}

/** A label starting with `xn--` goes through punycode validation (UTS #46 §4.1, step 4). */
@inline function isXnLabel(s: usize, start: i32, end: i32): bool {
  return end - start >= 4 && load<u32>(s + <usize>start) == 0x2d2d6e78; // 'xn--' little-endian
}

/**
 * URL §3.5 "ends in a number checker" for a label of `[a-z0-9-]`: all ASCII digits, or `0x`
 * followed by hex digits only.
 */
function endsInANumber(s: usize, start: i32, end: i32): bool {
  let allDigits = true;
  for (let k = start; k < end; k++) {
    if (!isDigit(load<u8>(s + <usize>k))) {
      allDigits = false;
      break;
    }
  }
  if (allDigits) return true;
  if (end - start >= 2 && load<u8>(s + <usize>start) == Char._0 && load<u8>(s + <usize>start + 1) == Char.x) {
    for (let k = start + 2; k < end; k++) {
      const c = <u32>load<u8>(s + <usize>k);
      if (!(isDigit(c) || c - Char.a <= <u32>(Char.f - Char.a))) return false;
    }
    return true;
  }
  return false;
}

/** Four decimal parts 0-255 without leading zeros: the URL §3.6 IPv4 serializer's output. */
function isDottedQuad(s: usize, start: i32, end: i32): bool {
  let parts = 0;
  let k = start;
  while (k <= end) {
    const partStart = k;
    let value = 0;
    while (k < end && load<u8>(s + <usize>k) != Char.DOT) {
      const c = <u32>load<u8>(s + <usize>k);
      if (!isDigit(c)) return false;
      value = value * 10 + <i32>(c - Char._0);
      if (value > 255) return false;
      k++;
    }
    const length = k - partStart;
    if (length == 0 || length > 3) return false;
    if (length > 1 && load<u8>(s + <usize>partStart) == Char._0) return false;
    parts++;
    k++;
  }
  return parts == 4;
}

/**
 * The scheme prefix of `s` (URL §4.1 special schemes with tuple origins): sets `scheme` and
 * returns the prefix length, with the scheme's default port in `schemeDefaultPort`; 0 when none.
 */
let schemeDefaultPort: i32 = 0;
function schemePrefix(s: usize, n: i32): i32 {
  // Prefixes read as little-endian integers.
  if (n >= 8 && load<u64>(s) == 0x2f2f3a7370747468) { // 'https://'
    scheme = SCHEME_HTTPS;
    schemeDefaultPort = 443;
    return 8;
  }
  scheme = SCHEME_NONE;
  if (n >= 7 && (load<u32>(s) == 0x70747468) && load<u16>(s + 4) == 0x2f3a && load<u8>(s + 6) == Char.SLASH) { // 'http://'
    scheme = SCHEME_HTTP;
    schemeDefaultPort = 80;
    return 7;
  }
  if (n >= 6 && load<u32>(s) == 0x3a737377 && load<u16>(s + 4) == 0x2f2f) { // 'wss://'
    schemeDefaultPort = 443;
    return 6;
  }
  if (n >= 5 && load<u32>(s) == 0x2f3a7377 && load<u8>(s + 4) == Char.SLASH) { // 'ws://'
    schemeDefaultPort = 80;
    return 5;
  }
  if (n >= 6 && load<u32>(s) == 0x3a707466 && load<u16>(s + 4) == 0x2f2f) { // 'ftp://'
    schemeDefaultPort = 21;
    return 6;
  }
  return 0;
}

/**
 * Decide whether the `n` bytes at `s` are a canonical serialized tuple origin; on YES, fill the
 * globals above. The caller has already refused values longer than MAX_ORIGIN_LENGTH.
 */
export function scanCanonicalOrigin(s: usize, n: i32): i32 {
  const prefix = schemePrefix(s, n);
  if (prefix == 0) return CANONICAL_NO;
  let h = FNV_OFFSET;
  for (let k = 0; k < prefix; k++) h = fnv(h, load<u8>(s + <usize>k));

  let i = prefix;
  const start = i;
  if (i < n && load<u8>(s + <usize>i) == Char.LBRACKET) return CANONICAL_UNSURE; // IPv6 (URL §3.5)

  let unsure = false;
  let labels = 0; // non-empty labels
  let labelStart = i;
  let bad = n + 1;
  for (; i < n; i++) {
    const c = <u32>load<u8>(s + <usize>i);
    if (isLabelChar(c)) {
      h = fnv(h, c);
      continue;
    }
    if (c == Char.DOT) {
      if (i == labelStart) unsure = true; // empty label: the parser keeps some, refuses others
      else {
        if (isXnLabel(s, labelStart, i)) unsure = true;
        if (i - labelStart > MAX_LABEL_LENGTH && bad > n) bad = i;
        labels++;
      }
      labelStart = i + 1;
      h = fnv(h, c);
      continue;
    }
    if (c == Char.COLON) break;
    if (c - Char.A <= <u32>(Char.Z - Char.A)) return CANONICAL_NO; // the host parser lower-cases ASCII
    if (c <= <u32>Char.SPACE || c >= <u32>Char.DEL) return CANONICAL_NO; // never in a serialization
    if (neverInHost(c)) return CANONICAL_NO;
    unsure = true; // other ASCII a domain may keep (`_`, `~`, `$`, ...): the full parser decides
  }
  const end = i;
  if (labelStart < end) {
    if (isXnLabel(s, labelStart, end)) unsure = true;
    if (end - labelStart > MAX_LABEL_LENGTH && bad > n) bad = end;
    labels++;
  }
  const hostLength = end - start;
  if (hostLength == 0) return CANONICAL_NO; // URL §4.4 host state: an empty host is a failure
  const trailingDot = load<u8>(s + <usize>end - 1) == Char.DOT;
  if (hostLength > (trailingDot ? MAX_HOST_LENGTH + 1 : MAX_HOST_LENGTH)) return CANONICAL_NO;

  // URL §3.5 host parser, step 10: a host whose last label (after dropping one trailing empty
  // label) "ends in a number" is parsed as IPv4, which always serializes as a dotted quad.
  const lastEnd = trailingDot ? end - 1 : end;
  let lastStart = lastEnd;
  while (lastStart > start && load<u8>(s + <usize>lastStart - 1) != Char.DOT) lastStart--;
  if (lastStart < lastEnd && endsInANumber(s, lastStart, lastEnd)) {
    if (trailingDot || unsure || labels != 4 || !isDottedQuad(s, start, end)) return CANONICAL_NO;
  }
  const hostHash = h;

  // URL §4.4 port state; the serialization of an origin omits the default port.
  let p = -1;
  if (i < n) {
    h = fnv(h, Char.COLON);
    i++;
    if (i == n) return CANONICAL_NO; // an empty port serializes as no port
    const first = <u32>load<u8>(s + <usize>i);
    if (!isDigit(first)) return CANONICAL_NO;
    if (first == Char._0 && i + 1 < n) return CANONICAL_NO; // a leading zero is dropped
    p = 0;
    for (; i < n; i++) {
      const c = <u32>load<u8>(s + <usize>i);
      if (!isDigit(c)) return CANONICAL_NO;
      h = fnv(h, c);
      p = p * 10 + <i32>(c - Char._0);
      if (p > 65535) return CANONICAL_NO;
    }
    if (p == schemeDefaultPort) return CANONICAL_NO;
  }
  if (unsure) return CANONICAL_UNSURE;

  hostStart = start;
  hostEnd = end;
  port = p;
  hashHost = hostHash;
  hashFull = h;
  firstBadEnd = bad;
  return CANONICAL_YES;
}

/**
 * Fill the globals for a value the full parser has proved canonical (after UNSURE):
 * `scheme://host[:port]`, the host bracketed when it is IPv6.
 */
export function splitCanonical(s: usize, n: i32): void {
  const prefix = schemePrefix(s, n);
  let end = prefix;
  if (end < n && load<u8>(s + <usize>end) == Char.LBRACKET) {
    while (end < n && load<u8>(s + <usize>end) != Char.RBRACKET) end++;
    end++;
  } else {
    while (end < n && load<u8>(s + <usize>end) != Char.COLON) end++;
  }
  let h = FNV_OFFSET;
  for (let k = 0; k < end; k++) h = fnv(h, load<u8>(s + <usize>k));
  hashHost = h;
  let p = -1;
  if (end < n) {
    p = 0;
    for (let k = end + 1; k < n; k++) p = p * 10 + <i32>(load<u8>(s + <usize>k) - Char._0);
  }
  for (let k = end; k < n; k++) h = fnv(h, load<u8>(s + <usize>k));
  hashFull = h;

  // The first label that is not a DNS label (1-63 of [a-z0-9-]).
  let bad = end + 1;
  let labelStart = prefix;
  for (let k = prefix; k <= end; k++) {
    if (k < end && load<u8>(s + <usize>k) != Char.DOT) continue;
    let ok = k - labelStart >= 1 && k - labelStart <= MAX_LABEL_LENGTH;
    for (let j = labelStart; ok && j < k; j++) ok = isLabelChar(load<u8>(s + <usize>j));
    if (!ok) {
      bad = k;
      break;
    }
    labelStart = k + 1;
  }
  hostStart = prefix;
  hostEnd = end;
  port = p;
  firstBadEnd = bad;
}

export { isLabelChar };
