// Argument checks shared by the precheck entry points (kept apart so the small bundle, which must
// not import the PSL, can use them).
import { describeType } from '../arguments.js';
import type { FetchProfile } from '../types.js';

export interface PlanFetchOptions {
  /** 'spec' (default): the Fetch standard; 'chromium': plus Chromium's deviations (docs/browser.md). */
  profile?: FetchProfile;
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
