// The 'chromium' profile: the Fetch standard plus the places where Chromium does something else,
// each found by the real-browser suite (test/browser/engines.test.ts, rows marked with the
// deviation's name) and documented in docs/browser.md. What Chromium 156 (Debian) did there; the
// 'chromium@150' band below is what Chromium 150 (Debian) did.
import { isForbiddenRequestHeader } from '../fetch/header-names.js';
import {
  byteLowercase,
  CORS_SAFELISTED_VALUE_MAX_LENGTH,
  isCorsSafelistedRequestHeader,
  parseSingleRangeHeaderValue,
} from '../fetch/safelisted-request-header.js';
import type { Profile } from './profiles.js';

/** `1*DIGIT [ "." 1*DIGIT ]`: Chromium's test for the `DPR` and `Device-Memory` values. */
function isDecimalNumber(value: string): boolean {
  return /^[0-9]+(\.[0-9]+)?$/.test(value);
}

/**
 * Chromium's CORS-safelisted request-header: the standard's rule, plus the client-hint headers
 * Chromium itself may attach (services/network/public/cpp/cors/cors.cc IsCorsSafelistedHeader), as
 * the real-browser suite found them: `DPR`, `Device-Memory` and `Downlink` (a decimal number
 * `1*DIGIT [ "." 1*DIGIT ]`), `Width`, `Viewport-Width` and `RTT` (digits), `ECT` (`slow-2g`, `2g`,
 * `3g`, `4g`), `Save-Data` (`on`, any case), each within the 128-byte value limit.
 */
function isChromiumSafelistedRequestHeader(name: string, value: string): boolean {
  if (isCorsSafelistedRequestHeader(name, value)) return true;
  if (value.length > CORS_SAFELISTED_VALUE_MAX_LENGTH) return false;
  switch (byteLowercase(name)) {
    case 'dpr':
    case 'device-memory':
      return isDecimalNumber(value);
    case 'downlink':
      return isDecimalNumber(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return /^[0-9]+$/.test(value);
    case 'ect':
      return value === 'slow-2g' || value === '2g' || value === '3g' || value === '4g';
    case 'save-data':
      return value.toLowerCase() === 'on';
    default:
      return false;
  }
}

/**
 * The largest `Range` bound Chromium safelists: 2^63 - 2. Its range parser reads bounds as signed
 * 64-bit integers (net::HttpUtil::ParseRangeHeader), and the suite found 2^63 - 1 refused as well
 * (a bound one past it must still fit). Chromium 150 safelists 2^63 - 1.
 */
const RANGE_BOUND_MAX = '9223372036854775806';
const RANGE_BOUND_MAX_150 = '9223372036854775807';

/** Whether a `Range` bound (decimal digits) is at most `max` (decimal digits, no leading zero). */
export function fitsRangeBound(digits: string, max: string): boolean {
  const d = digits.replace(/^0+(?=.)/, '');
  return d.length < max.length || (d.length === max.length && d <= max);
}

/** Whether a `Range` value's bounds are at most `max` (true for any other header, or an unparsable value). */
export function rangeBoundsFit(name: string, value: string, max: string): boolean {
  if (byteLowercase(name) !== 'range') return true;
  const range = parseSingleRangeHeaderValue(value, false);
  return range === null || ((range[0] === null || fitsRangeBound(range[0], max)) && (range[1] === null || fitsRangeBound(range[1], max)));
}

/** Chromium's forbidden request-header: the standard's, and `User-Agent` (deviation 4 below). */
function isChromiumForbiddenRequestHeader(name: string, value: string): boolean {
  return isForbiddenRequestHeader(name, value) || byteLowercase(name) === 'user-agent';
}

/**
 * Chromium 150 and before (`'chromium@150'`), as the suite found Chromium 150 (Debian): deviations
 * 1, 2, 4 and 5 below, and
 * - `range-bound-limit` at 2^63 - 1, the largest signed 64-bit integer (no `range-bound-one-past`);
 * - `range-unit-case-insensitive`: the `bytes` unit of `Range` matches in any case (`Bytes=0-`,
 *   `BYTES=0-5` need no preflight; the standard: `bytes` only);
 * - `private-network-header-forbidden`: a script's `Access-Control-Request-Private-Network` is
 *   dropped, as a forbidden request-header (Chromium sets it itself on Private Network Access
 *   preflights);
 * - its cache finds a preflight made after a cross-origin redirect again (the standard).
 */
const CHROMIUM_150_PROFILE: Profile = Object.freeze({
  name: 'chromium' as const,
  through: 150,
  isCorsSafelistedRequestHeader: (name: string, value: string) => {
    const v = byteLowercase(name) === 'range' ? value.replace(/^bytes/i, 'bytes') : value;
    return isChromiumSafelistedRequestHeader(name, v) && rangeBoundsFit(name, v, RANGE_BOUND_MAX_150);
  },
  isForbiddenRequestHeader: (name: string, value: string) =>
    isChromiumForbiddenRequestHeader(name, value) || byteLowercase(name) === 'access-control-request-private-network',
  combinesRepeatedHeaders: true,
  authorizationNeedsExplicitListing: false,
});

/**
 * Chromium's deviations, one by one (each is a row of docs/browser.md "Chromium deviations", and
 * rows of test/browser/scenarios.ts marked with its name show Chromium doing it):
 *
 * 1. `repeated-headers-combined`: a request header set twice (`[['Accept', 'a'], ['Accept', 'b']]`)
 *    is safelisted on its combined value `a, b` (Chromium keeps request headers in
 *    net::HttpRequestHeaders, one value per name), so the 128-byte limit and the value rules apply
 *    to the joined value; the standard reads each entry on its own.
 * 2. `client-hints-safelisted`: `DPR`, `Device-Memory`, `Downlink`, `Width`, `Viewport-Width`,
 *    `RTT`, `ECT` and `Save-Data` with well-formed values need no preflight.
 * 3. `range-bound-limit`: a `Range` bound above 2^63 - 2 is not safelisted (the standard reads
 *    decimal numbers of any size).
 * 4. `user-agent-forbidden`: a script's `User-Agent` is dropped, as if it were a forbidden
 *    request-header (the standard removed it from that list; Chromium never sends it).
 * 5. `authorization-covered-by-wildcard`: `Access-Control-Allow-Headers: *` (without credentials)
 *    covers `Authorization` (step 7.6 is not enforced; Chromium only warns in the console).
 * 6. `range-bound-one-past`: a `Range` bound of 2^63 - 1 is refused too (since Chromium 151; 150
 *    safelists it).
 * 7. `tainted-preflight-not-cached` (./engine-parameters.ts): a preflight made after a
 *    cross-origin redirect is never found again (since 151).
 */
export const CHROMIUM_PROFILE: Profile = Object.freeze({
  name: 'chromium' as const,
  isCorsSafelistedRequestHeader: (name: string, value: string) =>
    isChromiumSafelistedRequestHeader(name, value) && rangeBoundsFit(name, value, RANGE_BOUND_MAX),
  isForbiddenRequestHeader: isChromiumForbiddenRequestHeader,
  combinesRepeatedHeaders: true,
  authorizationNeedsExplicitListing: false,
  releases: [CHROMIUM_150_PROFILE],
});
