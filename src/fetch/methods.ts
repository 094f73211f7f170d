// Fetch §2.2.1 "Methods": the method token, CORS-safelisted methods, forbidden methods and
// method normalisation. Shared by decide() (server side) and the browser-side precheck, so the
// two can never disagree about what a method is.
//
// Every function here runs on the per-request path: char-code loops over a 128-entry table, no
// regular expressions, no allocation (normalizeMethod returns interned constants).
import { requireString } from '../arguments.js';
import { matchesLowerAt } from './ascii.js';

/** `tchar` (RFC 9110 §5.6.2): 1 for the 77 ASCII characters a token may hold. */
const TCHAR = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1; // DIGIT
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1; // ALPHA (upper)
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1; // ALPHA (lower)
  for (const ch of "!#$%&'*+-.^_`|~") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/**
 * RFC 9110 §5.6.2 `token = 1*tchar`. Total over strings: the empty string and anything outside
 * printable ASCII give false.
 */
export function isToken(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TCHAR[c] !== 1) return false;
  }
  return true;
}

/**
 * Fetch §2.2.1: "A method is a byte sequence that matches the method token production"
 * (RFC 9110 §9.1: `method = token`).
 */
export function isMethodToken(s: string): boolean {
  requireString(s, 's', 'isMethodToken');
  return isToken(s);
}

/**
 * Fetch §2.2.1 "normalize": "To normalize a method, if it is a byte-case-insensitive match for
 * `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST`, or `PUT`, byte-uppercase it." Anything else comes
 * back unchanged (methods are case-sensitive: `patch` stays `patch`).
 */
export function normalizeMethod(m: string): string {
  requireString(m, 'm', 'normalizeMethod');
  switch (m.length) {
    case 3:
      if (matchesLowerAt(m, 0, 'get')) return 'GET';
      if (matchesLowerAt(m, 0, 'put')) return 'PUT';
      return m;
    case 4:
      if (matchesLowerAt(m, 0, 'post')) return 'POST';
      if (matchesLowerAt(m, 0, 'head')) return 'HEAD';
      return m;
    case 6:
      return matchesLowerAt(m, 0, 'delete') ? 'DELETE' : m;
    case 7:
      return matchesLowerAt(m, 0, 'options') ? 'OPTIONS' : m;
    default:
      return m;
  }
}

/**
 * Fetch §2.2.1: "A forbidden method is a method that is a byte-case-insensitive match for
 * `CONNECT`, `TRACE`, or `TRACK`."
 */
export function isForbiddenMethod(m: string): boolean {
  requireString(m, 'm', 'isForbiddenMethod');
  return isForbiddenMethodRange(m, 0, m.length);
}

/**
 * The forbidden-method test on `s[start, end)`, without slicing: used where a header value is
 * split in place (Fetch §2.2.2 "forbidden request-header", step 3).
 */
export function isForbiddenMethodRange(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n === 5) return matchesLowerAt(s, start, 'trace') || matchesLowerAt(s, start, 'track');
  if (n === 7) return matchesLowerAt(s, start, 'connect');
  return false;
}

/**
 * Fetch §2.2.1: "A CORS-safelisted method is a method that is `GET`, `HEAD`, or `POST`." The
 * comparison is exact: callers normalise first (as the `Request` constructor does, Fetch §5.4), so
 * `get` here is not safelisted.
 */
export function isCorsSafelistedMethod(m: string): boolean {
  requireString(m, 'm', 'isCorsSafelistedMethod');
  return m === 'GET' || m === 'HEAD' || m === 'POST';
}
