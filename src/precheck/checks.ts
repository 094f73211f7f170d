// checkPreflight and checkResponse: would the browser accept this answer from the server, for a
// request planned by planFetch? Fetch Review Draft 2025-12 numbering: §4.8 "CORS-preflight
// fetch" step 7 (the preflight response), §4.10 "CORS check", §4.1 "main fetch" step 14 (the
// CORS-exposed header-name list and the filtered response a script gets), §2.2.6 "filtered
// responses" (basic, CORS, opaque).
import { isForbiddenResponseHeaderName } from '../fetch/header-names.js';
import { isCorsSafelistedMethod } from '../fetch/methods.js';
import { isCorsSafelistedResponseHeaderName } from '../fetch/response-headers.js';
import { byteLowercase, isCorsNonWildcardRequestHeaderName } from '../fetch/safelisted-request-header.js';
import { describeType } from '../arguments.js';
import type { FetchPlan, PreflightCheck, ResponseCheck, ResponseLike } from '../types.js';
import { corsCheck } from './cors-check.js';
import { stateOf } from './plan.js';
import { preflightFormOf, type PrecheckReason } from './reasons.js';
import { extractTokenListValues, readResponseHeaders } from './response-header-list.js';

export function requireResponse(res: unknown, fn: string): asserts res is ResponseLike {
  if (typeof res !== 'object' || res === null) {
    throw new TypeError(`corset: ${fn}(res): res must be an object { status, headers }, got ${describeType(res)}`);
  }
}

/** Fetch §2.2.3 (statuses): "An ok status is a status in the range 200 to 299, inclusive." */
function isOkStatus(status: unknown): boolean {
  return typeof status === 'number' && Number.isInteger(status) && status >= 200 && status <= 299;
}

function fail(reason: PrecheckReason): PreflightCheck {
  return { ok: false, reason };
}

/** Whether `name` is a byte-case-insensitive match for an item of `list`. */
function containsIgnoringCase(list: readonly string[], name: string): boolean {
  const lower = byteLowercase(name);
  for (const item of list) if (byteLowercase(item) === lower) return true;
  return false;
}

/**
 * Would the browser accept `res` as the answer to the plan's CORS-preflight request? Only a plan
 * whose `needsPreflight` is true has one; any other plan answers `{ ok: false, reason:
 * 'no-preflight' }` (or its own error).
 *
 * Fetch §4.8 "CORS-preflight fetch", step 7: "If a CORS check for request and response returns
 * success and response's status is an ok status, then:" (otherwise, step 8, a network error)
 *  1. Let methods be the result of extracting header list values given
 *     `Access-Control-Allow-Methods` and response's header list.
 *  2. Let headerNames be the result of extracting header list values given
 *     `Access-Control-Allow-Headers` and response's header list.
 *  3. If either methods or headerNames is failure, return a network error.
 *  4. If methods is null and request's use-CORS-preflight flag is set, then set methods to a new
 *     list containing request's method. (Never here: fetch() does not set that flag.)
 *  5. If request's method is not in methods, request's method is not a CORS-safelisted method,
 *     and request's credentials mode is "include" or methods does not contain `*`, then return a
 *     network error.
 *  6. If one of request's header list's names is a CORS non-wildcard request-header name and is
 *     not a byte-case-insensitive match for an item in headerNames, then return a network error.
 *  7. For each unsafeName of the CORS-unsafe request-header names with request's header list, if
 *     unsafeName is not a byte-case-insensitive match for an item in headerNames and request's
 *     credentials mode is "include" or headerNames does not contain `*`, return a network error.
 *  8-16. `Access-Control-Max-Age` and the CORS-preflight cache: not modelled (see plan.ts).
 */
