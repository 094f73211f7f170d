// The engine profiles, registered by name for planFetch and PreflightCache (see ./profiles.ts).
// The package root and the full browser bundle call useEngineProfiles() on first use; a page on
// the small bundle (dist/browser/precheck.js, or the matcher bundle) loads
// `corset-cors/browser/profiles` and calls it once, before asking for an engine's profile.
import { CHROMIUM_PROFILE } from './profile-chromium.js';
import { FIREFOX_PROFILE } from './profile-firefox.js';
import { WEBKIT_PROFILE } from './profile-webkit.js';
import { detectEngine, detectEngineVersion } from './detect-engine.js';
import { profileOf, registerProfile, replaceRegistry, SPEC_PROFILE, type Profile } from './profiles.js';

export const ENGINE_PROFILES: readonly Profile[] = Object.freeze([CHROMIUM_PROFILE, FIREFOX_PROFILE, WEBKIT_PROFILE]);

let registered = false;

/**
 * The registry once the engine profiles are in it: a name is looked up as given, and
 * `'<engine>@<major>'` (`'chromium@150'`, `'firefox@140'`) is that engine's profile at that major
 * version: the first of its release bands (Profile.releases) through that version, its current
 * profile past them all. Anything else after an `@` is no profile.
 */
class ReleaseRegistry extends Map<string, Profile> {
  override get(name: string): Profile | undefined {
    const m = /^([a-z]+)@([1-9][0-9]{0,3})$/.exec(name);
    if (m === null) return super.get(name);
    const current = super.get(m[1] as string);
    if (current === undefined || current.name !== m[1]) return undefined;
    return current.releases?.find((r) => Number(m[2]) <= (r.through as number)) ?? current;
  }
}

/** Make the 'chromium', 'firefox' and 'webkit' profiles known to planFetch (idempotent). */
export function useEngineProfiles(): void {
  if (registered) return;
  replaceRegistry((current) => new ReleaseRegistry(current));
  for (const p of ENGINE_PROFILES) registerProfile(p.name, p);
  // 'auto': the engine this code runs in, at its major version, the standard when it is none of them.
  const engine = detectEngine();
  const version = detectEngineVersion();
  registerProfile('auto', profileOf(version === null ? engine : `${engine}@${version}`) ?? SPEC_PROFILE);
  registered = true;
}
