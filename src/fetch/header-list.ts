// The `Access-Control-Request-Headers` value, read on the server (Fetch Review Draft 2025-12
// numbering): Fetch §3.3.4 "HTTP new-header syntax" gives its ABNF,
//
//   Access-Control-Request-Headers = 1#field-name
//
// and Fetch §4.8 "CORS-preflight fetch" says what a browser puts there (step 4-5: "Let headers be
// the CORS-unsafe request-header names with request's header list ... Let value be the items in
// headers separated from each other by `,`"), which Fetch §2.2.2 defines as sorted, unique and
// byte-lowercased. The list rules are RFC 9110 §5.6.1: elements separated by `,` with optional
// whitespace (OWS = SP / HTAB) around them, and "a recipient MUST accept empty list elements";
// empty elements do not count. Field names are tokens (RFC 9110 §5.1, §5.6.2) compared
// case-insensitively (Fetch §2.2.2 "byte-case-insensitive").
//
// Hard bounds come first, before anything is split or allocated (rs/cors shipped a denial of
// service from splitting a long value of commas: github.com/rs/cors issue #170, fixed in v1.11.0):
//
// - MAX_REQUEST_HEADERS_LENGTH: a browser lists only the non-safelisted names a page set on one
//   request, each once, lower-case, joined by bare commas. 4096 characters hold, for example, 150
//   names of 26 characters; no real page sends that many custom headers on one fetch, and a Node
//   server's whole request head is 16 KB by default. A policy whose own allow-list is longer raises
//   the cap to that list's length (see `requestHeadersLengthCap`), so a browser asking for every
//   allowed name is never refused for length.
// - MAX_REQUEST_HEADER_NAMES: at most 128 non-empty elements (again raised to the allow-list's size).
//
// Within the caps the value is scanned once, character by character: each element is validated,
// hashed and looked up in a precompiled lower-case name table without building a substring.
import { lowerCode, matchesLowerAt } from './ascii.js';

/** The longest `Access-Control-Request-Headers` value read, in UTF-16 code units (see above). */
export const MAX_REQUEST_HEADERS_LENGTH = 4096;
/** The most non-empty elements read from one `Access-Control-Request-Headers` value. */
export const MAX_REQUEST_HEADER_NAMES = 128;

/** The value is a list of allowed names (or empty). */
export const ACRH_OK = 0;
/** Longer than the length cap or more elements than the element cap: refused without splitting. */
export const ACRH_TOO_LONG = 1;
/** An element is not a field-name token (RFC 9110 §5.1). */
export const ACRH_INVALID = 2;
/** Well-formed, but some name is not allowed. */
export const ACRH_NOT_ALLOWED = 3;
export type RequestHeadersVerdict =
  | typeof ACRH_OK
  | typeof ACRH_TOO_LONG
  | typeof ACRH_INVALID
  | typeof ACRH_NOT_ALLOWED;

/**
 * Fetch §2.2.2: "A CORS non-wildcard request-header name is a header name that is a
 * byte-case-insensitive match for `Authorization`." A `*` in `Access-Control-Allow-Headers`
 * never covers it (Fetch §4.8 step 7.6).
 */
export const CORS_NON_WILDCARD_REQUEST_HEADER_NAME = 'authorization';

/** `tchar` (RFC 9110 §5.6.2), 128 entries: 1 for the characters a token may hold. */
const TCHAR = /* @__PURE__ */ (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of "!#$%&'*+-.^_`|~") t[ch.charCodeAt(0)] = 1;
  return t;
})();

const C_COMMA = 0x2c;
const C_SPACE = 0x20;
const C_TAB = 0x09;

/** FNV-1a, 32-bit, over byte-lowercased ASCII code units; kept as int32 (no boxing). */
const FNV_OFFSET_BASIS = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * A set of header names compiled once, at policy compile time: an open-addressing hash table of
 * lower-case names (linear probing, load factor at most 1/2). A hash hit is always confirmed by
 * comparing every character: a hash is never trusted alone.
 *
 *   slots:  Int32Array(2^k)   0 = empty, else 1 + the name's position in `names`
 *   hashes: Int32Array(n)     FNV-1a of names[i] (int32), compared before the characters
 */
export interface HeaderNameSet {
  /** The distinct lower-case names, in first-seen order. */
  readonly names: readonly string[];
  /** `*` semantics: every name is allowed except a CORS non-wildcard request-header name. */
  readonly wildcard: boolean;
  readonly slots: Int32Array;
  readonly hashes: Int32Array;
  /** The length cap for this set: MAX_REQUEST_HEADERS_LENGTH or the joined list, if longer. */
  readonly lengthCap: number;
  /** The element cap for this set: MAX_REQUEST_HEADER_NAMES or the list's size, if larger. */
  readonly countCap: number;
}

/**
 * Compile header names (policy input, already validated as tokens) into a `HeaderNameSet`. A name
 * that is not a token can never be requested by a browser; it is left out, so it only ever denies.
 */
