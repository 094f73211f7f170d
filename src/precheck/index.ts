// The browser-side precheck, exact: HTML "same site" through the Public Suffix List (tldts, in
// ../origin/site.ts). This is what the package root and the full browser bundle export; the
// small browser bundle uses ./lite.ts instead.
import { isSameSite } from '../origin/site.js';
import type { FetchInit, FetchPlan } from '../types.js';
import { cacheUseOf, requirePlanArguments, type PlanFetchOptions } from './arguments.js';
import { useEngineProfiles } from './engine-profiles.js';
import { planFetchWith } from './plan.js';
import { requestCacheModeOf } from './request.js';

export { checkPreflight, checkResponse } from './checks.js';
export { checkRedirect } from './redirect.js';
export { PreflightCache, type PreflightCacheOptions } from './preflight-cache.js';
export type { PreflightCacheParameters, RedirectParameters } from './engine-parameters.js';
export type { PlanFetchOptions } from './arguments.js';
export { PRECHECK_REASONS, corsErrorNameOf } from './reason-messages.js';
export { useEngineProfiles } from './engine-profiles.js';
export { detectEngine, detectEngineVersion } from './detect-engine.js';
export type { PrecheckReason } from './reasons.js';

/**
 * What the browser will do with `fetch(init.url, init)` from a page of origin `pageOrigin`
 * (`'null'` for an opaque origin): same origin or not, same site or not, whether a CORS-preflight
 * request goes first and what it carries, or the TypeError/network error that stops it before
 * anything is sent. The CORS-preflight cache is taken as empty unless `options.cache` holds one.
 * Pass the plan to checkPreflight, checkResponse and checkRedirect to judge a server's answers; the
 * plan remembers its profile.
 */
export function planFetch(pageOrigin: string, init: FetchInit, options?: PlanFetchOptions): FetchPlan {
  requirePlanArguments(pageOrigin, init, 'planFetch');
  useEngineProfiles();
  const cacheUse = cacheUseOf(options, 'planFetch');
  return planFetchWith(isSameSite, pageOrigin, init as unknown as Record<string, unknown>, options?.profile, {
    checkInit: requestCacheModeOf,
    ...(cacheUse === undefined ? {} : { cacheUse }),
    ...(options?.topLevelSite === undefined ? {} : { partitionKey: options.topLevelSite }),
  });
}
