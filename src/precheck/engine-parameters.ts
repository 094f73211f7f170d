// The per-engine parameters of the redirect walk (./redirect.ts) and the CORS-preflight cache
// (./preflight-cache.ts): the standard's values, and each engine's as read in its source, by
// profile name (ENGINE_PARAMETERS below; a profile it does not name, and any parameter an entry
// leaves out, gets the standard's). They live here rather than on the Profile objects so that the
// small browser bundles, which walk no redirects and keep no cache, do not carry them.
//
// Sources, as read (file, and what it says), for the real-browser suite to confirm or correct:
// - Chromium: services/network/public/cpp/cors/preflight_result.cc: kDefaultTimeout 5 s, kMaxTimeout
//   2 h (7200 s, since Chromium 76; 600 s before); ParseAccessControlMaxAge reads the value with
//   base::StringToUint64 and, when that fails, stores the entry with an expiry of 0 ("to invalidate
//   the entry immediately"); a PreflightResult holds one method set and one header set for its
//   key, `*` counts only when the entry was made without credentials (EnsureAllowedCrossOriginMethod
//   / Headers), a credentialed entry also serves a request without credentials
//   (EnsureAllowedRequest), and `*` in the header set covers every name, `Authorization` included.
// - Firefox: netwerk/protocol/http/nsCORSListenerProxy.cpp: PREFLIGHT_DEFAULT_EXPIRY_SECONDS 5,
//   AddResultToCache reads the value digit by digit, caps it at 86400 and stores nothing at all for
//   any other character (or for 0); entries are per method and per header name, each with its own
//   expiry (merged across preflights, as the standard does), the key includes whether credentials
//   are sent; CheckRequest compares tokens literally (no `*` wildcard in the cache), skips the
//   method check for GET and POST only, and first runs CheckDNSCache, which drops the entry when
//   the host's DNS record was refreshed after the entry was made (or none is found): not something
//   a page can see, so every Firefox hit is a `maybe`. PREFLIGHT_CACHE_SIZE 100 (LRU). A request
//   with LOAD_BYPASS_CACHE skips the lookup (StartCORSPreflight).
// - WebKit: Source/WebCore/loader/CrossOriginPreflightResultCache.cpp: defaultPreflightCacheTimeout
//   5 s, maxPreflightCacheTimeout 600 s; parseAccessControlMaxAge reads a signed 64-bit integer
//   (parseInteger<int64_t>) and any failure means the 5 s default; appendEntry replaces the one
//   item per (session, client origin, URL); a credentialed item serves a request without
//   credentials; `*` counts when the request is sent without credentials and covers every name.
//   Confirmed in WebKitGTK 2.50 by the real-browser suite (test/browser/webkit-driver.ts): `+10`
//   and ` 7 ` live past 5 s, `-1` and `-0` store an expired entry (the standard: not digits, so
//   5 s), `99999999999999999999`, 2^63, `10abc`, `1e3`, `10, 20` and two fields fail to parse
//   (5 s), 2^63 - 1 parses (capped; alive past 5 s); a second preflight for the URL replaces the
//   first's methods and header names; a credentialed entry spares a later uncredentialed request,
//   `*` included; `*` spares `Authorization`; no cache mode skips the lookup. The 600-second cap
//   is read from the source (the suite does not wait ten minutes). A preflight made after a
//   cross-origin redirect (`Origin: null`) is never found again (a sandboxed frame's is).
//   Redirects (Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp, as the suite found it): the CORS
//   check runs on a `manual` 3xx (the standard); once a hop needed a preflight (sent, or spared by
//   the cache), every later CORS hop is preflighted whatever its method and headers
//   (checkCORSRequestWithPreflight clears m_isSimpleRequest), so a PUT answered 303 is preflighted
//   again as a GET; a 301/302/303 that turns the request into a GET keeps `Content-Type` and the
//   other request-body headers in the list the preflight reads, and a redirect to another origin
//   keeps `Authorization` there (the standard removes both). libsoup, under WebKitGTK, then sends
//   the GET without them: the preflight asks for them, the server never gets them. On Safari's
//   network stack the sending may differ; the preflight is WebCore's and does not.
import type { RequestCacheMode } from '../types.js';

