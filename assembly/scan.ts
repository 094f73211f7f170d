// Canonical-origin check over bytes, in one pass that also records what matching needs: the
// host's bounds, the port, and each host label's bounds and whether it is a DNS label. (Hashes
// are computed by ./walk.ts a word at a time, off this byte loop's critical path.) The same decisions as src/origin/canonical-origin.ts (scanCanonicalOrigin):
// YES only where the full URL parser is certain to serialize the value back unchanged, NO only
// where it is certain not to, UNSURE otherwise (IPv6, `xn--` labels, empty labels, ASCII such as
// `_` that a domain may keep); the TypeScript side sends UNSURE to the full parser. The
// differential fuzz holds this file to the full parser.
//
// References: URL §4.4 basic URL parser (scheme, host and port states), URL §3.5 host parser
// (forbidden host code points, "ends in a number", IPv4 parser), URL §3.6 host serializer,
// HTML §7.1.1 serialization of an origin (the default port is omitted).
import { SCHEME_HTTP, SCHEME_HTTPS, SCHEME_NONE } from '../src/engine/layout';


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

/**
 * The host's labels, left to right (the host split at every dot, empty labels included): 16 bytes
 * each, start, end, 1 if a DNS label (1-63 of [a-z0-9-]), unused. A host of at most 254 bytes has
 * at most 255 labels.
 */
export const MAX_LABELS: i32 = 256;
export const LABEL_SIZE: i32 = 16;
export const L_START: i32 = 0;
export const L_END: i32 = 4;
export const L_DNS: i32 = 8;
export const labels: usize = memory.data(MAX_LABELS * LABEL_SIZE, 16);
export let labelCount: i32 = 0;
/** Index of the first label that is not a DNS label, or labelCount when all are. */
export let firstBadLabel: i32 = 0;

@inline function pushLabel(start: i32, end: i32, dns: bool): void {
  const at = labels + (<usize>labelCount << 4);
  store<i32>(at, start, L_START);
  store<i32>(at, end, L_END);
  store<i32>(at, dns ? 1 : 0, L_DNS);
  if (!dns && firstBadLabel < 0) firstBadLabel = labelCount;
  labelCount++;
}

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

  let i = prefix;
  const start = i;
  if (i < n && load<u8>(s + <usize>i) == Char.LBRACKET) return CANONICAL_UNSURE; // IPv6 (URL §3.5)

  let unsure = false;
  let nonEmpty = 0; // non-empty labels
  let labelStart = i;
  labelCount = 0;
  firstBadLabel = -1;
  // The host, 16 bytes at a time: `special` flags each byte that is not [a-z0-9-]; only those
  // (dots, the colon, anything odd) take a branch. Bytes past `n` are masked off (the caller
  // guarantees 16 readable bytes past the value: the scratch region is padded).
  let end = n;
  while (i < n) {
    const v = v128.load(s + <usize>i);
    const lower = i8x16.lt_u(i8x16.sub(v, i8x16.splat(<i8>Char.a)), i8x16.splat(26));
    const digit = i8x16.lt_u(i8x16.sub(v, i8x16.splat(<i8>Char._0)), i8x16.splat(10));
    const hyphen = i8x16.eq(v, i8x16.splat(<i8>Char.HYPHEN));
    let special = ~i8x16.bitmask(v128.or(v128.or(lower, digit), hyphen)) & 0xffff;
    if (n - i < 16) special &= (1 << (n - i)) - 1;
    let colon = false;
    while (special != 0) {
      const at = i + ctz(special);
      special &= special - 1;
      const c = <u32>load<u8>(s + <usize>at);
      if (c == Char.DOT) {
        if (at == labelStart) unsure = true; // empty label: the parser keeps some, refuses others
        else {
          if (isXnLabel(s, labelStart, at)) unsure = true;
          nonEmpty++;
        }
        if (labelCount < MAX_LABELS) pushLabel(labelStart, at, at > labelStart && at - labelStart <= MAX_LABEL_LENGTH);
        labelStart = at + 1;
        continue;
      }
      if (c == Char.COLON) {
        end = at;
        colon = true;
        break;
      }
      if (c - Char.A <= <u32>(Char.Z - Char.A)) return CANONICAL_NO; // the host parser lower-cases ASCII
      if (c <= <u32>Char.SPACE || c >= <u32>Char.DEL) return CANONICAL_NO; // never in a serialization
      if (neverInHost(c)) return CANONICAL_NO;
      unsure = true; // other ASCII a domain may keep (`_`, `~`, `$`, ...): the full parser decides
    }
    if (colon) break;
    i += 16;
  }
  i = end;
  if (labelStart < end) {
    if (isXnLabel(s, labelStart, end)) unsure = true;
    nonEmpty++;
  }
  // The last label (empty after a trailing dot: not a DNS label).
  if (labelCount < MAX_LABELS) pushLabel(labelStart, end, end > labelStart && end - labelStart <= MAX_LABEL_LENGTH);
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
    if (trailingDot || unsure || nonEmpty != 4 || !isDottedQuad(s, start, end)) return CANONICAL_NO;
  }

  // URL §4.4 port state; the serialization of an origin omits the default port.
  let p = -1;
  if (i < n) {
    i++;
    if (i == n) return CANONICAL_NO; // an empty port serializes as no port
    const first = <u32>load<u8>(s + <usize>i);
    if (!isDigit(first)) return CANONICAL_NO;
    if (first == Char._0 && i + 1 < n) return CANONICAL_NO; // a leading zero is dropped
    p = 0;
    for (; i < n; i++) {
      const c = <u32>load<u8>(s + <usize>i);
      if (!isDigit(c)) return CANONICAL_NO;
      p = p * 10 + <i32>(c - Char._0);
      if (p > 65535) return CANONICAL_NO;
    }
    if (p == schemeDefaultPort) return CANONICAL_NO;
  }
  if (unsure) return CANONICAL_UNSURE;

  hostStart = start;
  hostEnd = end;
  port = p;
  if (firstBadLabel < 0) firstBadLabel = labelCount;
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
  let p = -1;
  if (end < n) {
    p = 0;
    for (let k = end + 1; k < n; k++) p = p * 10 + <i32>(load<u8>(s + <usize>k) - Char._0);
  }
  setSplit(s, prefix, end, p);
}

