// The browser-side precheck without the Public Suffix List: the small browser bundle
// (dist/browser/precheck.js). Identical to ./index.ts except for `sameSite`, which is exact
// wherever the list is not needed, and otherwise comes from `options.registrableDomain` or is
// false with a console warning (see ./same-site-lite.ts).
import type { FetchInit, FetchPlan } from '../types.js';
import { requirePlanArguments, type PlanFetchOptions } from './arguments.js';
import { planFetchWith } from './plan.js';
import { sameSiteWithoutPsl, type RegistrableDomainFn } from './same-site-lite.js';

export { checkPreflight, checkResponse } from './checks.js';
export type { PrecheckReason } from './reasons.js';
export type { RegistrableDomainFn } from './same-site-lite.js';

/** The options of the small bundle's `planFetch`: `PlanFetchOptions` and your own registrable-domain function. */
export interface LitePlanFetchOptions extends PlanFetchOptions {
  /** URL §3.2 "registrable domain" of a host (your PSL), for same-site answers that need it. */
  registrableDomain?: RegistrableDomainFn;
}

/**
 * planFetch (see ./index.ts) with the PSL-free same-site answer, and without the CORS-preflight
 * cache: `options.cache` is not consulted here (the plan says `preflightCache: 'not-consulted'` and
 * lists the preflight an empty cache would need); the full entry has the cache.
 */
export function planFetch(pageOrigin: string, init: FetchInit, options?: LitePlanFetchOptions): FetchPlan {
  requirePlanArguments(pageOrigin, init, 'planFetch');
  const registrableDomain = options?.registrableDomain;
  return planFetchWith(
    (a, b) => sameSiteWithoutPsl(a, b, registrableDomain),
    pageOrigin,
    init as unknown as Record<string, unknown>,
    options?.profile,
  );
}
