// The request a page's `fetch(url, init)` builds: Fetch §5.4 "Request class" (the constructor
// steps that can refuse the request with a TypeError, or change it) and Fetch §5.1 "Headers class"
// (how `init.headers` fills the request's header list, through the "request" or
// "request-no-cors" guard). Section numbers: Fetch Review Draft 2025-12.
import { isHeaderName } from '../fetch/header-names.js';
import { isCorsSafelistedMethod, isForbiddenMethod, isMethodToken, normalizeMethod } from '../fetch/methods.js';
import {
  byteLowercase,
  isByteString,
  isNoCorsSafelistedRequestHeader,
  isPrivilegedNoCorsRequestHeaderName,
  type HeaderEntry,
} from '../fetch/safelisted-request-header.js';
import type { Profile } from './profiles.js';
import type { PrecheckReason } from './reasons.js';
import { normalizeHeaderValue } from './response-header-list.js';

import type { RedirectMode, RequestCacheMode } from '../types.js';

export type RequestMode = 'cors' | 'no-cors' | 'same-origin';
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

export interface BuiltRequest {
  readonly method: string;
  readonly mode: RequestMode;
  readonly credentials: CredentialsMode;
  readonly redirect: RedirectMode;
  /** As given (undefined: "default"); checked by requestCacheModeOf where a cache reads it. */
  readonly cache: RequestCacheMode | undefined;
  /** The header list after the guard: forbidden headers (and, in no-cors, unsafe ones) dropped. */
  readonly headers: readonly HeaderEntry[];
}

export type BuildResult = { ok: true; request: BuiltRequest } | { ok: false; error: PrecheckReason };

// The enums' members, the default first (RequestInit's defaults: Fetch §5.4).
const MODES = ['cors', 'no-cors', 'same-origin'] as const;
const CREDENTIALS = ['same-origin', 'omit', 'include'] as const;
const REDIRECTS = ['follow', 'manual', 'error'] as const;
const CACHE_MODES = ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'] as const;

/**
 * RequestInit `cache` (WebIDL enum RequestCache; default "default"), or the TypeError's reason:
 * Fetch §5.4 step 28, "If request's cache mode is "only-if-cached" and request's mode is not
 * "same-origin", then throw a TypeError."
 */
export function requestCacheModeOf(init: Record<string, unknown>): PrecheckReason | null {
  const cache = enumMember(init['cache'], CACHE_MODES);
  if (cache === null) return 'invalid-cache-mode';
  return cache === 'only-if-cached' && init['mode'] !== 'same-origin' ? 'only-if-cached-requires-same-origin' : null;
}

/** A dictionary member of an enum type: the default when absent, null when not a member. */
function enumMember<T extends string>(value: unknown, members: readonly T[]): T | null {
  if (value === undefined) return members[0] as T;
  return members.includes(value as T) ? (value as T) : null;
}

/** WebIDL "ToString" for a dictionary or record member: strings as they are, primitives printed. */
function toIdlString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  return null; // objects and symbols: refused rather than guessed (a toString could run code)
}

/** Fetch §2.2.2: "A header value is a byte sequence that ... contains no 0x00 NUL or HTTP newline bytes." */
function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x00 || c === 0x0a || c === 0x0d) return false;
  }
  return true;
}

/** The `HeadersInit` pairs (WebIDL `sequence<sequence<ByteString>> or record<ByteString, ByteString>`). */
function headersInitPairs(init: unknown): [unknown, unknown][] | null {
  if (init === undefined || init === null) return init === undefined ? [] : null;
  if (typeof init !== 'object') return null;
  const iterator = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iterator === 'function') {
    const pairs: [unknown, unknown][] = [];
    for (const pair of init as Iterable<unknown>) {
      // Fetch §5.1 "fill": "If header's size is not 2, then throw a TypeError."
      if (typeof pair !== 'object' || pair === null) return null;
      const items = Array.from(pair as Iterable<unknown>);
      if (items.length !== 2) return null;
      pairs.push([items[0], items[1]]);
    }
    return pairs;
  }
  return Object.keys(init).map((key) => [key, (init as Record<string, unknown>)[key]]);
}

/**
 * Build the request `new Request(url, init)` would, from the parts the precheck needs. The URL
 * is handled by the caller (plan.ts). Refusals come back as the TypeError's reason code.
 *
 * Fetch §5.4 "new Request(input, init)", the steps that matter here:
 * - (WebIDL) `mode` and `credentials` are enums: another string is a TypeError.
 * - 25. If init["method"] exists: 1. Let method be init["method"]. 2. If method is not a method
 *   or method is a forbidden method, then throw a TypeError. 3. Normalize method.
 * - 30. If this's request's mode is "no-cors": 1. If this's request's method is not a
 *   CORS-safelisted method, then throw a TypeError. 2. Set this's headers's guard to
 *   "request-no-cors".
 * - 32. If init is not empty: fill this's headers with headers (Fetch §5.1 "fill": append each pair).
 */
