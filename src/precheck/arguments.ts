// Argument checks shared by the precheck entry points (kept apart so the small bundle, which must
// not import the PSL, can use them).
import { describeType } from '../arguments.js';
import type { FetchProfile } from '../types.js';
import type { CacheUse, PreflightCacheConsult } from './plan.js';
import type { PreflightCache } from './preflight-cache.js';

/** The options of `planFetch`: the browser to model, and the preflight cache to consult. */
export interface PlanFetchOptions {
  /** 'spec' (default): the Fetch standard; 'chromium': plus Chromium's deviations (docs/browser.md). */
  profile?: FetchProfile;
  /**
   * A PreflightCache (docs/browser.md) holding the preflights this page already made: a
   * repeat fetch it covers is planned without a preflight (`preflightCache: 'hit'`). Without one
   * the cache is taken as empty.
   */
  cache?: PreflightCache;
  /** The time of the fetch, in milliseconds on the clock given to `cache.record` (default Date.now()). */
  now?: number;
  /**
   * The site of the page's top-level document, for a page in a frame: the CORS-preflight cache is
   * partitioned by it (Fetch "network partition key"). Default: the page itself is top-level.
   */
  topLevelSite?: string;
}

/** planFetch's `cache` and `now`, checked: a TypeError for a wrong type, as everywhere. */
export function cacheUseOf(options: PlanFetchOptions | undefined, fn: string): CacheUse | undefined {
  if (options === undefined || options === null) return undefined;
  const { cache, now, topLevelSite } = options;
  if (topLevelSite !== undefined && typeof topLevelSite !== 'string') {
    throw new TypeError(`corset: ${fn}(options.topLevelSite): must be a string, got ${describeType(topLevelSite)}`);
  }
  if (now !== undefined && (typeof now !== 'number' || !Number.isFinite(now))) {
    throw new TypeError(`corset: ${fn}(options.now): must be a finite number of milliseconds, got ${describeType(now)}`);
  }
  if (cache === undefined) return undefined;
  if (typeof cache !== 'object' || cache === null || typeof (cache as { consult?: unknown }).consult !== 'function') {
    throw new TypeError(`corset: ${fn}(options.cache): must be a PreflightCache, got ${describeType(cache)}`);
  }
  return { cache: cache as unknown as PreflightCacheConsult, now: now ?? Date.now() };
}

/** Untyped callers: a TypeError naming the argument, as every public function does. */
export function requirePlanArguments(pageOrigin: unknown, init: unknown, fn: string): void {
  if (typeof pageOrigin !== 'string') {
    throw new TypeError(`corset: ${fn}(pageOrigin): pageOrigin must be a string, got ${describeType(pageOrigin)}`);
  }
  if (typeof init !== 'object' || init === null || Array.isArray(init)) {
    throw new TypeError(`corset: ${fn}(init): init must be an object { url, ... }, got ${describeType(init)}`);
  }
  const url = (init as { url?: unknown }).url;
  if (typeof url !== 'string') {
    throw new TypeError(`corset: ${fn}(init): init.url must be a string, got ${describeType(url)}`);
  }
}
