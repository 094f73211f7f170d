// The engine profiles, registered by name for planFetch and PreflightCache (see ./profiles.ts).
// The package root and the full browser bundle call useEngineProfiles() on first use; a page on
// the small bundle (dist/browser/precheck.js, or the matcher bundle) loads
// `corset-cors/browser/profiles` and calls it once, before asking for an engine's profile.
import { CHROMIUM_PROFILE } from './profile-chromium.js';
import { FIREFOX_PROFILE } from './profile-firefox.js';
import { WEBKIT_PROFILE } from './profile-webkit.js';
import { detectEngine } from './detect-engine.js';
import { registerProfile, SPEC_PROFILE, type Profile } from './profiles.js';

export const ENGINE_PROFILES: readonly Profile[] = Object.freeze([CHROMIUM_PROFILE, FIREFOX_PROFILE, WEBKIT_PROFILE]);

let registered = false;

/** Make the 'chromium', 'firefox' and 'webkit' profiles known to planFetch (idempotent). */
export function useEngineProfiles(): void {
  if (registered) return;
  for (const p of ENGINE_PROFILES) registerProfile(p.name, p);
  // 'auto': the engine this code runs in, the standard when it is none of them.
  const engine = detectEngine();
  registerProfile('auto', ENGINE_PROFILES.find((p) => p.name === engine) ?? SPEC_PROFILE);
  registered = true;
}