/** How an engine walks a redirect (Fetch §4.3 "HTTP fetch" step 4.4 and 6, §4.4 "HTTP-redirect fetch"). */
export interface RedirectParameters {
  /**
   * HTTP fetch step 4.4 runs the CORS check on every CORS-tainted response, a 3xx answered under
   * `redirect: 'manual'` included (the standard). A 2020 Chromium bug report said Chromium hands
   * back the opaque redirect without it; Chromium 156 and Firefox 153 both run it (the suite's
   * "redirect manual, the 3xx without ACAO" row), so every engine here keeps the standard's.
   */
  readonly corsCheckOnManualRedirect: boolean;
  /** HTTP-redirect fetch step 13: `Authorization` is removed when the redirect crosses origins. */
  readonly dropsAuthorizationCrossOrigin: boolean;
  /**
   * A CORS request that was preflighted is preflighted again at every redirect target, even when
   * the redirect made it simple (303 or 302 POST -> GET, `Authorization` dropped): Firefox, WebKit.
   * The standard preflights the next hop only when it needs one (main fetch step 12 again).
   */
  readonly preflightsAgainAfterRedirect: boolean;
  /**
   * With preflightsAgainAfterRedirect: whether a hop whose preflight the CORS-preflight cache spared
   * counts as preflighted (WebKit, whose NetworkLoadChecker clears m_isSimpleRequest before it looks
   * in the cache, and Firefox: the suite's "PUT, 303 to the same server twice" row).
   */
  readonly sparedPreflightCounts: boolean;
  /**
   * The `Origin` of a preflight after a cross-origin redirect tainted the request's origin:
   * `'null'` (the standard: the serialized tainted origin, §3.2.5) or `'request-origin'` (Firefox:
   * the page's origin, while the request itself then carries `Origin: null`).
   */
  readonly preflightOriginAfterTaint: 'null' | 'request-origin';
  /**
   * HTTP-redirect fetch step 12: a redirect that turns the request into a GET removes the
   * request-body headers (`Content-Type`, …) with the body (the standard). WebKit keeps them in the
   * header list its preflight reads.
   */
  readonly dropsRequestBodyHeadersOnMethodChange: boolean;
}

/** How an engine keeps CORS-preflight results (Fetch §4.9 "CORS-preflight cache"). */
export interface PreflightCacheParameters {
  /**
   * Fetch §4.8 step 7.8-7.10: the seconds an entry lives, from the `Access-Control-Max-Age` value
   * (null when absent; the value as Headers gives it, whitespace trimmed, repeats joined with ", ").
   * null: nothing is stored (existing entries are left alone); 0 or less: stored, already expired.
   */
  maxAgeOf(value: string | null): number | null;
  /**
   * `'merge'` (the standard, Firefox): an entry per method and per header name, each preflight
   * adding or refreshing them. `'replace'` (Chromium, WebKit): one result per key, which each
   * preflight replaces whole.
   */
  readonly entries: 'merge' | 'replace';
  /** A credentialed entry also serves a request sent without credentials (Chromium, WebKit). */
  readonly credentialedServesUncredentialed: boolean;
  /**
   * When a cached `*` acts as a wildcard: `'request'` (the standard, WebKit: the request is sent
   * without credentials), `'entry'` (Chromium: the entry was made without credentials), `'never'`
   * (Firefox: tokens are compared literally).
   */
  readonly wildcard: 'request' | 'entry' | 'never';
  /** A cached header-name `*` covers `Authorization` too (Chromium, WebKit; the standard: never). */
  readonly wildcardCoversAuthorization: boolean;
  /** Methods that need no method entry (the standard: the CORS-safelisted GET, HEAD, POST). */
  readonly methodsWithoutEntry: readonly string[];
  /** Cache modes under which the lookup is skipped (a preflight is always sent). */
  readonly bypassedBy: readonly RequestCacheMode[];
  /**
   * Milliseconds after an entry is made during which a hit is certain; past it a hit is `maybe`
   * (null: always certain). Firefox re-checks the DNS cache on every lookup: 0.
   */
  readonly certainForMs: number | null;
  /** Keys the engine keeps before evicting (LRU); past it a hit is `maybe` (null: no limit known). */
  readonly maxKeys: number | null;
  /**
   * Whether a preflight made from an opaque origin (`Origin: null`: a sandboxed frame) is reused
   * (the standard: its byte-serialized origin `null` matches; Chromium, Firefox 153: never;
   * Firefox 140, WebKit: yes).
   */
  readonly cachesOpaqueOrigins: boolean;
  /**
   * Whether a preflight made after a cross-origin redirect tainted the origin (`Origin: null`) is
   * found again (the standard: its byte-serialized origin `null` matches; WebKit: never, the
   * tainted request's origin is a fresh opaque origin each time; Chromium 156 and Firefox: never;
   * Chromium 150: yes, although it never reuses a sandboxed frame's).
   */
  readonly cachesTaintedOrigins: boolean;
}

