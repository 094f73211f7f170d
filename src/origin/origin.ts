// Origins: URL §4.7 "origin" of a URL, HTML §7.1.1 "serialization of an origin" and "same
// origin", and the strict reading of an `Origin` header (Fetch §3.2.5 "Origin" header: the value
// is a serialized origin or `null`).
import type { OpaqueOrigin, Origin, TupleOrigin } from '../types.js';
import { describeType, requireString } from '../arguments.js';
import { parseURL } from '../url/backend.js';
import {
  CANONICAL_NO,
  CANONICAL_UNSURE,
  CANONICAL_YES,
  newOriginScan,
  scanCanonicalOrigin,
} from './canonical-origin.js';
import { MAX_HOST_LENGTH, MAX_HOST_LENGTH_WITH_DOT } from './limits.js';
import { appOriginParts } from './app-origin.js';

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


/**
 * The origin of any absolute URL (URL §4.4 basic URL parser, then URL §4.7). null when the
 * input does not parse. A URL whose origin is opaque (`file:`, `data:`, ...) gives an opaque origin.
 * Cost is bounded whatever the URL's length: only the part its origin depends on is parsed.
 */
export function parseOrigin(url: string): Origin | null {
  requireString(url, 'url', 'parseOrigin');
  const fast = originPrefixIfCanonical(url);
  if (fast !== null) return fast;
  const part = originRelevantPart(url, 0);
  if (part === null) return null;
  const parsed = parseURL(part);
  return parsed === null ? null : originOfURL(parsed);
}

/**
 * The longest part of a URL handed to the full parser. whatwg-url costs about a microsecond per
 * character on this machine, and a URL's path and query are a client's to make long; an origin
 * needs at most a scheme, a 253-byte host (more before IDN mapping or percent-decoding) and a port.
 */
export const MAX_ORIGIN_PART_LENGTH = 1024;
/** Special schemes (URL §4.1) and `blob`, whose origin comes from the URL after `blob:`. */
const AUTHORITY_SCHEMES: ReadonlySet<string> = new Set(['http', 'https', 'ws', 'wss', 'ftp', 'file']);

/**
 * A URL with the same origin as `url`, or the same failure, no longer than
 * MAX_ORIGIN_PART_LENGTH plus a few characters; null when no such cut exists within the bounds.
 * URL §4.4 "basic URL parser": a special URL's authority begins after any run of `/` and `\`
 * ("special authority ignore slashes state") and ends at the first `/`, `?`, `#` or `\`
 * ("authority state", step 2); its host is what follows the last `@` in it. What follows the
 * authority (path, query, fragment) never fails a special URL's parse once its host parses, and
 * never changes its origin (URL §4.7). So the cut is: everything up to the authority, the host and
 * port after the last `@`, then `/`. A `blob:` URL is cut around the URL it wraps. A non-special
 * URL's origin is opaque: only an authority after `//` can make it fail, and that is kept the same
 * way (without the `\` terminator).
 */
