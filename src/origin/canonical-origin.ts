// The fast path for `Origin` header values: one pass over the characters, no allocation,
// deciding whether the value is already a canonical serialized origin (HTML §7.1.1
// "serialization of an origin") without running the URL parser.
//
// It answers YES only where the full parser (URL §4.4 basic URL parser, then URL §4.7 origin,
// then HTML's serialization) is certain to give back the same string; NO only where it is certain
// to fail or give back a different string; UNSURE otherwise (IPv6 hosts, `xn--` labels, empty
// labels, ASCII the parser keeps but a browser never sends, such as `_`). UNSURE goes to the full
// parser. test/canonical-origin.test.ts holds the two to this contract with a property test.
import { MAX_HOST_LENGTH, MAX_HOST_LENGTH_WITH_DOT, MAX_ORIGIN_LENGTH } from './limits.js';

export const CANONICAL_NO = 0;
export const CANONICAL_YES = 1;
export const CANONICAL_UNSURE = 2;
export type CanonicalVerdict = typeof CANONICAL_NO | typeof CANONICAL_YES | typeof CANONICAL_UNSURE;

/** Where the parts of a scanned origin sit. Reused by the caller: the scan allocates nothing. */
export interface OriginScan {
  /** One of the special schemes with a tuple origin (URL §4.7): http, https, ws, wss, ftp. */
  scheme: string;
  /** The host is `value.slice(hostStart, hostEnd)`. */
  hostStart: number;
  hostEnd: number;
  /** The explicit port, or -1 when the origin has none (the scheme's default). */
  port: number;
}

export function newOriginScan(): OriginScan {
  return { scheme: '', hostStart: 0, hostEnd: 0, port: -1 };
}

// Character codes used below.
const C_0 = 0x30;
const C_9 = 0x39;
const C_a = 0x61;
const C_z = 0x7a;
const C_A = 0x41;
const C_Z = 0x5a;
const C_x = 0x78;
const C_n = 0x6e;
const C_HYPHEN = 0x2d;
const C_DOT = 0x2e;
const C_COLON = 0x3a;
const C_LBRACKET = 0x5b;

/**
 * Printable ASCII that can never stand in a serialized host: URL §3.5 forbidden host code points
 * (a failure) plus `%` (forbidden domain code point) plus `/ ? # \ @` (they end the host, so the
 * serialization would differ). 128 entries, 1 = never canonical.
 */
const NEVER_IN_HOST = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (const ch of '#%/<>?@[\\]^|') t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** The five special schemes whose URLs have tuple origins, and their default ports (URL §4.1). */
const SCHEMES = [
  { scheme: 'https', prefix: 'https://', defaultPort: 443 },
  { scheme: 'http', prefix: 'http://', defaultPort: 80 },
  { scheme: 'wss', prefix: 'wss://', defaultPort: 443 },
  { scheme: 'ws', prefix: 'ws://', defaultPort: 80 },
  { scheme: 'ftp', prefix: 'ftp://', defaultPort: 21 },
] as const;
type SchemeEntry = (typeof SCHEMES)[number];

/** The scheme entry whose `scheme://` prefix `s` starts with (exact, lower-case), or null. */
function matchScheme(s: string): SchemeEntry | null {
  for (const entry of SCHEMES) if (s.startsWith(entry.prefix)) return entry;
  return null;
}

/**
 * Decide whether `s` is a canonical serialized tuple origin. Fills `out` when the answer is
 * YES (and, for the scheme, when it is UNSURE). Total: any string, any length.
 */
