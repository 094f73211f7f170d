// Profiles: the Fetch standard as written ('spec'), and the standard plus the places where
// Chromium does something else ('chromium'). Each deviation is one hook below, found by the
// real-browser suite (test/browser/chromium.test.ts) and named after what Chromium does; the spec
// path never bends. The 'chromium' profile is what Chromium 156 (Debian) did in that suite.
import { isForbiddenRequestHeader } from '../fetch/header-names.js';
import { isCorsSafelistedRequestHeader } from '../fetch/safelisted-request-header.js';
import type { FetchProfile } from '../types.js';

export interface Profile {
  readonly name: FetchProfile;
  /** Fetch §2.2.2 "CORS-safelisted request-header" (name, value). */
  isCorsSafelistedRequestHeader(name: string, value: string): boolean;
  /** Fetch §2.2.2 "forbidden request-header" (name, value): dropped from a script's headers. */
  isForbiddenRequestHeader(name: string, value: string): boolean;
  /**
   * Fetch §4.8 "CORS-preflight fetch" step 7.5, its first clause: "request's method is not in
   * methods" (an exact byte comparison in the standard).
   */
  isMethodInList(method: string, methods: readonly string[]): boolean;
}

export const SPEC_PROFILE: Profile = Object.freeze({
  name: 'spec' as const,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  isMethodInList: (method: string, methods: readonly string[]) => methods.includes(method),
});

/** The ASCII upper-case form of a method token (Chromium's `base::ToUpperASCII`). */
function upperAscii(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/**
 * Chromium's deviations, one by one (each row of docs/browser.md "Chromium deviations"):
 *
 * 1. Method case in `Access-Control-Allow-Methods` (chromium: services/network cors
 *    PreflightResult::EnsureAllowedCrossOriginMethod). The standard keeps a method such as `patch`
 *    as written (only DELETE, GET, HEAD, OPTIONS, POST and PUT are normalised) and looks for it
 *    byte-for-byte in the list, so `patch` needs `patch`. Chromium upper-cases the request's
 *    method before looking, so `patch` needs `PATCH`, and a list naming `patch` fails.
 */
export const CHROMIUM_PROFILE: Profile = Object.freeze({
  name: 'chromium' as const,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  isMethodInList: (method: string, methods: readonly string[]) => methods.includes(upperAscii(method)),
});

/** The profile for an option value (undefined: the standard), or null for an unknown name. */
export function profileOf(name: unknown): Profile | null {
  if (name === undefined || name === 'spec') return SPEC_PROFILE;
  return name === 'chromium' ? CHROMIUM_PROFILE : null;
}
