// Fetch §2.2.2 "Headers" (Fetch Review Draft 2025-12 numbering): the request-header rules a
// browser applies before it decides whether a request needs a CORS-preflight fetch:
// "CORS-safelisted request-header" with its value rules (the 128-byte value limit, `Accept`,
// `Accept-Language`/`Content-Language`, the three `Content-Type` essences, `Range`), the
// "CORS-unsafe request-header byte", "CORS-unsafe request-header names" (the 1024-byte total),
// "no-CORS-safelisted request-header", "privileged no-CORS request-header name" and "CORS
// non-wildcard request-header name".
//
// Strings here are the isomorphic decoding of header bytes: one UTF-16 code unit per byte. A
// string holding a code unit above 0xFF has no byte form (the `Headers` API refuses it with a
// TypeError before any of this runs), so every predicate below answers false for it.
import { requireString } from '../arguments.js';
import { isToken } from './methods.js';

/** Fetch §2.2.2 "CORS-safelisted request-header", step 1: "If value's length is greater than 128". */
export const CORS_SAFELISTED_VALUE_MAX_LENGTH = 128;
/** Fetch §2.2.2 "CORS-unsafe request-header names", step 3: "If safelistValueSize is greater than 1024". */
export const CORS_SAFELISTED_TOTAL_MAX_LENGTH = 1024;

/** One entry of a Fetch header list (Fetch §2.2.2): the name as given, the normalised value. */
export interface HeaderEntry {
  readonly name: string;
  readonly value: string;
}

/**
 * Fetch §2.2.2: "A CORS-unsafe request-header byte is a byte byte for which one of the following
 * is true: byte is less than 0x20 and is not 0x09 HT; byte is 0x22 ("), 0x28 (left parenthesis),
 * 0x29 (right parenthesis), 0x3A (:), 0x3C (<), 0x3E (>), 0x3F (?), 0x40 (@), 0x5B ([), 0x5C (\),
 * 0x5D (]), 0x7B ({), 0x7D (}), or 0x7F DEL."
 */
export function isCorsUnsafeRequestHeaderByte(byte: number): boolean {
  if (byte < 0x20) return byte !== 0x09;
  switch (byte) {
    case 0x22:
    case 0x28:
    case 0x29:
    case 0x3a:
    case 0x3c:
    case 0x3e:
    case 0x3f:
    case 0x40:
    case 0x5b:
    case 0x5c:
    case 0x5d:
    case 0x7b:
    case 0x7d:
    case 0x7f:
      return true;
    default:
      return false;
  }
}

/** True when `value` holds a CORS-unsafe request-header byte (or a code unit that is no byte). */
function containsCorsUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || isCorsUnsafeRequestHeaderByte(c)) return true;
  }
  return false;
}

/**
 * Whether every code unit of `value` is a byte (<= 0xFF): what a string of bytes can hold, and
 * what WebIDL's ByteString conversion accepts.
 */
export function isByteString(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * Fetch §2.2.2 "CORS-safelisted request-header", the `Accept-Language`/`Content-Language` rule:
 * "If value contains a byte that is not in the range 0x30 (0) to 0x39 (9), inclusive, is not in the
 * range 0x41 (A) to 0x5A (Z), inclusive, is not in the range 0x61 (a) to 0x7A (z), inclusive, and
 * is not 0x20 SP, 0x2A (*), 0x2C (,), 0x2D (-), 0x2E (.), 0x3B (;), or 0x3D (=), then return false."
 */
function isLanguageValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c >= 0x41 && c <= 0x5a) continue;
    if (c >= 0x61 && c <= 0x7a) continue;
    if (c === 0x20 || c === 0x2a || c === 0x2c || c === 0x2d || c === 0x2e || c === 0x3b || c === 0x3d) continue;
    return false;
  }
  return true;
}

/** HTTP whitespace (Fetch §2.2): U+000A LF, U+000D CR, or an HTTP tab or space. */
export function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** `Content-Type` essences that are CORS-safelisted (Fetch §2.2.2). */
const SAFELISTED_ESSENCES: ReadonlySet<string> = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