/**
 * Fill the globals for a canonical origin already split by the caller: the host is
 * [start, end), the port is `p` (-1 for none). The scheme follows from where the host starts
 * (`https://` 8, `http://` 7; the other tuple schemes match no rule).
 */
@inline export function setSplit(s: usize, start: i32, end: i32, p: i32): void {
  scheme = start == 8 ? SCHEME_HTTPS : start == 7 ? SCHEME_HTTP : SCHEME_NONE;
  // The labels: bounds, and whether each is a DNS label (1-63 of [a-z0-9-]).
  labelCount = 0;
  firstBadLabel = -1;
  let labelStart = start;
  let dns = true;
  for (let k = start; k <= end; k++) {
    if (k < end) {
      const c = <u32>load<u8>(s + <usize>k);
      if (c != Char.DOT) {
        if (!isLabelChar(c)) dns = false;
        continue;
      }
    }
    if (labelCount < MAX_LABELS) pushLabel(labelStart, k, dns && k > labelStart && k - labelStart <= MAX_LABEL_LENGTH);
    labelStart = k + 1;
    dns = true;
  }
  if (firstBadLabel < 0) firstBadLabel = labelCount;
  hostStart = start;
  hostEnd = end;
  port = p;
}

export { isLabelChar };

// ---------------------------------------------------------------------------------------------
// Origins of apps and extensions (src/origin/app-origin.ts has the grammar and why): a value the
// tuple scan refused may still be `scheme://host[:port]` of a non-special scheme, which a webview
// or an extension page sends. Only that decision is made here; the engine's TypeScript side
// compares the value with the policy's app origins (exact equality, a Map).
// ---------------------------------------------------------------------------------------------

/** The `len` bytes at `s` are the ASCII string `w`. */
function bytesAre(s: usize, len: i32, w: string): bool {
  if (len != w.length) return false;
  for (let k = 0; k < len; k++) if (<u32>load<u8>(s + <usize>k) != <u32>w.charCodeAt(k)) return false;
  return true;
}

/** Special schemes (URL §4.1) and those whose pages send `null`: never an app origin's. */
function isNotAppScheme(s: usize, len: i32): bool {
  return (
    bytesAre(s, len, 'http') || bytesAre(s, len, 'https') || bytesAre(s, len, 'ws') || bytesAre(s, len, 'wss') ||
    bytesAre(s, len, 'ftp') || bytesAre(s, len, 'file') || bytesAre(s, len, 'data') || bytesAre(s, len, 'blob') ||
    bytesAre(s, len, 'javascript') || bytesAre(s, len, 'about') || bytesAre(s, len, 'filesystem')
  );
}

/** A host byte of an app origin: ASCII letter (either case), digit, `-` or `_`. */
@inline function isAppHostChar(c: u32): bool {
  return c - Char.a <= <u32>(Char.z - Char.a) || c - Char.A <= <u32>(Char.Z - Char.A) || c - Char._0 <= 9 || c == Char.HYPHEN || c == 0x5f;
}

/**
 * Whether the `n` bytes at `s` (at most MAX_ORIGIN_LENGTH) are a canonical app origin:
 * `[a-z][a-z0-9+.-]*` (not a special or `null`-producing scheme), `://`, labels of 1-63
 * `[A-Za-z0-9_-]` joined by dots (253 bytes at most), then optionally `:` and a port 0-65535
 * without a leading zero.
 */
export function isAppOrigin(s: usize, n: i32): bool {
  if (n < 1 || <u32>load<u8>(s) - Char.a > <u32>(Char.z - Char.a)) return false;
  let i = 1;
  while (i < n) {
    const c = <u32>load<u8>(s + <usize>i);
    if (c - Char.a <= <u32>(Char.z - Char.a) || c - Char._0 <= 9 || c == 0x2b || c == Char.HYPHEN || c == Char.DOT) i++;
    else break;
  }
  if (i + 3 > n || load<u8>(s + <usize>i) != Char.COLON || load<u8>(s + <usize>i + 1) != Char.SLASH || load<u8>(s + <usize>i + 2) != Char.SLASH) {
    return false;
  }
  if (isNotAppScheme(s, i)) return false;
  i += 3;
  const start = i;
  let labelStart = i;
  for (; i < n; i++) {
    const c = <u32>load<u8>(s + <usize>i);
    if (isAppHostChar(c)) continue;
    if (c == Char.DOT) {
      if (i == labelStart || i - labelStart > MAX_LABEL_LENGTH) return false;
      labelStart = i + 1;
      continue;
    }
    if (c == Char.COLON) break;
    return false;
  }
  if (i == labelStart || i - labelStart > MAX_LABEL_LENGTH || i - start > MAX_HOST_LENGTH) return false;
  if (i < n) {
    i++; // the `:`
    if (i == n) return false;
    if (load<u8>(s + <usize>i) == Char._0 && i + 1 < n) return false; // a leading zero
    let p = 0;
    for (; i < n; i++) {
      const c = <u32>load<u8>(s + <usize>i);
      if (!isDigit(c)) return false;
      p = p * 10 + <i32>(c - Char._0);
      if (p > 65535) return false;
    }
  }
  return true;
}
