// The 'webkit' profile: the Fetch standard plus the places where WebKit does something else, each
// found by the real-browser suite in WebKitGTK 2.50 (MiniBrowser driven by WebKitWebDriver,
// test/browser/webkit-driver.ts) and named after what WebKit does. The rows of
// test/browser/scenarios.ts marked with a name show WebKit doing it; docs/browser.md lists them.
//
// WebKitGTK is WebKit's WebCore over libsoup, not Safari's CFNetwork stack. Everything below is
// WebCore's decision (request-header safelisting, the CORS checks, the CORS-preflight cache,
// redirects: Source/WebCore/loader, Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp), which
// Safari and every iOS browser share. Where the network stack shows through (headers WebCore keeps
// for the preflight but libsoup does not send after a redirect), engine-parameters.ts says so.
import { isForbiddenRequestHeader } from '../fetch/header-names.js';
import { byteLowercase, isCorsSafelistedRequestHeader, parseSingleRangeHeaderValue } from '../fetch/safelisted-request-header.js';
import type { Profile } from './profiles.js';

/**
 * The largest `Range` bound WebKit safelists: 2^64 - 1. WebCore parses each bound as an unsigned
 * 64-bit integer (leading zeros allowed: `bytes=000…0001-` is safelisted at any length within
 * 128 bytes), and a bound that does not fit makes the value unsafe; the suite found 2^64 - 1
 * safelisted and 2^64 refused, as a start and as an end.
 */
const RANGE_BOUND_MAX = '18446744073709551615';

function fitsRangeBound(digits: string): boolean {
  const d = digits.replace(/^0+(?=.)/, '');
  return d.length < RANGE_BOUND_MAX.length || (d.length === RANGE_BOUND_MAX.length && d <= RANGE_BOUND_MAX);
}

/**
 * WebKit's CORS-safelisted request-header: the standard's rule, except for `Range`, whose unit
 * WebKit compares ASCII case-insensitively (`Bytes=0-`, `BYTES=0-5` are safelisted; the standard
 * wants the bytes `bytes`) and whose bounds must fit 2^64 - 1.
 */
function isWebKitSafelistedRequestHeader(name: string, value: string): boolean {
  if (byteLowercase(name) !== 'range') return isCorsSafelistedRequestHeader(name, value);
  // The unit read case-insensitively: the standard's parser, given the value with its unit lower-cased.
  const unit = value.slice(0, 5);
  const normalised = unit.toLowerCase() === 'bytes' ? `bytes${value.slice(5)}` : value;
  if (!isCorsSafelistedRequestHeader(name, normalised)) return false;
  const range = parseSingleRangeHeaderValue(normalised, false);
  return range !== null && (range[0] === null || fitsRangeBound(range[0])) && (range[1] === null || fitsRangeBound(range[1]));
}

/**
 * WebKit's deviations, one by one (each a row of docs/browser.md "WebKit deviations"; rows of
 * test/browser/scenarios.ts marked with the name show WebKit doing it):
 *
 * 1. `repeated-headers-combined`: a request header set twice is safelisted on its combined value
 *    `a, b` (WebCore's HTTPHeaderMap keeps one value per name), so the 128-byte limit and the value
 *    rules apply to the joined value, and the 1024-byte total can never be reached (five names of
 *    at most 128 bytes); the standard reads each entry on its own.
 * 2. `range-unit-case-insensitive`: `Range: Bytes=0-` needs no preflight (the standard: a preflight,
 *    the unit is the bytes `bytes`).
 * 3. `range-bound-uint64`: a `Range` bound above 2^64 - 1 is not safelisted (the standard reads
 *    decimal numbers of any size). Chromium's limit is 2^63 - 2.
 * 4. `authorization-covered-by-wildcard`: `Access-Control-Allow-Headers: *` (without credentials)
 *    covers `Authorization`, in the preflight check and in the CORS-preflight cache.
 *
 * Not deviations (the suite checks WebKit agrees with the standard): a script's `User-Agent` is
 * sent and needs a preflight; no client hint (`DPR`, `Save-Data`, …) is safelisted; the forbidden
 * request-headers are the standard's; a body on GET or HEAD is a TypeError.
 *
 * The preflight cache's and the redirect walk's deviations (`max-age-signed-int64`, the 600-second
 * cap, `preflight-cache-replaces`, `preflight-repeated-after-redirect`, `request-body-headers-kept`,
 * `authorization-kept-across-origins`) are parameters in ./engine-parameters.ts.
 */
export const WEBKIT_PROFILE: Profile = Object.freeze({
  name: 'webkit' as const,
  isCorsSafelistedRequestHeader: isWebKitSafelistedRequestHeader,
  isForbiddenRequestHeader,
  combinesRepeatedHeaders: true,
  authorizationNeedsExplicitListing: false,
});