/** Fetch §4.8 step 7.9 default, and §2.1 `delta-seconds` (1*DIGIT). */
const DEFAULT_MAX_AGE = 5;
const DIGITS = /^[0-9]+$/;

/**
 * The standard: "extracting header list values" given `Access-Control-Max-Age` (its ABNF is
 * `delta-seconds`, one value); failure or null means 5 (step 7.9); no imposed limit (step 7.10).
 */
export function specMaxAge(value: string | null): number {
  if (value === null || !DIGITS.test(value)) return DEFAULT_MAX_AGE;
  return Number(value);
}

/**
 * Chromium, as the real-browser suite found it (test/browser/recordings/chromium.json, category
 * preflight-cache): a negative integer (`-1`) stores an expired entry; any other value it cannot
 * read (`1.5`, `abc`, `60, 60`, two fields, 20 digits) gives the 5 s default, as the standard
 * does; integers are capped at 7200 (kMaxTimeout; the cap itself cannot be seen in a test that
 * runs for seconds). Whether `+5` reads as 5 or as the default is not visible either (both 5).
 */
export function chromiumMaxAge(value: string | null): number {
  if (value === null) return DEFAULT_MAX_AGE;
  const m = /^([+-]?)([0-9]+)$/.exec(value);
  if (m === null || BigInt(m[2] as string) > 0x7fffffffffffffffn) return DEFAULT_MAX_AGE;
  if (m[1] === '-') return 0;
  return Math.min(Number(m[2]), 7200);
}

/**
 * Firefox, as the real-browser suite found it (test/browser/recordings/firefox.json): no
 * `Access-Control-Max-Age` at all stores nothing; an empty value means 5 s; digits only (the
 * whitespace Headers trims aside), capped at 86400; anything else (`-1`, `1.5`, `abc`, `+5`,
 * `60, 60`, two fields), or 0, stores nothing.
 */
export function firefoxMaxAge(value: string | null): number | null {
  if (value === null) return null;
  if (value === '') return DEFAULT_MAX_AGE;
  if (!DIGITS.test(value)) return null;
  const age = Math.min(Number(value), 86400);
  return age === 0 ? null : age;
}

/**
 * WebKit: a signed 64-bit integer (an optional `+` or `-`, then digits only: confirmed in WebKitGTK),
 * capped at 600; a failure means 5; 0 or less stores an entry already expired.
 */
export function webkitMaxAge(value: string | null): number {
  if (value === null) return DEFAULT_MAX_AGE;
  const m = /^[+-]?[0-9]+$/.exec(value);
  if (m === null) return DEFAULT_MAX_AGE;
  const n = BigInt(value);
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) return DEFAULT_MAX_AGE;
  return Math.min(Number(n), 600);
}

export const SPEC_REDIRECT: RedirectParameters = /* @__PURE__ */ Object.freeze({
  corsCheckOnManualRedirect: true,
  dropsAuthorizationCrossOrigin: true,
  preflightsAgainAfterRedirect: false,
  sparedPreflightCounts: false,
  preflightOriginAfterTaint: 'null' as const,
  dropsRequestBodyHeadersOnMethodChange: true,
});