export function scanCanonicalOrigin(s: string, out: OriginScan): CanonicalVerdict {
  const n = s.length;
  if (n > MAX_ORIGIN_LENGTH) return CANONICAL_NO;
  const scheme = matchScheme(s);
  if (scheme === null) return CANONICAL_NO;
  out.scheme = scheme.scheme;

  let i = scheme.prefix.length;
  const hostStart = i;
  if (i < n && s.charCodeAt(i) === C_LBRACKET) return CANONICAL_UNSURE; // IPv6 (URL §3.5)

  let unsure = false;
  let labels = 0; // non-empty labels seen
  let labelStart = i;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= C_a && c <= C_z) || (c >= C_0 && c <= C_9) || c === C_HYPHEN) continue;
    if (c === C_DOT) {
      if (i === labelStart) unsure = true; // empty label: the parser keeps some, refuses others
      else {
        if (isXnLabel(s, labelStart, i)) unsure = true;
        labels++;
      }
      labelStart = i + 1;
      continue;
    }
    if (c === C_COLON) break;
    if (c >= C_A && c <= C_Z) return CANONICAL_NO; // the host parser lower-cases ASCII
    if (c <= 0x20 || c >= 0x7f) return CANONICAL_NO; // never in a serialization (ASCII, no C0, no space)
    if (NEVER_IN_HOST[c] === 1) return CANONICAL_NO;
    unsure = true; // other ASCII a domain may keep (`_`, `~`, `$`, ...): the full parser decides
  }
  const hostEnd = i;
  if (labelStart < hostEnd) {
    if (isXnLabel(s, labelStart, hostEnd)) unsure = true;
    labels++;
  }
  const hostLength = hostEnd - hostStart;
  if (hostLength === 0) return CANONICAL_NO; // URL §4.4 host state: empty host is a failure
  const trailingDot = s.charCodeAt(hostEnd - 1) === C_DOT;
  if (hostLength > (trailingDot ? MAX_HOST_LENGTH_WITH_DOT : MAX_HOST_LENGTH)) return CANONICAL_NO;

  // URL §3.5 host parser, step 10: a domain that "ends in a number" is parsed as IPv4, and the
  // IPv4 serializer always prints four decimal parts. So such a host is canonical only as an
  // exact dotted quad, without a trailing dot. The checker looks at the last label after dropping
  // one trailing empty label.
  const lastEnd = trailingDot ? hostEnd - 1 : hostEnd;
  let lastStart = lastEnd;
  while (lastStart > hostStart && s.charCodeAt(lastStart - 1) !== C_DOT) lastStart--;
  if (lastStart < lastEnd && endsInANumber(s, lastStart, lastEnd)) {
    if (trailingDot || unsure || labels !== 4 || !isDottedQuad(s, hostStart, hostEnd)) return CANONICAL_NO;
  }

  // Port (URL §4.4 port state, then origin serialization omits the default port).
  let port = -1;
  if (i < n) {
    // s[i] === ':'
    i++;
    if (i === n) return CANONICAL_NO; // empty port serializes as no port
    const first = s.charCodeAt(i);
    if (first < C_0 || first > C_9) return CANONICAL_NO;
    if (first === C_0 && i + 1 < n) return CANONICAL_NO; // leading zero: re-serialized without it
    port = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < C_0 || c > C_9) return CANONICAL_NO;
      port = port * 10 + (c - C_0);
      if (port > 65535) return CANONICAL_NO;
    }
    if (port === scheme.defaultPort) return CANONICAL_NO; // the serialization omits it
  }

  out.hostStart = hostStart;
  out.hostEnd = hostEnd;
  out.port = port;
  return unsure ? CANONICAL_UNSURE : CANONICAL_YES;
}

/** A label starting with `xn--` goes through punycode validation (UTS #46 §4.1, step 4). */
function isXnLabel(s: string, start: number, end: number): boolean {
  return (
    end - start >= 4 &&
    s.charCodeAt(start) === C_x &&
    s.charCodeAt(start + 1) === C_n &&
    s.charCodeAt(start + 2) === C_HYPHEN &&
    s.charCodeAt(start + 3) === C_HYPHEN
  );
}

/**
 * URL §3.5 "ends in a number checker", for a label of `[a-z0-9-]` (upper case was refused
 * earlier): all ASCII digits, or `0x` followed by hex digits only.
 */
function endsInANumber(s: string, start: number, end: number): boolean {
  let allDigits = true;
  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c < C_0 || c > C_9) {
      allDigits = false;
      break;
    }
  }
  if (allDigits) return true;
  if (end - start >= 2 && s.charCodeAt(start) === C_0 && s.charCodeAt(start + 1) === C_x) {
    for (let k = start + 2; k < end; k++) {
      const c = s.charCodeAt(k);
      const hex = (c >= C_0 && c <= C_9) || (c >= C_a && c <= 0x66);
      if (!hex) return false;
    }
    return true;
  }
  return false;
}

/** Four decimal parts 0-255 without leading zeros: the URL §3.6 IPv4 serializer's output. */
function isDottedQuad(s: string, start: number, end: number): boolean {
  let parts = 0;
  let k = start;
  while (k <= end) {
    const partStart = k;
    let value = 0;
    while (k < end && s.charCodeAt(k) !== C_DOT) {
      const c = s.charCodeAt(k);
      if (c < C_0 || c > C_9) return false;
      value = value * 10 + (c - C_0);
      k++;
    }
    const len = k - partStart;
    if (len === 0 || len > 3 || value > 255) return false;
    if (len > 1 && s.charCodeAt(partStart) === C_0) return false;
    parts++;
    k++; // skip the dot (or step past the end)
  }
  return parts === 4;
}
