// `profile: 'auto'`: the engine the code runs in, from `navigator.userAgent` (the only signal
// every engine gives a script; `navigator.userAgentData` is Chromium-only):
//   - 'firefox': `Firefox/` with `Gecko/` (Firefox, Firefox ESR, their forks), but not `FxiOS/`;
//   - 'chromium': `Chrome/` or `Chromium/` (Chrome, Edge, Opera, Brave, Samsung Internet, ...,
//     headless `HeadlessChrome/`);
//   - 'webkit': `AppleWebKit/` without those (Safari; every iOS browser, `CriOS/` and `FxiOS/`
//     included, is WebKit);
//   - 'spec' otherwise, and where there is no `navigator` (Node 20, a worker without one).
// A user agent string can be changed by the user or an extension; the answer is what the string
// says, not a proof.
import type { FetchProfile } from '../types.js';

/**
 * The engine the code runs in, read from a user agent string (by default `navigator.userAgent`):
 * `'chromium'`, `'firefox'` or `'webkit'`, and `'spec'` for anything else or where there is no
 * `navigator`. What `profile: 'auto'` uses.
 */
export function detectEngine(ua: unknown = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent): FetchProfile {
  if (typeof ua !== 'string') return 'spec';
  if (/\b(CriOS|FxiOS|EdgiOS)\//.test(ua)) return 'webkit';
  if (/\bFirefox\//.test(ua) && /\bGecko\//.test(ua)) return 'firefox';
  if (/Chrom(e|ium)\//.test(ua)) return 'chromium'; // HeadlessChrome/ too
  if (/\bAppleWebKit\//.test(ua)) return 'webkit';
  return 'spec';
}

/**
 * The major version of the engine the code runs in, from the same user agent string: Chromium's
 * `Chrome/150` (or `Chromium/`, `HeadlessChrome/`), Firefox's `Firefox/140`; null for WebKit (its
 * user agent names no engine version a profile could use), anything else, or no `navigator`.
 * What `profile: 'auto'` uses to pick an engine's release (`'chromium@150'`).
 */
export function detectEngineVersion(ua: unknown = (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent): number | null {
  const engine = detectEngine(ua);
  const m = engine === 'chromium' ? /Chrom(?:e|ium)\/([0-9]{1,4})\./.exec(ua as string) : engine === 'firefox' ? /\bFirefox\/([0-9]{1,4})\./.exec(ua as string) : null;
  return m === null ? null : Number(m[1]);
}