export const SPEC_PREFLIGHT_CACHE: PreflightCacheParameters = /* @__PURE__ */ Object.freeze({
  maxAgeOf: specMaxAge,
  entries: 'merge' as const,
  credentialedServesUncredentialed: false,
  wildcard: 'request' as const,
  wildcardCoversAuthorization: false,
  methodsWithoutEntry: Object.freeze(['GET', 'HEAD', 'POST']),
  bypassedBy: Object.freeze([] as RequestCacheMode[]),
  certainForMs: null,
  maxKeys: null,
  cachesOpaqueOrigins: true,
  cachesTaintedOrigins: true,
});

/**
 * Chromium's cache as read in its source (see the top of this file) and corrected by the
 * real-browser suite: the max-age parse (chromiumMaxAge); `cache: 'no-store'`, `'reload'` and
 * `'no-cache'` skip the lookup (a preflight every time); a cached `*` does not cover
 * `Authorization` (although a preflight's `*` does: the 'chromium' profile); a preflight from an
 * opaque origin is never reused.
 */
export const CHROMIUM_PREFLIGHT_CACHE: Partial<PreflightCacheParameters> = /* @__PURE__ */ Object.freeze({
  maxAgeOf: chromiumMaxAge,
  entries: 'replace' as const,
  credentialedServesUncredentialed: true,
  wildcard: 'entry' as const,
  wildcardCoversAuthorization: false,
  bypassedBy: Object.freeze(['no-store', 'reload', 'no-cache'] as RequestCacheMode[]),
  cachesOpaqueOrigins: false,
  cachesTaintedOrigins: false,
});

/**
 * Chromium 150 and before, as the real-browser suite found Chromium 150 (Debian): as the current
 * one, except that a preflight made after a cross-origin redirect tainted the origin is found again
 * (the standard), while a sandboxed frame's still is not.
 */
export const CHROMIUM_150_PREFLIGHT_CACHE: Partial<PreflightCacheParameters> = /* @__PURE__ */ Object.freeze({
  ...CHROMIUM_PREFLIGHT_CACHE,
  cachesTaintedOrigins: true,
});

/**
 * Firefox's cache as read in its source (see the top of this file) and confirmed or corrected by
 * the real-browser suite: the max-age parse (firefoxMaxAge); a cached `*` is a literal name;
 * `cache: 'reload'` and `'no-store'` skip the lookup (`'no-cache'` and `'force-cache'` do not); a
 * preflight from an opaque origin is never reused. CheckDNSCache drops an entry once the host's
 * DNS record was refreshed after it was made, which a page cannot see: a hit is certain for the
 * lifetime of a DNS cache entry (network.dnsCacheExpiration, 60 s by default) and a `maybe` after
 * it. Within seconds the suite's hits are deterministic (two recordings byte-identical).
 */
export const FIREFOX_PREFLIGHT_CACHE: Partial<PreflightCacheParameters> = /* @__PURE__ */ Object.freeze({
  maxAgeOf: firefoxMaxAge,
  wildcard: 'never' as const,
  methodsWithoutEntry: Object.freeze(['GET', 'POST']),
  bypassedBy: Object.freeze(['reload', 'no-store'] as RequestCacheMode[]),
  certainForMs: 60_000,
  maxKeys: 100,
  cachesOpaqueOrigins: false,
  cachesTaintedOrigins: false,
});

/** The standard's reading of an absent `Access-Control-Max-Age` (5 s), Firefox's of the rest. */
function firefox140MaxAge(value: string | null): number | null {
  return value === null ? DEFAULT_MAX_AGE : firefoxMaxAge(value);
}

/**
 * Firefox 140 ESR and before, as the real-browser suite found Firefox 140.12 ESR (Debian): as the
 * current one, except that a preflight answered without `Access-Control-Max-Age` is stored for 5 s
 * (the standard) and a sandboxed frame's preflight is found again (the standard).
 */
