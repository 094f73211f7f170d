// Profiles: the Fetch standard as written ('spec', here), and each engine's deviations from it
// ('chromium' in ./profile-chromium.ts, 'firefox' in ./profile-firefox.ts, 'webkit' in
// ./profile-webkit.ts), each deviation one hook, found by the real-browser suite
// (test/browser/engines.test.ts) and named after what the engine does; the spec path never bends.
//
// The engine profiles are registered, not imported here, so that the small browser bundle carries
// the standard alone: the package root and the full bundle register them on first use
// (./engine-profiles.ts, useEngineProfiles), a page with the small bundle loads
// `corset-cors/browser/profiles` and calls useEngineProfiles(). The registry lives on the global
// object under a registered symbol, so that two separately bundled files share it.
import type { HeaderEntry } from '../fetch/safelisted-request-header.js';
import { isForbiddenRequestHeader } from '../fetch/header-names.js';
import { isCorsSafelistedRequestHeader } from '../fetch/safelisted-request-header.js';
import type { FetchProfile } from '../types.js';

export interface Profile {
  readonly name: FetchProfile;
  /**
   * An engine release band's profile: the last major version it describes (`'chromium@150'` and
   * below); absent on the engine's current profile, which describes the versions after every band.
   */
  readonly through?: number;
  /** On an engine's current profile: its older release bands, `through` ascending. */
  readonly releases?: readonly Profile[];
  /** Fetch §2.2.2 "CORS-safelisted request-header" (name, value). */
  isCorsSafelistedRequestHeader(name: string, value: string): boolean;
  /** Fetch §2.2.2 "forbidden request-header" (name, value): dropped from a script's headers. */
  isForbiddenRequestHeader(name: string, value: string): boolean;
  /**
   * Whether "CORS-unsafe request-header names" reads each header of a repeated name on its own
   * (the standard: a header list keeps one entry per append) or their combined value.
   */
  readonly combinesRepeatedHeaders: boolean;
  /**
   * Fetch §4.8 "CORS-preflight fetch" step 7.6: a CORS non-wildcard request-header name
   * (`Authorization`) must be listed by name; `*` does not cover it.
   */
  readonly authorizationNeedsExplicitListing: boolean;
  /**
   * Fetch §4.8 "CORS-unsafe request-header names" when the engine computes them otherwise (absent:
   * the standard's, with this profile's safelist).
   */
  readonly corsUnsafeRequestHeaderNames?: (headers: readonly HeaderEntry[], isSafelisted: (name: string, value: string) => boolean) => string[];
}

export const SPEC_PROFILE: Profile = Object.freeze({
  name: 'spec' as const,
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  combinesRepeatedHeaders: false,
  authorizationNeedsExplicitListing: true,
});

type Registry = Map<string, Profile>;
const REGISTRY = Symbol.for('corset-cors.profiles');

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  return g[REGISTRY] || (g[REGISTRY] = new Map());
}

/** Make a profile known under `name` (./engine-profiles.ts: each engine's own name, and 'auto'). */
export function registerProfile(name: string, profile: Profile): void {
  registry().set(name, profile);
}

/**
 * The profile for an option value (undefined: the standard), or null for a name not registered.
 * `'auto'` is registered with the engine profiles (./engine-profiles.ts) as the one the code runs
 * in (./detect-engine.ts), and so are the release names (`'chromium@150'`).
 */
export function profileOf(name: unknown): Profile | null {
  if (name === undefined || name === 'spec') return SPEC_PROFILE;
  return (typeof name === 'string' && registry().get(name)) || null;
}

/**
 * Put a registry in place of the current one, made from it (./engine-profiles.ts: one that also
 * answers release names). The small bundles look names up as given and carry none of this.
 */
export function replaceRegistry(make: (current: Map<string, Profile>) => Map<string, Profile>): void {
  const g = globalThis as { [REGISTRY]?: Registry };
  g[REGISTRY] = make(registry());
}

/** The key a profile's engine parameters are kept under (./engine-parameters.ts): `'firefox@140'`, or its name. */
export function parametersKeyOf(profile: Profile): string {
  return profile.through === undefined ? profile.name : `${profile.name}@${profile.through}`;
}