export function originRelevantPart(url: string, depth: number): string | null {
  const n = url.length;
  if (n <= MAX_ORIGIN_PART_LENGTH) return url;
  let colon = -1;
  for (let k = 0; k < n && k <= MAX_ORIGIN_PART_LENGTH; k++) {
    if (url.charCodeAt(k) === 0x3a) {
      colon = k;
      break;
    }
  }
  if (colon < 0) return null; // no scheme: a relative URL, which fails without a base
  // URL §4.4 steps 1-3: leading C0 controls and spaces are stripped, tabs and newlines removed.
  const scheme = url.slice(0, colon).replace(/^[\u0000-\u0020]+|[\t\n\r]/g, '').toLowerCase();
  if (scheme === 'blob' && depth === 0) {
    const inner = originRelevantPart(url.slice(colon + 1), 1);
    return inner === null ? null : `${url.slice(0, colon + 1)}${inner}`;
  }
  const special = AUTHORITY_SCHEMES.has(scheme);
  let k = colon + 1;
  if (special) {
    // URL §4.4 "special authority ignore slashes state": any run of `/` and `\` (tabs and
    // newlines are removed first).
    while (k < n && k <= MAX_ORIGIN_PART_LENGTH && (url.charCodeAt(k) === 0x2f || url.charCodeAt(k) === 0x5c || isTabOrNewline(url.charCodeAt(k)))) k++;
  } else {
    // A non-special URL has an authority only after exactly `//` ("path or authority state");
    // otherwise its path is opaque or a plain path, which never fails to parse, and its origin
    // is opaque whatever it holds.
    while (k < n && k <= MAX_ORIGIN_PART_LENGTH && isTabOrNewline(url.charCodeAt(k))) k++;
    if (url.charCodeAt(k) !== 0x2f) return `${url.slice(0, colon + 1)}x`;
    k++;
    while (k < n && k <= MAX_ORIGIN_PART_LENGTH && isTabOrNewline(url.charCodeAt(k))) k++;
    if (url.charCodeAt(k) !== 0x2f) return `${url.slice(0, colon + 1)}x`;
    k++;
  }
  const authorityStart = k;
  let lastAt = -1;
  // URL §4.4 "authority state", step 2: the authority ends at `/`, `?`, `#`, or `\` for special URLs.
  // Read at most MAX_ORIGIN_PART_LENGTH characters of it: a longer authority is refused (null)
  // without reading on, so the cost is bounded whatever the URL's length.
  const authorityEnd = Math.min(n, authorityStart + MAX_ORIGIN_PART_LENGTH + 1);
  for (; k < authorityEnd; k++) {
    const c = url.charCodeAt(k);
    if (c === 0x2f || c === 0x3f || c === 0x23 || (special && c === 0x5c)) break;
    if (c === 0x40) lastAt = k;
  }
  if (k - authorityStart > MAX_ORIGIN_PART_LENGTH) return null;
  const hostStart = lastAt >= 0 ? lastAt + 1 : authorityStart;
  if (k - hostStart > MAX_ORIGIN_PART_LENGTH || authorityStart > MAX_ORIGIN_PART_LENGTH) return null;
  // Keep one `@` so that an empty host after it still fails as it would (URL §4.4 authority state, 2.1).
  const userinfo = lastAt >= 0 ? '@' : '';
  return `${url.slice(0, authorityStart)}${userinfo}${url.slice(hostStart, k)}/`;
}

const prefixScan = newOriginScan();

/**
 * Fast path for `parseOrigin`: when the URL is `scheme://authority` followed by `/`, `?`, `#` or
 * nothing, and the authority has no userinfo and is already canonical, the origin is that prefix.
 */
function originPrefixIfCanonical(url: string): TupleOrigin | null {
  // A long URL goes to originRelevantPart, which reads a bounded part of it; this path reads all.
  if (url.length > MAX_ORIGIN_PART_LENGTH) return null;
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
 *
 * An app or extension origin (`capacitor://localhost`, `chrome-extension://<id>`) is read as the
 * tuple its sender means, in canonical form only (./app-origin.ts): the URL standard would give
 * such a URL an opaque origin (URL §4.7), but webviews and browsers send these values, and two
 * pages of one app or extension are same-origin in them. Such an origin is same site only with
 * itself (./site.ts).
 */
export function parseOriginHeader(value: string | null | undefined): Origin | null {
  if (value === null || value === undefined) return null;
  requireString(value, 'value', 'parseOriginHeader');
  if (value === 'null') return newOpaqueOrigin();
  const verdict = scanCanonicalOrigin(value, headerScan);
  if (verdict === CANONICAL_NO) {
    const app = appOriginParts(value);
    return app === null ? null : tupleOrigin(app[0], app[1], app[2]);
  }
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

/**
 * Whether a serialized host is an IP address: URL §3.6 host serializer, IPv6 bracketed or IPv4 as
 * four dotted decimal parts (a domain cannot end in a number, URL §3.5). IP hosts have no labels
 * and no registrable domain.
 */
export function isIpAddressHost(host: string): boolean {
  return host[0] === '[' || /^\d+\.\d+\.\d+\.\d+$/.test(host);
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

function isTabOrNewline(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0d;
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
