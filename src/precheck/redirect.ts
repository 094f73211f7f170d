// checkRedirect: what the browser does with a 3xx answer to a planned request. Fetch Review Draft
// 2025-12 numbering: §4.3 "HTTP fetch" steps 4.4 (the CORS check, on every CORS-tainted response,
// redirects included) and 6 (a redirect status: switch on the redirect mode), §4.4
// "HTTP-redirect fetch" (the `follow` walk), and §4.1 "main fetch" step 12 again for the next hop
// (through planHop in ./plan.ts: basic never comes back once the tainting changed, a CORS request
// is preflighted at the target when it still needs one).
//
// Not modelled: request bodies (FetchInit has none, so step 11, a body whose source is null, never
// fails here), the referrer policy update (step 16), Cross-Origin-Resource-Policy (HTTP fetch
// step 5) and navigations.
import { byteLowercase, isCorsNonWildcardRequestHeaderName } from '../fetch/safelisted-request-header.js';
import type { FetchPlan, RedirectCheck, ResponseLike } from '../types.js';
import { resolveURL } from '../url/backend.js';
import { parseOrigin } from '../origin/origin.js';
import { checkResponse, requireResponse } from './checks.js';
import { corsCheck } from './cors-check.js';
import { redirectParametersOf } from './engine-parameters.js';
import { planHop, stateOf, urlIncludesCredentials } from './plan.js';
import { parametersKeyOf } from './profiles.js';
import type { PrecheckReason } from './reasons.js';
import { readResponseHeaders } from './response-header-list.js';

/** Fetch §2.2.3: "A redirect status is a status that is 301, 302, 303, 307, or 308." */
export function isRedirectStatus(status: unknown): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Fetch §4.4 step 7: "If request's redirect count is 20, then return a network error." */
export const REDIRECT_LIMIT = 20;

/** Fetch §2.2.2 "request-body-header name": dropped when a redirect turns the request into a GET. */
const REQUEST_BODY_HEADER_NAMES: ReadonlySet<string> = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]);

function error(reason: PrecheckReason): RedirectCheck {
  return Object.freeze({ kind: 'error', ok: false, reason });
}

/** The origin of a URL, compared as HTML "same origin" does (an opaque origin equals nothing). */
function sameOriginURLs(a: string, b: string): boolean {
  const x = parseOrigin(a);
  const y = parseOrigin(b);
  return x !== null && y !== null && !x.opaque && !y.opaque && x.serialized === y.serialized;
}

/**
 * What the browser does with `res`, a response to the request `plan` describes, when it may be a
 * redirect. For a redirect status (301, 302, 303, 307, 308) under `redirect: 'follow'` it returns
 * the plan of the next request (`kind: 'follow'`), so a page can walk a redirect chain it knows;
 * `'manual'` gives an opaque-redirect response, `'error'` a network error; a response that is not
 * a redirect to follow comes back as `kind: 'response'` with checkResponse's answer for it.
 *
 * Fetch §4.3 "HTTP fetch":
 * - 4.4 "If request's response tainting is "cors" and a CORS check for request and response returns
 *   failure, then return a network error." (the 3xx itself must pass it)
 * - 6 "If internalResponse's status is a redirect status": switch on request's redirect mode:
 *   "error": a network error; "manual": an opaque-redirect filtered response; "follow":
 *   HTTP-redirect fetch (§4.4):
 *   3. locationURL: the `Location` value parsed against the response's URL; "If locationURL's
 *      fragment is null, then set locationURL's fragment to requestFragment."
 *   4. If locationURL is null, then return response. 5. If it is failure, a network error.
 *   6. If locationURL's scheme is not an HTTP(S) scheme, then return a network error.
 *   7. If request's redirect count is 20, then return a network error. 8. Increase it by 1.
 *   9. If request's mode is "cors", locationURL includes credentials, and request's origin is not
 *      same origin with locationURL's origin, then return a network error.
 *   10. If request's response tainting is "cors" and locationURL includes credentials, then return
 *      a network error.
 *   12. If internalResponse's status is 301 or 302 and request's method is `POST`, or it is 303 and
 *      request's method is neither `GET` nor `HEAD`: set request's method to `GET` and its body to
 *      null, and delete every request-body-header name from its header list.
 *   13. If request's current URL's origin is not same origin with locationURL's origin, then delete
 *      every CORS non-wildcard request-header name (`Authorization`) from its header list.
 *   15. Append locationURL to request's URL list; 19. main fetch with recursive true.
 *   The origin is redirect-tainted (Fetch §3.1.6) once some URL in the list is not same origin with
 *   the one before it while the request's origin is not same origin with that one either.
 */
