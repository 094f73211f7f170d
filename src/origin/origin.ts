// Origins: URL §4.7 "origin" of a URL, HTML §7.1.1 "serialization of an origin" and "same
// origin", and the strict reading of an `Origin` header (Fetch §3.2.5 "Origin" header: the value
// is a serialized origin or `null`).
import type { OpaqueOrigin, Origin, TupleOrigin } from '../types.js';
import { parseURL } from '../url/backend.js';
import {
  CANONICAL_NO,
  CANONICAL_UNSURE,
  CANONICAL_YES,
  newOriginScan,
  scanCanonicalOrigin,
} from './canonical-origin.js';
import { MAX_HOST_LENGTH, MAX_HOST_LENGTH_WITH_DOT, MAX_URL_LENGTH } from './limits.js';

/** A new opaque origin (HTML §7.1.1): unique, equal only to itself. */
export function newOpaqueOrigin(): OpaqueOrigin {
  return Object.freeze({ opaque: true, serialized: 'null' }) as OpaqueOrigin;
}

function tupleOrigin(scheme: string, host: string, port: number | null): TupleOrigin {
  return Object.freeze({
    opaque: false,
    scheme,
    host,
    port,
    serialized: serializeTuple(scheme, host, port),
  }) as TupleOrigin;
}

/**
 * HTML §7.1.1 "serialization of an origin": "null" for an opaque origin; otherwise scheme,
 * "://", the serialized host, and ":" port when the port is non-null.
 */
export function serializeOrigin(origin: Origin): string {
  if (origin === null || typeof origin !== 'object') {
    throw new TypeError('corset: serializeOrigin(origin): origin must be an Origin object');
  }
  if (origin.opaque) return 'null';
  return serializeTuple(origin.scheme, origin.host, origin.port);
}

function serializeTuple(scheme: string, host: string, port: number | null): string {
  return port === null ? `${scheme}://${host}` : `${scheme}://${host}:${port}`;
}

/** Special schemes whose URLs have a tuple origin (URL §4.7, step "http, https, ws, wss, ftp"). */
const TUPLE_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ws', 'wss', 'ftp']);

/**
 * URL §4.7 "origin" of a URL record (blob URL entries do not exist outside a browser, so step 1.1
 * never applies).
 */
function originOfURL(url: NonNullable<ReturnType<typeof parseURL>>, depth = 0): Origin {
  switch (url.scheme) {
    case 'blob': {
      // 1.2 Let pathURL be the result of parsing the result of URL path serializing url.
      if (depth === 0 && url.opaquePath !== null) {
        const pathURL = parseURL(url.opaquePath);
        // 1.3-1.4: if pathURL's scheme is "http", "https" or "file", return pathURL's origin.
        if (pathURL !== null && (pathURL.scheme === 'http' || pathURL.scheme === 'https' || pathURL.scheme === 'file')) {
          return originOfURL(pathURL, depth + 1);
        }
      }
      // 1.5 Return a new opaque origin.
      return newOpaqueOrigin();
    }
    case 'file':
      // "Unfortunate as it is, this is left as an exercise to the reader. When in doubt, return
      // a new opaque origin."
      return newOpaqueOrigin();
    default:
      if (TUPLE_SCHEMES.has(url.scheme) && url.host !== null) {
        return tupleOrigin(url.scheme, url.host, url.port);
      }
      return newOpaqueOrigin();
  }
}

function assertString(name: string, value: unknown, fn: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`corset: ${fn}(${name}): ${name} must be a string, got ${describeType(value)}`);
  }
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/**
 * The origin of any absolute URL (URL §4.4 basic URL parser, then URL §4.7). null when the
 * input does not parse. A URL whose origin is opaque (`file:`, `data:`, ...) gives an opaque origin.
 */
export function parseOrigin(url: string): Origin | null {
  assertString('url', url, 'parseOrigin');
  if (url.length > MAX_URL_LENGTH) return null;
  const fast = originPrefixIfCanonical(url);
  if (fast !== null) return fast;
  const parsed = parseURL(url);
  return parsed === null ? null : originOfURL(parsed);
}

const prefixScan = newOriginScan();

/**
 * Fast path for `parseOrigin`: when the URL is `scheme://authority` followed by `/`, `?`, `#` or
 * nothing, and the authority has no userinfo and is already canonical, the origin is that prefix.
 */
