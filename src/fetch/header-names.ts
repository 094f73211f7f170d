// Fetch §2.2.2 "Headers": header names, forbidden request-headers and forbidden response-header
// names. Shared by the policy validator, decide() and the browser-side precheck.
//
// Per-request cost: comparisons go through a table of candidate names bucketed by length and a
// case-folding char-code compare; nothing is lower-cased, sliced or split into new strings.
import { requireString } from '../arguments.js';
import { matchesLowerAt } from './ascii.js';
import { isForbiddenMethodRange, isToken } from './methods.js';

/**
 * Fetch §2.2.2: "A header name is a byte sequence that matches the field-name token production"
 * (RFC 9110 §5.1: `field-name = token`).
 */
export function isHeaderName(s: string): boolean {
  requireString(s, 's', 'isHeaderName');
  return isToken(s);
}

/** `names` bucketed by length, for one length test and a few compares per lookup. */
function byLength(names: readonly string[]): readonly (readonly string[])[] {
  const buckets: string[][] = [];
  for (const name of names) {
    while (buckets.length <= name.length) buckets.push([]);
    buckets[name.length]!.push(name);
  }
  return buckets;
}

function isOneOf(s: string, buckets: readonly (readonly string[])[]): boolean {
  const bucket = buckets[s.length];
  if (bucket === undefined) return false;
  for (const name of bucket) if (matchesLowerAt(s, 0, name)) return true;
  return false;
}

/** Fetch §2.2.2 "forbidden request-header", step 1: the names forbidden whatever their value. */
const FORBIDDEN_REQUEST_HEADER_NAMES = byLength([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** Fetch §2.2.2 "forbidden request-header", step 3: forbidden when naming a forbidden method. */
const METHOD_OVERRIDE_HEADER_NAMES = byLength(['x-http-method', 'x-http-method-override', 'x-method-override']);

/**
 * Fetch §2.2.2: "A header (name, value) is forbidden request-header if these steps return true:
 *  1. If name is a byte-case-insensitive match for one of: `Accept-Charset`, `Accept-Encoding`,
 *     `Access-Control-Request-Headers`, `Access-Control-Request-Method`, `Connection`,
 *     `Content-Length`, `Cookie`, `Cookie2`, `Date`, `DNT`, `Expect`, `Host`, `Keep-Alive`,
 *     `Origin`, `Referer`, `Set-Cookie`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`, `Via`,
 *     then return true.
 *  2. If name when byte-lowercased starts with `proxy-` or `sec-`, then return true.
 *  3. If name is a byte-case-insensitive match for one of: `X-HTTP-Method`,
 *     `X-HTTP-Method-Override`, `X-Method-Override`, then:
 *     1. Let parsedValues be the result of getting, decoding, and splitting value.
 *     2. For each method of parsedValues: if the isomorphic encoding of method is a forbidden
 *        method, then return true.
 *  4. Return false."
 *
 * Pass the empty string as `value` to ask about the name alone (step 3 then never fires).
 */
export function isForbiddenRequestHeader(name: string, value: string): boolean {
  requireString(name, 'name', 'isForbiddenRequestHeader');
  requireString(value, 'value', 'isForbiddenRequestHeader');
  // 1.
  if (isOneOf(name, FORBIDDEN_REQUEST_HEADER_NAMES)) return true;
  // 2.
  if (name.length >= 6 && matchesLowerAt(name, 0, 'proxy-')) return true;
  if (name.length >= 4 && matchesLowerAt(name, 0, 'sec-')) return true;
  // 3.
  if (isOneOf(name, METHOD_OVERRIDE_HEADER_NAMES)) return anyValueIsForbiddenMethod(value);
  // 4.
  return false;
}

const C_TAB = 0x09;
const C_SPACE = 0x20;
const C_QUOTE = 0x22;
const C_COMMA = 0x2c;
const C_BACKSLASH = 0x5c;

/**
 * Fetch §2.2.2 "forbidden request-header", step 3, run over Fetch §2.2.2 "get, decode, and split"
 * a header value without building the list: each value is visited as a range of `value`.
 *
 * "get, decode, and split" (header value): 1. Let input be the isomorphic decoding of value (a JS
 * string already is). 2-4. position at the start, values « », temporaryValue "". 5. While true:
 *   1. Append the code points that are not U+0022 (") or U+002C (,) to temporaryValue.
 *   2. If the code point at position is U+0022 ("): append the result of collecting an HTTP quoted
 *      string (Fetch §2.2, with backslash escapes) to temporaryValue; if position is not past the
 *      end, continue.
 *   3. Remove all HTTP tab or space from the start and end of temporaryValue.
 *   4-5. Append temporaryValue to values; set it to "".
 *   6. If position is past the end of input, return values.
 *   7-8. Assert: the code point at position is U+002C (,); advance position by 1.
 *
 * A value that held a quoted string keeps its quotes ("extract-value" is false), so it can never
 * be a method: those values are only skipped. Linear in the length of `value`, allocation-free.
 */
function anyValueIsForbiddenMethod(value: string): boolean {
  const n = value.length;
  let position = 0;
  let start = 0; // where the current temporaryValue begins
  let quoted = false; // the current temporaryValue holds a quoted string
  for (;;) {
    // 5.1
    while (position < n) {
      const c = value.charCodeAt(position);
      if (c === C_QUOTE || c === C_COMMA) break;
      position++;
    }
    // 5.2: collect an HTTP quoted string (Fetch §2.2): skip to the closing quote, honouring `\`.
    if (position < n && value.charCodeAt(position) === C_QUOTE) {
      quoted = true;
      position++;
      while (position < n) {
        const c = value.charCodeAt(position);
        position++;
        if (c === C_BACKSLASH) {
          if (position < n) position++;
        } else if (c === C_QUOTE) break;
      }
      if (position < n) continue;
    }
    // 5.3: trim HTTP tab or space.
    let end = position;
    let first = start;
    while (first < end && isTabOrSpace(value.charCodeAt(first))) first++;
    while (end > first && isTabOrSpace(value.charCodeAt(end - 1))) end--;
    // 5.4 (and step 3.2 of the caller, per value).
    if (!quoted && isForbiddenMethodRange(value, first, end)) return true;
    // 5.6
    if (position >= n) return false;
    // 5.7-5.8: the code point at position is a comma.
    position++;
    start = position;
    quoted = false;
  }
}

function isTabOrSpace(c: number): boolean {
  return c === C_TAB || c === C_SPACE;
}

/** Fetch §2.2.2: "A forbidden response-header name is ... `Set-Cookie`, `Set-Cookie2`." */
export function isForbiddenResponseHeaderName(name: string): boolean {
  requireString(name, 'name', 'isForbiddenResponseHeaderName');
  const n = name.length;
  if (n !== 10 && n !== 11) return false;
  if (!matchesLowerAt(name, 0, 'set-cookie')) return false;
  return n === 10 || name.charCodeAt(10) === 0x32; // '2'
}