export const FIREFOX_140_PREFLIGHT_CACHE: Partial<PreflightCacheParameters> = /* @__PURE__ */ Object.freeze({
  ...FIREFOX_PREFLIGHT_CACHE,
  maxAgeOf: firefox140MaxAge,
  cachesOpaqueOrigins: true,
});

/**
 * WebKit's cache as read in its source and confirmed in WebKitGTK (see the top of this file); the
 * deviations `max-age-signed-int64`, `preflight-cache-replaces`,
 * `credentialed-entry-serves-uncredentialed`, `cached-wildcard-covers-authorization`,
 * `tainted-preflight-not-cached`.
 */
export const WEBKIT_PREFLIGHT_CACHE: Partial<PreflightCacheParameters> = /* @__PURE__ */ Object.freeze({
  maxAgeOf: webkitMaxAge,
  entries: 'replace' as const,
  credentialedServesUncredentialed: true,
  wildcardCoversAuthorization: true,
  cachesTaintedOrigins: false,
});

/**
 * WebKit's redirect walk as WebKitGTK showed it (see the top of this file): the deviations
 * `preflight-repeated-after-redirect`, `request-body-headers-kept`, `authorization-kept-across-origins`.
 */
export const WEBKIT_REDIRECT: Partial<RedirectParameters> = /* @__PURE__ */ Object.freeze({
  dropsAuthorizationCrossOrigin: false,
  preflightsAgainAfterRedirect: true,
  sparedPreflightCounts: true,
  dropsRequestBodyHeadersOnMethodChange: false,
});

/**
 * Firefox's redirect walk, as the real-browser suite found it (category redirects): a preflighted
 * request is preflighted again at each target, and that preflight carries the page's origin after
 * a cross-origin hop (the request itself `Origin: null`).
 */
export const FIREFOX_REDIRECT: Partial<RedirectParameters> = /* @__PURE__ */ Object.freeze({
  preflightsAgainAfterRedirect: true,
  sparedPreflightCounts: true,
  preflightOriginAfterTaint: 'request-origin' as const,
});

/**
 * Each engine's parameters, by profile name, and by `name@through` for a release band's profile
 * (./profiles.ts parametersKeyOf; a name without a profile yet is simply never asked for). What an
 * entry leaves out is the standard's.
 */
export const ENGINE_PARAMETERS: Readonly<
  Record<string, { readonly redirect?: Partial<RedirectParameters>; readonly preflightCache?: Partial<PreflightCacheParameters> }>
> = /* @__PURE__ */ Object.freeze({
  chromium: { preflightCache: CHROMIUM_PREFLIGHT_CACHE },
  'chromium@150': { preflightCache: CHROMIUM_150_PREFLIGHT_CACHE },
  firefox: { redirect: FIREFOX_REDIRECT, preflightCache: FIREFOX_PREFLIGHT_CACHE },
  'firefox@140': { redirect: FIREFOX_REDIRECT, preflightCache: FIREFOX_140_PREFLIGHT_CACHE },
  webkit: { redirect: WEBKIT_REDIRECT, preflightCache: WEBKIT_PREFLIGHT_CACHE },
});

/** The redirect parameters of a profile, over the standard's. */
export function redirectParametersOf(profileName: string): RedirectParameters {
  const given = Object.hasOwn(ENGINE_PARAMETERS, profileName) ? ENGINE_PARAMETERS[profileName]?.redirect : undefined;
  return given === undefined ? SPEC_REDIRECT : { ...SPEC_REDIRECT, ...given };
}

/** The CORS-preflight cache parameters of a profile, over the standard's. */
export function preflightCacheParametersOf(profileName: string): PreflightCacheParameters {
  const given = Object.hasOwn(ENGINE_PARAMETERS, profileName) ? ENGINE_PARAMETERS[profileName]?.preflightCache : undefined;
  return given === undefined ? SPEC_PREFLIGHT_CACHE : { ...SPEC_PREFLIGHT_CACHE, ...given };
}
