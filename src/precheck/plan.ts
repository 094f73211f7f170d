// planFetch: what a browser does with `fetch(url, init)` from a page of origin `pageOrigin`,
// up to the point where the server answers. Fetch Review Draft 2025-12 numbering:
// §5.4 (the Request constructor, in ./request.ts), §4.1 "main fetch" step 12 (which branch the
// request takes: basic, opaque, network error, CORS with or without preflight), §4.3 "HTTP fetch"
// step 5.1 (whether a CORS-preflight fetch is needed) and §4.8 "CORS-preflight fetch" steps 1-5
// (the preflight request itself).
//
// The CORS-preflight cache (§4.9) is consulted when planFetch is given one (./preflight-cache.ts);
// without it the plan is what happens with an empty cache (a first request, or one after the entry
// expired): a cached preflight can make a browser skip a preflight such a plan lists, never the
// reverse. Redirects are walked hop by hop by checkRedirect (./redirect.ts), which plans each next
// hop with planHop below. Not modelled: Private Network Access, CSP, mixed content, service workers.
import type { HeaderEntry } from '../fetch/safelisted-request-header.js';
import { byteLowercase, corsUnsafeRequestHeaderNames } from '../fetch/safelisted-request-header.js';
import { isCorsSafelistedMethod } from '../fetch/methods.js';
import { newOpaqueOrigin, parseOrigin } from '../origin/origin.js';
import { parseURL } from '../url/backend.js';
import type { FetchPlan, Origin, PreflightCacheUse } from '../types.js';
import { profileOf, SPEC_PROFILE, type Profile } from './profiles.js';
import type { PrecheckReason } from './reasons.js';
import { buildRequest, type BuiltRequest, type CredentialsMode, type RequestMode } from './request.js';

/** Decides HTML "same site" for two origins; the full entry uses the PSL, the small one does not. */
export type SameSiteFn = (a: Origin, b: Origin) => boolean;

/**
 * The one method of ./preflight-cache.ts PreflightCache that planFetch calls: Fetch §4.9 "method
 * cache entry match" and "header-name cache entry match" for a hop whose CORS-preflight fetch would
 * be needed. `url` is the hop's URL without its fragment; `serializedOrigin` is `null` once the
 * origin is redirect-tainted.
 */
export interface PreflightCacheConsult {
  consult(hop: Hop, serializedOrigin: string, url: string, unsafeNames: readonly string[]): Exclude<PreflightCacheUse, 'not-consulted'>;
}

/** The cache planFetch was given, and the time of the fetch. */
export interface CacheUse {
  readonly cache: PreflightCacheConsult;
  readonly now: number;
}

/** What the checks need to know about the request; kept out of the plan's public shape. */
export interface PlanState {
  readonly profile: Profile;
  /**
   * The hop this plan is for (its request, URL, redirect count, taint, cache), which checkRedirect
   * continues from; null for a plan that errors.
   */
  readonly hop: Hop | null;
  /** Fetch "byte-serializing a request origin": the serialized origin, `null` when opaque. */
  readonly serializedOrigin: string;
  readonly method: string;
  readonly headers: readonly HeaderEntry[];
  readonly mode: RequestMode;
  readonly credentials: CredentialsMode;
  /** The request's response tainting (Fetch §4.1 step 12), or null when the request errors. */
  readonly tainting: 'basic' | 'cors' | 'opaque' | null;
  readonly error: PrecheckReason | null;
  readonly needsPreflight: boolean;
  /** The `Origin` the preflight carries (the request's serialized origin, unless the engine sends another after a redirect). */
  readonly preflightOrigin: string;
  /** The CORS-unsafe request-header names with the request's header list. */
  readonly unsafeNames: readonly string[];
}

const states = new WeakMap<FetchPlan, PlanState>();

/** The state planFetch stored for `plan`, or null for an object it did not make. */
export function stateOf(plan: unknown): PlanState | null {
  if (typeof plan !== 'object' || plan === null) return null;
  return states.get(plan as FetchPlan) ?? null;
}