/**
 * MIME Sniffing §4.4 "parse a MIME type", as far as the essence (type "/" subtype, lower-case):
 * the parameters that follow can never make the parse fail, so they are not read.
 *  1. Remove any leading and trailing HTTP whitespace from input.
 *  2. Let position be a position variable for input, initially pointing at the start of input.
 *  3. Let type be the result of collecting a sequence of code points that are not U+002F (/).
 *  4. If type is the empty string or does not solely contain HTTP token code points, return failure.
 *  5. If position is past the end of input, then return failure.
 *  6. Advance position by 1. (This skips past U+002F (/).)
 *  7. Let subtype be the result of collecting a sequence of code points that are not U+003B (;).
 *  8. Remove any trailing HTTP whitespace from subtype.
 *  9. If subtype is the empty string or does not solely contain HTTP token code points, return failure.
 * 10. Let mimeType be a new MIME type record whose type is type, in ASCII lowercase, and subtype
 *     is subtype, in ASCII lowercase.
 * Returns the essence, or null for failure.
 */
export function parseMimeTypeEssence(input: string): string | null {
  let start = 0;
  let end = input.length;
  while (start < end && isHttpWhitespace(input.charCodeAt(start))) start++; // 1
  while (end > start && isHttpWhitespace(input.charCodeAt(end - 1))) end--;
  let position = start; // 2
  while (position < end && input.charCodeAt(position) !== 0x2f) position++; // 3
  const type = input.slice(start, position);
  if (!isToken(type)) return null; // 4
  if (position >= end) return null; // 5
  position++; // 6
  const subtypeStart = position;
  while (position < end && input.charCodeAt(position) !== 0x3b) position++; // 7
  let subtypeEnd = position;
  while (subtypeEnd > subtypeStart && isHttpWhitespace(input.charCodeAt(subtypeEnd - 1))) subtypeEnd--; // 8
  const subtype = input.slice(subtypeStart, subtypeEnd);
  if (!isToken(subtype)) return null; // 9
  return `${type.toLowerCase()}/${subtype.toLowerCase()}`; // 10 (tokens are ASCII)
}