export function checkRedirect(plan: FetchPlan, res: ResponseLike): RedirectCheck {
  requireResponse(res, 'checkRedirect');
  const state = stateOf(plan);
  if (state === null) return error('not-a-plan');
  const hop = state.hop;
  if (state.error !== null || state.tainting === null || hop === null) return error(state.error ?? 'not-a-plan');
  if (!isRedirectStatus(res.status)) {
    const response = checkResponse(plan, res);
    return Object.freeze({ kind: 'response', ok: response.ok, reason: response.reason, response });
  }
  const params = redirectParametersOf(parametersKeyOf(state.profile));
  const list = readResponseHeaders(res.headers);

  // 4.4: the CORS check on the 3xx (Chromium skips it for `manual`: see engine-parameters.ts).
  if (state.tainting === 'cors' && (hop.request.redirect !== 'manual' || params.corsCheckOnManualRedirect)) {
    const failure = corsCheck(state.serializedOrigin, state.credentials === 'include', list);
    if (failure !== null) return error(failure);
  }
  // 6: the redirect mode.
  if (hop.request.redirect === 'error') return error('redirect-mode-error');
  if (hop.request.redirect === 'manual') return Object.freeze({ kind: 'opaque-redirect', ok: true, reason: 'ok', type: 'opaqueredirect' });

  // §4.4 step 3 (Fetch §2.2.6 "location URL"): extracting header list values given `Location`.
  const location = list.get('location');
  if (location === null) {
    // 4. "If locationURL is null, then return response.": the page gets the 3xx itself.
    const response = checkResponse(plan, res);
    return Object.freeze({ kind: 'response', ok: response.ok, reason: response.reason, response });
  }
  let next = resolveURL(location, hop.url);
  if (next === null) return error('invalid-redirect-location'); // 5
  const fragmentAt = hop.url.indexOf('#');
  if (!next.includes('#') && fragmentAt !== -1) next += hop.url.slice(fragmentAt); // 3: requestFragment
  const nextScheme = next.slice(0, next.indexOf(':'));
  if (nextScheme !== 'http' && nextScheme !== 'https') return error('redirect-disallowed-scheme'); // 6
  if (hop.redirectCount >= REDIRECT_LIMIT) return error('too-many-redirects'); // 7
  const redirectCount = hop.redirectCount + 1; // 8
  const credentialsInLocation = urlIncludesCredentials(next);
  const page = hop.page;
  const pageSameAsNext = !page.opaque && sameOriginURLs(page.serialized, next);
  if (state.mode === 'cors' && credentialsInLocation && !pageSameAsNext) return error('redirect-contains-credentials'); // 9
  if (state.tainting === 'cors' && credentialsInLocation) return error('redirect-contains-credentials'); // 10

  // 12: the method change, and the request-body headers with the body.
  const status = res.status;
  const methodChanged =
    ((status === 301 || status === 302) && state.method === 'POST') ||
    (status === 303 && state.method !== 'GET' && state.method !== 'HEAD');
  let headers = state.headers;
  if (methodChanged && params.dropsRequestBodyHeadersOnMethodChange) {
    headers = headers.filter((h) => !REQUEST_BODY_HEADER_NAMES.has(byteLowercase(h.name)));
  }
  // 13: `Authorization` does not cross origins.
  const crossOrigin = !sameOriginURLs(hop.url, next);
  if (crossOrigin && params.dropsAuthorizationCrossOrigin) {
    headers = headers.filter((h) => !isCorsNonWildcardRequestHeaderName(h.name));
  }
  // Fetch §3.1.6 "request has a redirect-tainted origin", one hop at a time: tainted for good once
  // a hop crosses origins from a URL that is not the request's origin.
  const taintedOrigin = hop.taintedOrigin || (crossOrigin && !(!page.opaque && sameOriginURLs(page.serialized, hop.url)));

  // Engines that preflight a preflighted request at every hop, and say which Origin (engine-parameters.ts);
  // a hop whose preflight the cache spared counts where the engine says so.
  const preflighted = state.needsPreflight || (params.sparedPreflightCounts && plan.preflightCache === 'hit');
  const forcePreflight = params.preflightsAgainAfterRedirect && (preflighted || hop.forcePreflight === true);
  const nextPlan = planHop({
    ...hop,
    url: next,
    request: { ...hop.request, method: methodChanged ? 'GET' : hop.request.method, headers },
    priorTainting: state.tainting,
    redirectCount,
    taintedOrigin,
    forcePreflight,
    ...(taintedOrigin && params.preflightOriginAfterTaint === 'request-origin' ? { preflightOrigin: page.serialized } : {}),
  });
  // Main fetch's own network errors at the next hop (a `same-origin` request that left its origin).
  if (nextPlan.error !== null) return error(nextPlan.error as PrecheckReason);
  return Object.freeze({ kind: 'follow', ok: true, reason: 'ok', plan: nextPlan, url: next, methodChanged, taintedOrigin });
}