/** The longest URL the precheck reads (a request URL can be long; 64 KB is past any real one). */
const MAX_URL_LENGTH = 64 * 1024;

/**
 * URL §4.4 "basic URL parser", the part that sets username and password: Fetch §5.4 step 5.3
 * "If parsedURL includes credentials, then throw a TypeError." A special URL's authority runs
 * from after the slashes to the first `/`, `\`, `?` or `#`; its userinfo is everything before the
 * last `@` in it; the URL includes credentials unless that userinfo is empty or a lone `:`.
 */
export function urlIncludesCredentials(url: string): boolean {
  // URL §4.4 steps 1-3: leading/trailing C0 control or space removed, tab and newline removed.
  // eslint-disable-next-line no-control-regex
  const s = url.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const colon = s.indexOf(':');
  if (colon < 1) return false;
  let i = colon + 1;
  while (i < s.length && (s[i] === '/' || s[i] === '\\')) i++;
  let end = i;
  while (end < s.length && s[end] !== '/' && s[end] !== '\\' && s[end] !== '?' && s[end] !== '#') end++;
  const at = s.lastIndexOf('@', end - 1);
  if (at < i) return false;
  const userinfo = s.slice(i, at);
  return userinfo !== '' && userinfo !== ':';
}

/** The request URL, absolute: relative forms resolved against the page origin (see planFetch). */
function resolveRequestURL(url: string, page: Origin): string | null {
  if (url.length > MAX_URL_LENGTH) return null;
  if (parseURL(url) !== null) return url;
  if (page.opaque) return null;
  const trimmed = url.replace(/^[\u0000-\u0020]+/, ''); // eslint-disable-line no-control-regex
  // A URL that starts with a scheme is absolute, and it failed to parse. (The URL parser would read
  // `http:path` as relative to an http: base; such input is refused here.)
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(trimmed.replace(/[\t\n\r]/g, ''))) return null;
  const first = trimmed.charCodeAt(0);
  const second = trimmed.charCodeAt(1);
  const isSlash = (c: number): boolean => c === 0x2f || c === 0x5c;
  let candidate: string;
  if (isSlash(first) && isSlash(second)) candidate = `${page.scheme}:${trimmed}`; // scheme-relative
  else if (isSlash(first)) candidate = `${page.serialized}${trimmed}`; // path-absolute
  else candidate = `${page.serialized}/${trimmed}`; // path-relative, query or fragment: the page's root
  return parseURL(candidate) === null ? null : candidate;
}

/** `pageOrigin` as an origin: a URL or serialized origin, or `null` for an opaque origin. */
function pageOriginOf(pageOrigin: string): Origin | null {
  if (pageOrigin === 'null') return newOpaqueOrigin();
  return parseOrigin(pageOrigin);
}

function freezePlan(plan: FetchPlan): FetchPlan {
  Object.freeze(plan.preflightReasons);
  if (plan.preflight !== null) {
    Object.freeze(plan.preflight.headers);
    Object.freeze(plan.preflight);
  }
  return Object.freeze(plan);
}

const EMPTY: readonly HeaderEntry[] = Object.freeze([]);
const NO_NAMES: readonly string[] = Object.freeze([]);

function erroredPlan(
  error: PrecheckReason,
  profile: Profile,
  sameOrigin = false,
  sameSite = false,
  partial?: { serializedOrigin: string; method: string; mode: RequestMode; credentials: CredentialsMode },
  redirectCount = 0,
): FetchPlan {
  const plan = freezePlan({
    sameOrigin,
    sameSite,
    needsPreflight: false,
    preflightReasons: [],
    preflight: null,
    error,
    redirectCount,
    preflightCache: 'not-consulted',
  });
  states.set(plan, {
    profile,
    hop: null,
    serializedOrigin: partial?.serializedOrigin ?? 'null',
    method: partial?.method ?? 'GET',
    headers: EMPTY,
    mode: partial?.mode ?? 'cors',
    credentials: partial?.credentials ?? 'same-origin',
    tainting: null,
    error,
    needsPreflight: false,
    preflightOrigin: partial?.serializedOrigin ?? 'null',
    unsafeNames: NO_NAMES,
  });
  return plan;
}

