// The 'firefox' profile: the Fetch standard plus the places where Firefox does something else,
// each found by the real-browser suite (test/browser/engines.test.ts, rows marked with the
// deviation's name; test/browser/recordings/firefox.json holds what Firefox did) and documented in
// docs/browser.md. What Firefox 153 ESR (Debian's firefox-esr) did there; 'firefox@140' (Firefox
// 140 ESR and before) differs only in its CORS-preflight cache (FIREFOX_140_PREFLIGHT_CACHE). The redirect and
// CORS-preflight cache deviations are parameters in ./engine-parameters.ts (FIREFOX_REDIRECT,
// FIREFOX_PREFLIGHT_CACHE), so that the small bundles, which walk no redirects, do not carry them.
//
// 1. `non-ascii-value-unsafe`: a value with a byte above 0x7F (`Accept: café`,
//    `Content-Type: text/plain;x=é`) is not safelisted; the standard's CORS-unsafe request-header
//    bytes are only controls, `"():<>?@[\]{}` and DEL.
// 2. `range-bound-limit`: a `Range` bound above 2^64 - 1 is not safelisted (its parser reads
//    unsigned 64-bit integers); the standard reads decimal numbers of any size. (Chromium's limit
//    is 2^63 - 2: the same name, another bound.)
// 3. `no-safelisted-total-limit`: the 1024-byte total of safelisted values (Fetch §4.8
//    "CORS-unsafe request-header names" step 5) is not applied: twenty `Accept` values of 120
//    bytes go without a preflight.
// 4. `repeated-names-in-request-headers`: `Access-Control-Request-Headers` names a header once
//    per entry of the request's header list (`x-a,x-a,x-b` for `X-A`, `x-a` and `X-B`), sorted;
//    the standard makes a set of the names.
// 5. `authorization-covered-by-wildcard`: `Access-Control-Allow-Headers: *` (without credentials)
//    covers `Authorization` (the standard's step 7.6 is not enforced), as in Chromium.
import { isCorsSafelistedRequestHeader, type HeaderEntry } from '../fetch/safelisted-request-header.js';
import { isForbiddenRequestHeader } from '../fetch/header-names.js';
import { rangeBoundsFit } from './profile-chromium.js';
import type { Profile } from './profiles.js';

/** 2^64 - 1: the largest `Range` bound Firefox safelists. */
const RANGE_BOUND_MAX = '18446744073709551615';

/** Firefox's CORS-safelisted request-header: the standard's, without bytes above 0x7F, with its Range bound. */
function isFirefoxSafelistedRequestHeader(name: string, value: string): boolean {
  return isCorsSafelistedRequestHeader(name, value) && !/[\u0080-\uffff]/.test(value) && rangeBoundsFit(name, value, RANGE_BOUND_MAX);
}

/**
 * Firefox's CORS-unsafe request-header names: each entry that is not safelisted, its name
 * byte-lowercased, sorted, repeats kept; no 1024-byte total.
 */
function firefoxUnsafeNames(headers: readonly HeaderEntry[], isSafelisted: (name: string, value: string) => boolean): string[] {
  const names: string[] = [];
  for (const h of headers) if (!isSafelisted(h.name, h.value)) names.push(h.name.replace(/[A-Z]/g, (c) => c.toLowerCase()));
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const FIREFOX_RULES = {
  name: 'firefox' as const,
  isCorsSafelistedRequestHeader: isFirefoxSafelistedRequestHeader,
  isForbiddenRequestHeader,
  combinesRepeatedHeaders: false,
  authorizationNeedsExplicitListing: false,
  corsUnsafeRequestHeaderNames: firefoxUnsafeNames,
};

/** Firefox 140 ESR and before: the same header rules, its own cache parameters ('firefox@140'). */
const FIREFOX_140_PROFILE: Profile = Object.freeze({ ...FIREFOX_RULES, through: 140 });

export const FIREFOX_PROFILE: Profile = Object.freeze({ ...FIREFOX_RULES, releases: [FIREFOX_140_PROFILE] });
