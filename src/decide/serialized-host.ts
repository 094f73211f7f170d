// Host and port values already in the form the URL Standard serializes them to: for those, a
// request's own origin is known without running the URL parser, and HTML §7.1.1 "same origin"
// with a canonical `Origin` value is string equality. Shared by decide (its `url`) and the
// adapters (`Host`, `request.url`).
import { MAX_HOST_LENGTH_WITH_DOT, MAX_PORT_SUFFIX_LENGTH } from '../origin/limits.js';

/**
 * The longest `Host` value that can name an http(s) origin: a host with its trailing dot (254)
 * and `:65535`. A bracketed IPv6 address (at most 47 characters) is shorter.
 */
export const MAX_HOST_HEADER_LENGTH = MAX_HOST_LENGTH_WITH_DOT + MAX_PORT_SUFFIX_LENGTH;

/**
 * The length of `url`'s origin when `url` provably begins with it, else -1 ("not sure": the URL
 * parser decides). Provably: `http://` or `https://` followed by an authority of `[a-z0-9.:-]`
 * only that `isSerializedHostPort` accepts, ending the string or followed by `/`, `?` or `#`
 * (URL §4.4 "special authority ignore slashes state" onward: no userinfo, and the host parser
 * returns such a host unchanged). The origin is then `url.slice(0, length)`.
 */
export function serializedOriginLength(url: string): number {
  // `http://` or `https://`, compared by code unit (cheaper than two startsWith).
  if (url.length < 8 || url.charCodeAt(0) !== 0x68 || url.charCodeAt(1) !== 0x74 || url.charCodeAt(2) !== 0x74 || url.charCodeAt(3) !== 0x70) return -1;
  const https = url.charCodeAt(4) === 0x73;
  const colon = https ? 5 : 4;
  if (url.charCodeAt(colon) !== 0x3a || url.charCodeAt(colon + 1) !== 0x2f || url.charCodeAt(colon + 2) !== 0x2f) return -1;
  const start = colon + 3;
  const n = url.length;
  let end = start;
  // Read at most one character past the longest host: a longer one is refused without reading on.
  const last = Math.min(n, start + MAX_HOST_HEADER_LENGTH + 1);
  while (end < last) {
    const c = url.charCodeAt(end);
    if (c >= 128 || HOST_CHAR[c] !== 1) break;
    end++;
  }
  if (end < n) {
    const c = url.charCodeAt(end);
    if (c !== 0x2f && c !== 0x3f && c !== 0x23) return -1;
  }
  if (end === start || end - start > MAX_HOST_HEADER_LENGTH) return -1;
  return isSerializedHostPortIn(url, start, end, https) ? end : -1;
}

/**
 * Per character code below 128: 0 refused, 1 allowed and possible in a serialized host and port
 * (`[a-z0-9.:-]`), 2 allowed but left to the URL parser (`[A-Z_]`, `[`, `]`).
 */
export const HOST_CHAR = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of '.-:') t[ch.charCodeAt(0)] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 2;
  for (const ch of '_[]') t[ch.charCodeAt(0)] = 2;
  return t;
})();

/**
 * Whether `value` (only `[a-z0-9.:-]`) is `host[:port]` exactly as URL §3.6 and §4.5 serialize
 * it, so that the URL parser would give it back unchanged or fail: non-empty labels, no trailing
 * dot; a last label starting with a digit only in a canonical dotted quad (URL §3.5 step 10 "ends
 * in a number": such hosts are IPv4 and re-serialized); a port of digits without a leading zero,
 * at most 65535, and not the scheme's default (which the serializer omits). Lower-case ASCII
 * labels are their own UTS #46 mapping. `false` means "not sure", never "not same-origin".
 */
export function isSerializedHostPort(value: string, scheme: string): boolean {
  return isSerializedHostPortIn(value, 0, value.length, scheme === 'https');
}

/** `isSerializedHostPort` for `s.slice(from, to)`, in one pass and without the slice. */
function isSerializedHostPortIn(s: string, from: number, to: number, https: boolean): boolean {
  let colon = -1;
  let lastDot = from - 1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) {
      colon = i;
      break;
    }
    if (c === 0x2e) {
      if (lastDot === i - 1 && i > from) return false; // an empty label
      lastDot = i;
    }
  }
  const hostEnd = colon === -1 ? to : colon;
  if (hostEnd === from || s.charCodeAt(from) === 0x2e || s.charCodeAt(hostEnd - 1) === 0x2e) return false;
  if (colon !== -1) {
    const portLength = to - colon - 1;
    if (portLength < 1 || portLength > 5) return false;
    if (s.charCodeAt(colon + 1) === 0x30) return false; // leading zero (or port 0)
    let port = 0;
    for (let i = colon + 1; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false; // a second `:` included
      port = port * 10 + (c - 0x30);
    }
    if (port > 65535 || port === (https ? 443 : 80)) return false;
  }
  const first = s.charCodeAt(lastDot + 1);
  if (first >= 0x30 && first <= 0x39) return isDottedQuad(s, from, hostEnd);
  return true;
}

/** Four decimal parts, each 0-255 without a leading zero: the IPv4 serializer's output (URL §3.6). */
function isDottedQuad(value: string, from: number, end: number): boolean {
  let parts = 0;
  let i = from;
  while (i <= end) {
    const start = i;
    let n = 0;
    while (i < end && value.charCodeAt(i) !== 0x2e) {
      const c = value.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
      n = n * 10 + (c - 0x30);
      i++;
    }
    const len = i - start;
    if (len === 0 || len > 3 || n > 255 || (len > 1 && value.charCodeAt(start) === 0x30)) return false;
    parts++;
    i++; // past the dot (or past the end)
  }
  return parts === 4;
}