/** A range bound: digits as written (possibly with leading zeros), or null when absent. */
export type RangeValue = readonly [start: string | null, end: string | null];

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Compare two non-empty ASCII digit strings as decimal numbers of any size: -1, 0 or 1. */
function compareDecimal(a: string, b: string): number {
  let i = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 0x30) i++;
  let j = 0;
  while (j < b.length - 1 && b.charCodeAt(j) === 0x30) j++;
  const la = a.length - i;
  const lb = b.length - j;
  if (la !== lb) return la < lb ? -1 : 1;
  for (let k = 0; k < la; k++) {
    const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Fetch §2.2.2 "parse a single range header value" from a byte sequence value and a boolean
 * allowWhitespace. Bounds are returned as their digit strings (numbers of any size compare
 * exactly); null is failure.
 *  1. Let data be the isomorphic decoding of value.
 *  2. If data does not start with "bytes", then return failure.
 *  3. Let position be a position variable for data, initially pointing at the 5th code point of data.
 *  4. If allowWhitespace is true, collect a sequence of code points that are HTTP tab or space.
 *  5. If the code point at position within data is not U+003D (=), then return failure.
 *  6. Advance position by 1.
 *  7. If allowWhitespace is true, collect a sequence of code points that are HTTP tab or space.
 *  8. Let rangeStart be the result of collecting a sequence of code points that are ASCII digits.
 *  9. Let rangeStartValue be rangeStart, interpreted as decimal number, if rangeStart is not the
 *     empty string; otherwise null.
 * 10. If allowWhitespace is true, collect a sequence of code points that are HTTP tab or space.
 * 11. If the code point at position within data is not U+002D (-), then return failure.
 * 12. Advance position by 1.
 * 13. If allowWhitespace is true, collect a sequence of code points that are HTTP tab or space.
 * 14. Let rangeEnd be the result of collecting a sequence of code points that are ASCII digits.
 * 15. Let rangeEndValue be rangeEnd, interpreted as decimal number, if rangeEnd is not the empty
 *     string; otherwise null.
 * 16. If position is not past the end of data, then return failure.
 * 17. If rangeEndValue and rangeStartValue are null, then return failure.
 * 18. If rangeStartValue and rangeEndValue are numbers, and rangeStartValue is greater than
 *     rangeEndValue, then return failure.
 * 19. Return (rangeStartValue, rangeEndValue).
 */
export function parseSingleRangeHeaderValue(value: string, allowWhitespace: boolean): RangeValue | null {
  const data = value; // 1
  const n = data.length;
  if (!data.startsWith('bytes')) return null; // 2
  let position = 5; // 3
  const skipWhitespace = (): void => {
    if (!allowWhitespace) return;
    while (position < n && (data.charCodeAt(position) === 0x20 || data.charCodeAt(position) === 0x09)) position++;
  };
  skipWhitespace(); // 4
  if (data.charCodeAt(position) !== 0x3d) return null; // 5
  position++; // 6
  skipWhitespace(); // 7
  const startAt = position;
  while (position < n && isAsciiDigit(data.charCodeAt(position))) position++; // 8
  const rangeStart = startAt === position ? null : data.slice(startAt, position); // 9
  skipWhitespace(); // 10
  if (data.charCodeAt(position) !== 0x2d) return null; // 11
  position++; // 12
  skipWhitespace(); // 13
  const endAt = position;
  while (position < n && isAsciiDigit(data.charCodeAt(position))) position++; // 14
  const rangeEnd = endAt === position ? null : data.slice(endAt, position); // 15
  if (position < n) return null; // 16
  if (rangeStart === null && rangeEnd === null) return null; // 17
  if (rangeStart !== null && rangeEnd !== null && compareDecimal(rangeStart, rangeEnd) > 0) return null; // 18
  return [rangeStart, rangeEnd]; // 19
}

/** Byte-lowercase an ASCII header name (Infra "byte-lowercase": only A-Z change). */
export function byteLowercase(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return name.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return name;
}

/**
 * Fetch §2.2.2 "CORS-safelisted request-header" (name, value):
 *  1. If value's length is greater than 128, then return false.
 *  2. Byte-lowercase name and switch on the result:
 *     `accept`: If value contains a CORS-unsafe request-header byte, then return false.
 *     `accept-language`, `content-language`: If value contains a byte that is not [a digit, an
 *       ASCII letter, SP, `*`, `,`, `-`, `.`, `;`, `=`], then return false.
 *     `content-type`: 1. If value contains a CORS-unsafe request-header byte, then return false.
 *       2. Let mimeType be the result of parsing the result of isomorphic decoding value.
 *       3. If mimeType is failure, then return false.
 *       4. If mimeType's essence is not "application/x-www-form-urlencoded",
 *          "multipart/form-data", or "text/plain", then return false.
 *     `range`: 1. Let rangeValue be the result of parsing a single range header value given value
 *       and false. 2. If rangeValue is failure, then return false. 3. If rangeValue[0] is null,
 *       then return false. (Web browsers have historically not emitted ranges such as
 *       `bytes=-500`, so this algorithm does not safelist them.)
 *     Otherwise: Return false.
 *  3. Return true.
 */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  requireString(name, 'name', 'isCorsSafelistedRequestHeader');
  requireString(value, 'value', 'isCorsSafelistedRequestHeader');
  if (value.length > CORS_SAFELISTED_VALUE_MAX_LENGTH || !isByteString(value)) return false; // 1
  switch (byteLowercase(name)) {
    case 'accept':
      return !containsCorsUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return isLanguageValue(value);
    case 'content-type': {
      if (containsCorsUnsafeByte(value)) return false;
      const essence = parseMimeTypeEssence(value);
      return essence !== null && SAFELISTED_ESSENCES.has(essence);
    }
    case 'range': {
      const range = parseSingleRangeHeaderValue(value, false);
      return range !== null && range[0] !== null;
    }
    default:
      return false;
  }
}