function originPrefixIfCanonical(url: string): TupleOrigin | null {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 2 || schemeEnd > 5) return null;
  let end = schemeEnd + 3;
  const n = url.length;
  while (end < n) {
    const c = url.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
    if (c === 0x5c || c === 0x40 || c === 0x09 || c === 0x0a || c === 0x0d) return null; // \ @ tab LF CR
    end++;
  }
  // The rest of a special URL never makes the parse fail once the host and port are valid, but
  // tab and newline anywhere are removed before parsing (URL §4.4 step 3): leave those to the parser.
  for (let k = end; k < n; k++) {
    const c = url.charCodeAt(k);
    if (c === 0x09 || c === 0x0a || c === 0x0d) return null;
  }
  if (n > 0 && url.charCodeAt(n - 1) <= 0x20) return null; // trailing C0/space is trimmed
  const prefix = end === n ? url : url.slice(0, end);
  if (scanCanonicalOrigin(prefix, prefixScan) !== CANONICAL_YES) return null;
  return tupleOrigin(
    prefixScan.scheme,
    prefix.slice(prefixScan.hostStart, prefixScan.hostEnd),
    prefixScan.port === -1 ? null : prefixScan.port,
  );
}

const headerScan = newOriginScan();

/**
 * The strict reading of an `Origin` header value: a canonical serialized origin (as a browser
 * sends it) or `null` (an opaque origin, new each time). Anything else, including a value that
 * would parse to an origin but is not written canonically, gives null.
 */
export function parseOriginHeader(value: string | null | undefined): Origin | null {
  if (value === null || value === undefined) return null;
  assertString('value', value, 'parseOriginHeader');
  if (value === 'null') return newOpaqueOrigin();
  const verdict = scanCanonicalOrigin(value, headerScan);
  if (verdict === CANONICAL_NO) return null;
  if (verdict === CANONICAL_YES) {
    return tupleOrigin(
      headerScan.scheme,
      value.slice(headerScan.hostStart, headerScan.hostEnd),
      headerScan.port === -1 ? null : headerScan.port,
    );
  }
  return parseCanonicalOriginSlow(value);
}

/**
 * The full parser's answer for a value the fast path could not decide: parse it as a URL, take
 * its origin, and accept it only when its serialization is the value itself and the host keeps
 * to DNS length limits.
 */
export function parseCanonicalOriginSlow(value: string): TupleOrigin | null {
  const parsed = parseURL(value);
  if (parsed === null) return null;
  const origin = originOfURL(parsed);
  if (origin.opaque || origin.serialized !== value) return null;
  const max = origin.host.endsWith('.') ? MAX_HOST_LENGTH_WITH_DOT : MAX_HOST_LENGTH;
  return origin.host.length <= max ? origin : null;
}

/** Memo for the slow path, bounded: repeated IDN or IPv6 origins pay the full parser once. */
const SLOW_MEMO_LIMIT = 1024;
const slowMemo = new Map<string, boolean>();

/**
 * Whether `value` is a canonical serialized tuple origin (not `null`). The fast scan decides
 * almost every value; the rest go to the full parser, memoised in a small bounded map.
 */
export function isCanonicalTupleOrigin(value: string): boolean {
  const verdict = scanCanonicalOrigin(value, headerScan);
  if (verdict !== CANONICAL_UNSURE) return verdict === CANONICAL_YES;
  const known = slowMemo.get(value);
  if (known !== undefined) return known;
  const answer = parseCanonicalOriginSlow(value) !== null;
  if (slowMemo.size >= SLOW_MEMO_LIMIT) slowMemo.clear();
  slowMemo.set(value, answer);
  return answer;
}

/** Accept an Origin object or a string (any absolute URL, a serialized origin included). */
export function toOrigin(value: Origin | string, name: string, fn: string): Origin | null {
  if (typeof value === 'string') return parseOrigin(value);
  if (value !== null && typeof value === 'object' && typeof (value as Origin).opaque === 'boolean') {
    return value;
  }
  throw new TypeError(`corset: ${fn}(${name}): ${name} must be an Origin or a string, got ${describeType(value)}`);
}

/**
 * HTML §7.1.1 "same origin": A and B are the same opaque origin (the same object), or both are
 * tuple origins with identical scheme, host and port. Strings are parsed with `parseOrigin`; an
 * unparsable string is never same-origin with anything.
 */
export function isSameOrigin(a: Origin | string, b: Origin | string): boolean {
  const oa = toOrigin(a, 'a', 'isSameOrigin');
  const ob = toOrigin(b, 'b', 'isSameOrigin');
  if (oa === null || ob === null) return false;
  if (oa.opaque || ob.opaque) return oa === ob;
  return oa.scheme === ob.scheme && oa.host === ob.host && oa.port === ob.port;
}