/**
 * One entry per name, the values of a repeated name joined with ", " in order (Fetch §2.2.2
 * "combine"), under the first entry's name: how Chromium holds a request's headers.
 */
function combineRepeatedHeaders(headers: readonly HeaderEntry[]): HeaderEntry[] {
  const byName = new Map<string, { name: string; value: string }>();
  for (const h of headers) {
    const key = byteLowercase(h.name);
    const prior = byName.get(key);
    if (prior === undefined) byName.set(key, { name: h.name, value: h.value });
    else prior.value = `${prior.value}, ${h.value}`;
  }
  return [...byName.values()];
}

/** HTTP(S) scheme (Fetch §2.1): "http" or "https". */
function isHttpScheme(scheme: string): boolean {
  return scheme === 'http' || scheme === 'https';
}

/**
 * The plan for `fetch(init.url, init)` from a page whose origin is `pageOrigin`, with the
 * CORS-preflight cache empty. `sameSite` answers HTML "same site" (see the entry points).
 *
 * `pageOrigin` is the page's origin (or its URL), or `'null'` for an opaque origin (a sandboxed
 * page, a `data:` document). A relative `init.url` is resolved against the page origin: the
 * origin it names is exact (a path can never change it; `//host/` takes the page's scheme), but
 * a path-relative URL is taken from the site root, so `preflight.url` may differ from the
 * browser's in the directory part. Pass absolute URLs for an exact `preflight.url`.
 */
export function planFetchWith(
  sameSite: SameSiteFn,
  pageOrigin: string,
  init: Record<string, unknown>,
  profileName: unknown,
  context: {
    partitionKey?: string;
    cacheUse?: CacheUse;
    /** More of the Request constructor's checks, for the entries that read more of init. */
    checkInit?: (init: Record<string, unknown>) => PrecheckReason | null;
  } = {},
): FetchPlan {
  const profile = profileOf(profileName);
  if (profile === null) return erroredPlan('unknown-profile', SPEC_PROFILE);
  const page = pageOriginOf(pageOrigin);
  if (page === null) return erroredPlan('invalid-page-origin', profile);

  // Fetch §5.4 steps 5.1-5.3: parse the URL with the page as base; failure or credentials: TypeError.
  const rawUrl = init['url'];
  const url = typeof rawUrl === 'string' ? resolveRequestURL(rawUrl, page) : null;
  if (url === null) return erroredPlan('invalid-url', profile);
  if (urlIncludesCredentials(url)) return erroredPlan('url-includes-credentials', profile);

  const built = buildRequest(init, profile);
  if (!built.ok) return erroredPlan(built.error, profile);
  const refused = context.checkInit?.(init);
  if (refused) return erroredPlan(refused, profile);

  return planHop({
    profile,
    sameSiteFn: sameSite,
    page,
    url,
    request: built.request,
    priorTainting: 'basic', // Fetch §2.2.5: a request's response tainting is initially "basic"
    redirectCount: 0,
    taintedOrigin: false,
    ...(context.partitionKey === undefined ? {} : { partitionKey: context.partitionKey }),
    ...(context.cacheUse === undefined ? {} : { cacheUse: context.cacheUse }),
  });
}