/**
 * Fetch §2.2.2: "A no-CORS-safelisted request-header name is a header name that is a
 * byte-case-insensitive match for one of `Accept`, `Accept-Language`, `Content-Language`,
 * `Content-Type`."
 */
export function isNoCorsSafelistedRequestHeaderName(name: string): boolean {
  requireString(name, 'name', 'isNoCorsSafelistedRequestHeaderName');
  const lower = byteLowercase(name);
  return lower === 'accept' || lower === 'accept-language' || lower === 'content-language' || lower === 'content-type';
}

/**
 * Fetch §2.2.2: "A no-CORS-safelisted request-header is a header (name, value) for which these
 * steps return true: 1. If name is not a no-CORS-safelisted request-header name, then return
 * false. 2. Return whether (name, value) is a CORS-safelisted request-header."
 */
export function isNoCorsSafelistedRequestHeader(name: string, value: string): boolean {
  return isNoCorsSafelistedRequestHeaderName(name) && isCorsSafelistedRequestHeader(name, value);
}

/**
 * Fetch §2.2.2: "A privileged no-CORS request-header name is a header name that is a
 * byte-case-insensitive match for one of `Range`." (Only the user agent sets it on a no-cors
 * request; a script's `Range` there is removed.)
 */
export function isPrivilegedNoCorsRequestHeaderName(name: string): boolean {
  requireString(name, 'name', 'isPrivilegedNoCorsRequestHeaderName');
  return byteLowercase(name) === 'range';
}

/**
 * Fetch §2.2.2: "A CORS non-wildcard request-header name is a header name that is a
 * byte-case-insensitive match for `Authorization`."
 */
export function isCorsNonWildcardRequestHeaderName(name: string): boolean {
  requireString(name, 'name', 'isCorsNonWildcardRequestHeaderName');
  return byteLowercase(name) === 'authorization';
}

/**
 * Fetch §2.2.2 "convert header names to a sorted-lowercase set": byte-lowercase each name, drop
 * repeats, sort in byte order (names are ASCII, so code-unit order is byte order).
 */
export function toSortedLowercaseSet(names: readonly string[]): string[] {
  const set = new Set<string>();
  for (const name of names) set.add(byteLowercase(name));
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Fetch §2.2.2 "CORS-unsafe request-header names", given a header list headers:
 *  1. Let unsafeNames be a new list.
 *  2. Let potentiallyUnsafeNames be a new list.
 *  3. Let safelistValueSize be 0.
 *  4. For each header of headers:
 *     1. If header is not a CORS-safelisted request-header, then append header's name to unsafeNames.
 *     2. Otherwise, append header's name to potentiallyUnsafeNames and increase safelistValueSize
 *        by header's value's length.
 *  5. If safelistValueSize is greater than 1024, then for each name of potentiallyUnsafeNames,
 *     append name to unsafeNames.
 *  6. Return the result of convert header names to a sorted-lowercase set with unsafeNames.
 *
 * `isSafelisted` is the CORS-safelisted request-header predicate: the standard's by default; a
 * browser profile may pass its own (see src/precheck/profiles.ts).
 */
export function corsUnsafeRequestHeaderNames(
  headers: readonly HeaderEntry[],
  isSafelisted: (name: string, value: string) => boolean = isCorsSafelistedRequestHeader,
): string[] {
  const unsafeNames: string[] = []; // 1
  const potentiallyUnsafeNames: string[] = []; // 2
  let safelistValueSize = 0; // 3
  for (const header of headers) {
    // 4
    if (!isSafelisted(header.name, header.value)) unsafeNames.push(header.name); // 4.1
    else {
      potentiallyUnsafeNames.push(header.name); // 4.2
      safelistValueSize += header.value.length;
    }
  }
  if (safelistValueSize > CORS_SAFELISTED_TOTAL_MAX_LENGTH) unsafeNames.push(...potentiallyUnsafeNames); // 5
  return toSortedLowercaseSet(unsafeNames); // 6
}