export function compileHeaderNameSet(names: readonly string[], wildcard: boolean): HeaderNameSet {
  const distinct: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || !isTokenString(name)) continue;
    const lower = asciiLowercase(name);
    if (seen.has(lower)) continue;
    seen.add(lower);
    distinct.push(lower);
  }
  let size = 2;
  while (size < distinct.length * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size);
  const hashes = new Int32Array(distinct.length);
  distinct.forEach((lower, k) => {
    const h = hashRange(lower, 0, lower.length);
    hashes[k] = h;
    let at = h & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = k + 1;
  });
  const joined = distinct.reduce((sum, n) => sum + n.length, 0) + Math.max(0, distinct.length - 1) * 2;
  return Object.freeze({
    names: Object.freeze(distinct),
    wildcard,
    slots,
    hashes,
    lengthCap: Math.max(MAX_REQUEST_HEADERS_LENGTH, joined),
    countCap: Math.max(MAX_REQUEST_HEADER_NAMES, distinct.length),
  });
}

/**
 * Whether every name an `Access-Control-Request-Headers` value lists is allowed by `allowed`
 * (the server's side of Fetch §4.8 step 7.6-7.7: "For each unsafeName of the CORS-unsafe
 * request-header names ..., if unsafeName is not a byte-case-insensitive match for an item in
 * headerNames and ... headerNames does not contain `*`, return a network error").
 *
 * Bounds first: a value longer than `allowed.lengthCap` is ACRH_TOO_LONG without being read.
 * Then one pass: syntax problems (ACRH_INVALID) and the element cap (ACRH_TOO_LONG) take precedence
 * over ACRH_NOT_ALLOWED, whatever the order of the elements. An empty value, or one of empty
 * elements only, lists no names: ACRH_OK. Allocates nothing. Total over strings.
 */
export function checkRequestHeaderNames(value: string, allowed: HeaderNameSet): RequestHeadersVerdict {
  const n = value.length;
  if (n > allowed.lengthCap) return ACRH_TOO_LONG;
  const countCap = allowed.countCap;
  let count = 0;
  let notAllowed = false;
  let i = 0;
  while (i <= n) {
    // One element: [start, end) after OWS is trimmed.
    while (i < n && isOws(value.charCodeAt(i))) i++;
    const start = i;
    let h = FNV_OFFSET_BASIS;
    let end = i;
    let invalid = false;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === C_COMMA) break;
      if (isOws(c)) continue; // trailing OWS, or OWS inside (checked below)
      if (c >= 128 || TCHAR[c] !== 1) invalid = true;
      if (end !== i) invalid = true; // whitespace between two token characters
      h = Math.imul(h ^ lowerCode(c), FNV_PRIME);
      end = i + 1;
    }
    i++; // past the comma (or past the end)
    if (invalid) return ACRH_INVALID;
    if (end === start) continue; // empty element: RFC 9110 §5.6.1, ignored
    if (++count > countCap) return ACRH_TOO_LONG;
    if (!notAllowed && !isAllowedRange(value, start, end, h, allowed)) notAllowed = true;
  }
  return notAllowed ? ACRH_NOT_ALLOWED : ACRH_OK;
}

/**
 * The names an `Access-Control-Request-Headers` value lists, byte-lowercased, deduplicated and
 * sorted (the form Fetch §2.2.2 "CORS-unsafe request-header names" gives), or null when the value
 * is over the default caps or not a list of field names. For diagnostics and tests; the per-request
 * path uses `checkRequestHeaderNames`, which builds nothing.
 */
export function parseRequestHeaderNames(value: string): string[] | null {
  if (typeof value !== 'string') {
    throw new TypeError('corset: parseRequestHeaderNames(value): value must be a string');
  }
  if (value.length > MAX_REQUEST_HEADERS_LENGTH) return null;
  const everything = compileHeaderNameSet([], true);
  const verdict = checkRequestHeaderNames(value, everything);
  if (verdict === ACRH_TOO_LONG || verdict === ACRH_INVALID) return null;
  // Well-formed and within the caps: splitting is now bounded.
  const names = new Set<string>();
  for (const element of value.split(',')) {
    const name = trimOws(element);
    if (name !== '') names.add(asciiLowercase(name));
  }
  return [...names].sort();
}

function isAllowedRange(s: string, start: number, end: number, h: number, allowed: HeaderNameSet): boolean {
  const slots = allowed.slots;
  const mask = slots.length - 1;
  for (let at = h & mask, e = slots[at] as number; e !== 0; at = (at + 1) & mask, e = slots[at] as number) {
    const k = e - 1;
    if (allowed.hashes[k] === h && end - start === (allowed.names[k] as string).length && matchesLowerAt(s, start, allowed.names[k] as string)) return true;
  }
  return allowed.wildcard && !(end - start === CORS_NON_WILDCARD_REQUEST_HEADER_NAME.length && matchesLowerAt(s, start, CORS_NON_WILDCARD_REQUEST_HEADER_NAME));
}

function hashRange(s: string, start: number, end: number): number {
  let h = FNV_OFFSET_BASIS;
  for (let k = start; k < end; k++) h = Math.imul(h ^ lowerCode(s.charCodeAt(k)), FNV_PRIME);
  return h;
}

/** Infra "byte-lowercase" of one code unit: only A-Z change. */
function isOws(c: number): boolean {
  return c === C_SPACE || c === C_TAB;
}

function isTokenString(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128 || TCHAR[c] !== 1) return false;
  }
  return true;
}

function asciiLowercase(s: string): string {
  let out = '';
  for (let k = 0; k < s.length; k++) out += String.fromCharCode(lowerCode(s.charCodeAt(k)));
  return out;
}

function trimOws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isOws(s.charCodeAt(a))) a++;
  while (b > a && isOws(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}