/** One hop of a fetch: the first (planFetch) or one after a redirect (checkRedirect). */
export interface Hop {
  readonly profile: Profile;
  readonly sameSiteFn: SameSiteFn;
  /** The request's origin. */
  readonly page: Origin;
  /** The request's current URL, absolute and free of credentials (checked by the caller). */
  readonly url: string;
  readonly request: BuiltRequest;
  /** The response tainting so far: main fetch never sets it back to "basic" once it changed. */
  readonly priorTainting: 'basic' | 'cors' | 'opaque';
  readonly redirectCount: number;
  readonly taintedOrigin: boolean;
  /**
   * The network partition key (Fetch §2.7 "determine the network partition key"): the top-level
   * site; absent, the page's origin stands for it (the cache key also holds the request's origin,
   * the page's, so that finer key gives the same answers); a framed page passes its own.
   */
  readonly partitionKey?: string;
  /** The CORS-preflight cache to consult, and the time; absent: the cache is taken as empty. */
  readonly cacheUse?: CacheUse;
  /** A CORS request preflighted at every hop once it was (an engine's redirect walk: engine-parameters.ts). */
  readonly forcePreflight?: boolean;
  /** The `Origin` a preflight at this hop carries when the engine does not send the tainted `null`. */
  readonly preflightOrigin?: string;
}

/**
 * Fetch §4.1 "main fetch" step 12 and §4.3 "HTTP fetch" step 5 for one hop: which branch the
 * request takes, whether a CORS-preflight fetch is needed (the cache consulted when there is one),
 * and what that preflight carries.
 */
