// A response's header list as the browser's fetch code sees it (Fetch §2.2.2 "header list"),
// built from what the caller hands to checkPreflight/checkResponse: a `Headers` object, or a
// plain record of what the server sent.
//
// - Names match byte-case-insensitively (Fetch §2.2.2 "contains", "get").
// - Fetch §2.2.2 "get" a name: "the values of all headers in list whose name is a
//   byte-case-insensitive match for name, separated from each other by 0x2C 0x20, in order".
//   A `Headers` object already joins repeated fields this way; in a record, two keys that differ
//   only in case are joined the same way, in the record's key order.
// - A server's value arrives without the whitespace around it: an HTTP parser drops the optional
//   whitespace before and after a field value (RFC 9110 §5.5), and Fetch "normalize" strips HTTP
//   whitespace. A record value is normalised so here.
import { isToken } from '../fetch/methods.js';
import { byteLowercase, isHttpWhitespace } from '../fetch/safelisted-request-header.js';

export interface ResponseHeaderList {
  /** Unique lower-case names, in first-seen order. */
  readonly names: readonly string[];
  /** Fetch "get": the combined value, or null when the list does not contain the name. */
  get(lowerName: string): string | null;
}

/** Fetch §2.2.2 "normalize" a potential value: remove leading and trailing HTTP whitespace bytes. */
export function normalizeHeaderValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

interface HeadersLike {
  forEach(callback: (value: string, name: string) => void): void;
}

function isHeadersLike(x: unknown): x is HeadersLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as { forEach?: unknown }).forEach === 'function' &&
    typeof (x as { get?: unknown }).get === 'function'
  );
}

/**
 * Read `headers` (a `Headers` object or a record) into a header list. Entries whose name is not
 * a header name (a token), or whose value is not a string, cannot come from an HTTP response and
 * are left out: a check that needs them then fails, it never passes on them.
 */
export function readResponseHeaders(headers: unknown): ResponseHeaderList {
  const map = new Map<string, string>();
  const add = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || typeof value !== 'string' || !isToken(name)) return;
    const lower = byteLowercase(name);
    const v = normalizeHeaderValue(value);
    const prior = map.get(lower);
    map.set(lower, prior === undefined ? v : `${prior}, ${v}`);
  };
  try {
    if (isHeadersLike(headers)) headers.forEach((value, name) => add(name, value));
    else if (typeof headers === 'object' && headers !== null && !Array.isArray(headers)) {
      for (const name of Object.keys(headers)) add(name, (headers as Record<string, unknown>)[name]);
    }
  } catch {
    map.clear(); // a throwing getter or iterator: nothing is known, so nothing passes
  }
  return {
    names: [...map.keys()],
    get: (lowerName) => map.get(lowerName) ?? null,
  };
}

/**
 * Fetch §2.2.2 "extract header list values" for a header whose ABNF is a `#token` list
 * (`Access-Control-Allow-Methods = #method`, `Access-Control-Allow-Headers = #field-name`,
 * `Access-Control-Expose-Headers = #field-name`, Fetch §3.3.4):
 *  1. If list does not contain name, then return null.
 *  2. (Lists allow more than one header: not a failure.)
 *  3-4. For each header whose name is name, extract its values per the ABNF; failure if that fails.
 *  5. Return values.
 * The `#rule` (RFC 9110 §5.6.1): elements separated by `,` with optional whitespace around them;
 * empty elements are allowed and ignored. Returns the values, null, or 'failure'.
 */
export function extractTokenListValues(list: ResponseHeaderList, lowerName: string): string[] | null | 'failure' {
  const combined = list.get(lowerName);
  if (combined === null) return null; // 1
  const values: string[] = [];
  for (const element of combined.split(',')) {
    let start = 0;
    let end = element.length;
    while (start < end && (element.charCodeAt(start) === 0x20 || element.charCodeAt(start) === 0x09)) start++;
    while (end > start && (element.charCodeAt(end - 1) === 0x20 || element.charCodeAt(end - 1) === 0x09)) end--;
    if (start === end) continue; // an empty list element
    const item = element.slice(start, end);
    if (!isToken(item)) return 'failure';
    values.push(item);
  }
  return values;
}
