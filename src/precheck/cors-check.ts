// Fetch §4.10 "CORS check" (Fetch Review Draft 2025-12 numbering; #concept-cors-check), run on
// the preflight response (with its failures named `preflight-...`) and on the actual response.
import { parseURL } from '../url/backend.js';
import type { CorsCheckFailure } from './reasons.js';
import type { ResponseHeaderList } from './response-header-list.js';

/**
 * "To perform a CORS check for a request and response, run these steps:
 *  1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's header list.
 *  2. If origin is null, then return failure. (Null is not `null`.)
 *  3. If request's credentials mode is not "include" and origin is `*`, then return success.
 *  4. If the result of byte-serializing a request origin with request is not origin, then return failure.
 *  5. If request's credentials mode is not "include", then return success.
 *  6. Let credentials be the result of getting `Access-Control-Allow-Credentials` from response's header list.
 *  7. If credentials is `true`, then return success.
 *  8. Return failure."
 *
 * Returns null for success, or which failure it was. Step 4's failure is diagnosed as Chromium
 * does (services/network cors.cc CheckAccessInternal): `*` with credentials, a space or comma
 * (several values: a repeated header arrives joined with ", "), `null` that does not match, a value
 * that is no URL, or another origin.
 */
export function corsCheck(
  serializedOrigin: string,
  includeCredentials: boolean,
  response: ResponseHeaderList,
): CorsCheckFailure | null {
  const origin = response.get('access-control-allow-origin'); // 1
  if (origin === null) return 'missing-allow-origin-header'; // 2
  if (!includeCredentials && origin === '*') return null; // 3
  if (origin !== serializedOrigin) {
    // 4
    if (origin === '*') return 'wildcard-origin-not-allowed';
    if (origin.includes(' ') || origin.includes(',')) return 'multiple-allow-origin-values';
    if (origin === 'null') return 'allow-origin-mismatch';
    return parseURL(origin) === null ? 'invalid-allow-origin-value' : 'allow-origin-mismatch';
  }
  if (!includeCredentials) return null; // 5
  const credentials = response.get('access-control-allow-credentials'); // 6
  if (credentials === 'true') return null; // 7
  return 'invalid-allow-credentials'; // 8
}