export function planHop(hop: Hop): FetchPlan {
  const { profile, page, url, request, redirectCount } = hop;
  const parsed = parseURL(url);
  const target = parseOrigin(url);
  if (parsed === null || target === null) return erroredPlan('invalid-url', profile, false, false, undefined, redirectCount);
  // Fetch §3.2.5 "byte-serializing a request origin": `null` when the origin is redirect-tainted.
  const serializedOrigin = hop.taintedOrigin ? 'null' : page.serialized;

  // HTML "same origin": an opaque page origin (parsed fresh here) is never the same as another.
  const sameOrigin = !page.opaque && !target.opaque && page.serialized === target.serialized;
  const sameSiteAnswer = sameOrigin || hop.sameSiteFn(page, target);
  const partial = { serializedOrigin, method: request.method, mode: request.mode, credentials: request.credentials };
  const refuse = (reason: PrecheckReason): FetchPlan =>
    erroredPlan(reason, profile, sameOrigin, sameSiteAnswer, partial, redirectCount);

  // Fetch §4.1 "main fetch" step 12: "the steps corresponding to the first matching statement".
  let tainting: 'basic' | 'cors' | 'opaque';
  if ((sameOrigin && hop.priorTainting === 'basic') || parsed.scheme === 'data') {
    // "request's current URL's origin is same origin with request's origin, and request's response
    // tainting is "basic"; request's current URL's scheme is "data"": tainting "basic", scheme fetch.
    tainting = 'basic';
  } else if (request.mode === 'same-origin') {
    // "request's mode is "same-origin"": Return a network error.
    return refuse('disallowed-by-mode');
  } else if (request.mode === 'no-cors') {
    // "request's mode is "no-cors"": "1. If request's redirect mode is not "follow", then return a
    // network error. 2. Set request's response tainting to "opaque"." then scheme fetch.
    // Scheme fetch answers only about:blank, blob:, data:, file: (a user agent's choice) and
    // HTTP(S); blob: and file: URLs of another origin are not predicted here: refused.
    if (request.redirect !== 'follow') return refuse('redirect-mode-not-follow-in-no-cors');
    if (!isHttpScheme(parsed.scheme)) return refuse('cors-disabled-scheme');
    tainting = 'opaque';
  } else if (!isHttpScheme(parsed.scheme)) {
    // "request's current URL's scheme is not an HTTP(S) scheme": Return a network error.
    return refuse('cors-disabled-scheme');
  } else {
    // The last two statements: response tainting "cors", with or without a preflight.
    tainting = 'cors';
  }

  // Fetch §4.3 "HTTP fetch" step 5.1 (makeCORSPreflight is true on the main-fetch branch that
  // asked for it): a preflight when "request's method is not a CORS-safelisted method" or
  // "CORS-unsafe request-header names with request's header list" is not empty, unless the
  // CORS-preflight cache has a match for each (below). (The use-CORS-preflight flag is set only for
  // XMLHttpRequest upload listeners.)
  const corsHeaders = profile.combinesRepeatedHeaders ? combineRepeatedHeaders(request.headers) : request.headers;
  const unsafeNames =
    tainting === 'cors' ? (profile.corsUnsafeRequestHeaderNames ?? corsUnsafeRequestHeaderNames)(corsHeaders, profile.isCorsSafelistedRequestHeader) : [];
  const methodUnsafe = tainting === 'cors' && !isCorsSafelistedMethod(request.method);
  const forced = tainting === 'cors' && hop.forcePreflight === true;
  const wouldPreflight = methodUnsafe || unsafeNames.length > 0 || forced;
  const hash = url.indexOf('#');
  const urlWithoutFragment = hash === -1 ? url : url.slice(0, hash);

  let cacheAnswer: PreflightCacheUse = 'not-consulted';
  if (wouldPreflight && hop.cacheUse) {
    cacheAnswer = hop.cacheUse.cache.consult(hop, serializedOrigin, urlWithoutFragment, unsafeNames);
  }
  // A `maybe` keeps the preflight: the page must be ready for it.
  const needsPreflight = wouldPreflight && cacheAnswer !== 'hit';

  const preflightReasons: string[] = [];
  if (needsPreflight && methodUnsafe) preflightReasons.push(`method-not-safelisted:${request.method}`);
  if (needsPreflight && forced && !methodUnsafe && unsafeNames.length === 0) preflightReasons.push('preflighted-before-redirect');
  if (needsPreflight) {
    // A name that is safelisted on its own but unsafe here was pushed over the 1024-byte total.
    const unsafeAlone = new Set(
      corsHeaders.filter((h) => !profile.isCorsSafelistedRequestHeader(h.name, h.value)).map((h) => byteLowercase(h.name)),
    );
    for (const name of unsafeNames) {
      preflightReasons.push(unsafeAlone.has(name) ? `header-not-safelisted:${name}` : `safelisted-total-over-1024:${name}`);
    }
  }

  let preflight: FetchPlan['preflight'] = null;
  if (needsPreflight) {
    // Fetch §4.8 "CORS-preflight fetch":
    // 1. "Let preflight be a new request whose method is `OPTIONS`, URL list is a clone of
    //    request's URL list, ... origin is request's origin, ... mode is "cors"". The `Origin`
    //    header is then added by HTTP-network-or-cache fetch (Fetch §3.2.5 "append a request
    //    `Origin` header": a CORS request always carries it).
    // 2. "Append (`Accept`, `*/*`) to preflight's header list."
    // 3. "Append (`Access-Control-Request-Method`, request's method) to preflight's header list."
    // 4. "Let headers be the CORS-unsafe request-header names with request's header list."
    // 5. "If headers is not empty, then: 1. Let value be the items in headers separated from
    //    each other by `,`. 2. Append (`Access-Control-Request-Headers`, value)."
    const headers: Record<string, string> = {
      accept: '*/*',
      'access-control-request-method': request.method,
    };
    if (unsafeNames.length > 0) headers['access-control-request-headers'] = unsafeNames.join(',');
    headers['origin'] = hop.preflightOrigin ?? serializedOrigin;
    preflight = { method: 'OPTIONS', url: urlWithoutFragment, headers };
  }

  const plan = freezePlan({
    sameOrigin,
    sameSite: sameSiteAnswer,
    needsPreflight,
    preflightReasons,
    preflight,
    error: null,
    redirectCount,
    preflightCache: cacheAnswer,
  });
  states.set(plan, {
    profile,
    hop,
    serializedOrigin,
    method: request.method,
    headers: request.headers,
    mode: request.mode,
    credentials: request.credentials,
    tainting,
    error: null,
    needsPreflight,
    preflightOrigin: hop.preflightOrigin ?? serializedOrigin,
    unsafeNames,
  });
  return plan;
}