export function checkPreflight(plan: FetchPlan, res: ResponseLike): PreflightCheck {
  requireResponse(res, 'checkPreflight');
  const state = stateOf(plan);
  if (state === null) return fail('not-a-plan');
  if (state.error !== null) return fail(state.error);
  if (!state.needsPreflight) return fail('no-preflight');
  const include = state.credentials === 'include';
  const list = readResponseHeaders(res.headers);

  // 7 (condition). Chromium reports a failed CORS check before a status that is not ok.
  const access = corsCheck(state.preflightOrigin, include, list);
  if (access !== null) return fail(preflightFormOf(access));
  if (!isOkStatus(res.status)) return fail('preflight-invalid-status');

  const methods = extractTokenListValues(list, 'access-control-allow-methods'); // 7.1
  const headerNames = extractTokenListValues(list, 'access-control-allow-headers'); // 7.2
  if (methods === 'failure') return fail('invalid-allow-methods-preflight-response'); // 7.3
  if (headerNames === 'failure') return fail('invalid-allow-headers-preflight-response');
  const methodList = methods ?? [];
  const nameList = headerNames ?? [];

  // 7.5
  if (
    !methodList.includes(state.method) &&
    !isCorsSafelistedMethod(state.method) &&
    (include || !methodList.includes('*'))
  ) {
    return fail('method-disallowed-by-preflight-response');
  }
  // 7.6 (not enforced by Chromium: its profile lets `*` cover Authorization, see profiles.ts)
  const wildcardHeaders = !include && nameList.includes('*');
  for (const header of state.headers) {
    if (!state.profile.authorizationNeedsExplicitListing && wildcardHeaders) break;
    if (isCorsNonWildcardRequestHeaderName(header.name) && !containsIgnoringCase(nameList, header.name)) {
      return fail('header-disallowed-by-preflight-response');
    }
  }
  // 7.7
  for (const unsafeName of state.unsafeNames) {
    if (!containsIgnoringCase(nameList, unsafeName) && (include || !nameList.includes('*'))) {
      return fail('header-disallowed-by-preflight-response');
    }
  }
  return { ok: true, reason: 'ok' };
}

/** Sorted, as a `Headers` object iterates its names (Fetch §5.1 "sort and combine"). */
function sorted(names: string[]): string[] {
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Would the browser hand `res` (the actual response) to the page, and which of its headers could
 * a script read? For a plan that needs a preflight, this is the check after a preflight that
 * passed (see checkPreflight); the request fails if either fails.
 *
 * - tainting "basic" (same origin, `data:`): the response is a basic filtered response, "whose
 *   header list excludes any headers in internal response's header list whose name is a forbidden
 *   response-header name" (`Set-Cookie`, `Set-Cookie2`).
 * - tainting "opaque" (no-cors): an opaque filtered response, "whose ... header list is empty".
 * - tainting "cors": Fetch §4.3 "HTTP fetch" step 4.4 "If request's response tainting is "cors"
 *   and a CORS check for request and response returns failure, then return a network error."
 *   Then §4.1 "main fetch" step 14.1:
 *   1. Let headerNames be the result of extracting header list values given
 *      `Access-Control-Expose-Headers` and response's header list.
 *   2. If request's credentials mode is not "include" and headerNames contains `*`, then set
 *      response's CORS-exposed header-name list to all unique header names in response's header list.
 *   3. Otherwise, if headerNames is not null or failure, then set response's CORS-exposed
 *      header-name list to headerNames.
 *   and a CORS filtered response's header list "excludes any headers in internal response's header
 *   list whose name is not a CORS-safelisted response-header name, given internal response's
 *   CORS-exposed header-name list".
 *
 * `exposedHeaders` lists the lower-case names a script can read, sorted; empty when `ok` is false.
 * `type` is the response type when `ok` is true ('opaque' for a plan that errors before sending).
 */
export function checkResponse(plan: FetchPlan, res: ResponseLike): ResponseCheck {
  requireResponse(res, 'checkResponse');
  const state = stateOf(plan);
  if (state === null) return { ok: false, reason: 'not-a-plan', type: 'opaque', exposedHeaders: [] };
  if (state.error !== null || state.tainting === null) {
    return { ok: false, reason: state.error ?? 'not-a-plan', type: 'opaque', exposedHeaders: [] };
  }
  if (state.tainting === 'opaque') return { ok: true, reason: 'ok', type: 'opaque', exposedHeaders: [] };
  const list = readResponseHeaders(res.headers);
  if (state.tainting === 'basic') {
    const exposed = list.names.filter((name) => !isForbiddenResponseHeaderName(name));
    return { ok: true, reason: 'ok', type: 'basic', exposedHeaders: sorted(exposed) };
  }
  const include = state.credentials === 'include';
  const failure = corsCheck(state.serializedOrigin, include, list);
  if (failure !== null) return { ok: false, reason: failure, type: 'cors', exposedHeaders: [] };

  const headerNames = extractTokenListValues(list, 'access-control-expose-headers'); // 14.1.1
  let exposedList: readonly string[] = [];
  if (!include && Array.isArray(headerNames) && headerNames.includes('*')) exposedList = list.names; // 14.1.2
  else if (Array.isArray(headerNames)) exposedList = headerNames; // 14.1.3
  const exposed = list.names.filter((name) => isCorsSafelistedResponseHeaderName(name, exposedList));
  return { ok: true, reason: 'ok', type: 'cors', exposedHeaders: sorted(exposed) };
}