export function buildRequest(init: Record<string, unknown>, profile: Profile): BuildResult {
  // (WebIDL) enum members: absent means the default; any other string is a TypeError.
  const mode = enumMember(init['mode'], MODES);
  if (mode === null) return { ok: false, error: 'invalid-mode' };
  const credentials = enumMember(init['credentials'], CREDENTIALS);
  if (credentials === null) return { ok: false, error: 'invalid-credentials-mode' };
  const redirect = enumMember(init['redirect'], REDIRECTS);
  if (redirect === null) return { ok: false, error: 'invalid-redirect-mode' };
  // `cache` is read by the entry points that keep a CORS-preflight cache (requestCacheModeOf); the
  // small bundles, which keep none, take it as given.
  const cache = init['cache'] as RequestCacheMode | undefined;

  // 25.
  let method = 'GET';
  if (init['method'] !== undefined) {
    const given = toIdlString(init['method']);
    if (given === null || !isByteString(given) || !isMethodToken(given)) return { ok: false, error: 'invalid-method' };
    if (isForbiddenMethod(given)) return { ok: false, error: 'forbidden-method' };
    method = normalizeMethod(given);
  }

  // 30.
  const noCors = mode === 'no-cors';
  if (noCors && !isCorsSafelistedMethod(method)) return { ok: false, error: 'method-not-allowed-in-no-cors-mode' };

  // 32.
  let pairs: [unknown, unknown][] | null;
  try {
    pairs = headersInitPairs(init['headers']);
  } catch {
    pairs = null;
  }
  if (pairs === null) return { ok: false, error: 'invalid-headers' };
  const list: HeaderEntry[] = [];
  for (const [rawName, rawValue] of pairs) {
    const name = toIdlString(rawName);
    const given = toIdlString(rawValue);
    if (name === null || !isByteString(name)) return { ok: false, error: 'invalid-header-name' };
    if (given === null || !isByteString(given)) return { ok: false, error: 'invalid-header-value' };
    const appended = appendHeader(list, name, given, noCors, profile);
    if (appended !== null) return { ok: false, error: appended };
  }
  // Fetch §5.1 "append", step 5 (request-no-cors): "remove privileged no-CORS request-headers".
  const headers = noCors ? list.filter((h) => !isPrivilegedNoCorsRequestHeaderName(h.name)) : list;

  // 34. "If either init["body"] exists and is non-null or inputBody is non-null, and request's
  // method is `GET` or `HEAD`, then throw a TypeError."
  const body = init['body'];
  if (body !== undefined && body !== null) {
    if (method === 'GET' || method === 'HEAD') return { ok: false, error: 'body-with-get-or-head' };
    // 36.4-5 "If type is non-null and this's headers's header list does not contain
    // `Content-Type`, then append (`Content-Type`, type)" (Fetch §5.2 "extract" gives the type).
    const type = bodyType(body);
    if (type !== null && !headers.some((h) => byteLowercase(h.name) === 'content-type')) headers.push({ name: 'Content-Type', value: type });
  }

  return {
    ok: true,
    request: {
      method,
      mode,
      credentials,
      redirect,
      cache,
      headers,
    },
  };
}

/**
 * Fetch §5.2 "extract" a body: the type it gives. A string: `text/plain;charset=UTF-8`;
 * URLSearchParams: `application/x-www-form-urlencoded;charset=UTF-8`; FormData:
 * `multipart/form-data; boundary=...` (the boundary is the browser's; any will do for the
 * safelist); a Blob: its `type` unless empty; anything else (BufferSource, ReadableStream): none.
 */
function bodyType(body: unknown): string | null {
  // Every runtime corset supports (browsers, Node 20, Workers, Deno, Bun) has these three globals.
  if (typeof body === 'string') return 'text/plain;charset=UTF-8';
  if (body instanceof URLSearchParams) return 'application/x-www-form-urlencoded;charset=UTF-8';
  if (body instanceof FormData) return 'multipart/form-data; boundary=corset';
  return body instanceof Blob ? body.type || null : null;
}

/**
 * Fetch §5.1 "append" a header (name, value) to a Headers object headers:
 *  1. Normalize value.
 *  2. If validating (name, value) for headers returns false, then return.
 *     (validate: 1. If name is not a header name or value is not a header value, then throw a
 *     TypeError. ... 3. If headers's guard is "request" and (name, value) is a forbidden
 *     request-header, then return false.)
 *  3. If headers's guard is "request-no-cors":
 *     1. Let temporaryValue be the result of getting name from headers's header list.
 *     2. If temporaryValue is null, then set temporaryValue to value.
 *     3. Otherwise, set temporaryValue to temporaryValue, followed by 0x2C 0x20, followed by value.
 *     4. If (name, temporaryValue) is not a no-CORS-safelisted request-header, then return.
 *  4. Append (name, value) to headers's header list.
 * Header list "append": "If list contains name, then set name to the first such header's name."
 * Returns null, or the TypeError's reason.
 */
function appendHeader(
  list: HeaderEntry[],
  name: string,
  given: string,
  noCors: boolean,
  profile: Profile,
): PrecheckReason | null {
  const value = normalizeHeaderValue(given); // 1
  if (!isHeaderName(name)) return 'invalid-header-name'; // validate 1
  if (!isHeaderValue(value)) return 'invalid-header-value';
  const lower = byteLowercase(name);
  let first: HeaderEntry | undefined;
  let combined: string | null = null;
  for (const h of list) {
    if (byteLowercase(h.name) !== lower) continue;
    first ??= h;
    combined = combined === null ? h.value : `${combined}, ${h.value}`;
  }
  if (noCors) {
    // 3
    const temporaryValue = combined === null ? value : `${combined}, ${value}`;
    if (!isNoCorsSafelistedRequestHeader(name, temporaryValue)) return null;
  } else if (profile.isForbiddenRequestHeader(name, value)) {
    return null; // validate 3: dropped, not refused
  }
  list.push({ name: first === undefined ? name : first.name, value }); // 4
  return null;
}
