// The closed set of `reason` codes the precheck answers with (their texts, kept out of the small
// bundle, are in ./reason-messages.ts). Each CORS failure is named after
// Chromium's CORS error (services/network/public/mojom/cors.mojom `CorsError`, shown by DevTools
// as `corsErrorStatus.corsError`) in kebab case, so `missing-allow-origin-header` is the
// `MissingAllowOriginHeader` a developer sees behind the console line quoted here.
//
// The standard says only "failure" or "network error"; which failure it was (a value with a comma
// versus one that names another origin, say) is diagnosis, and follows Chromium's diagnosis.

/**
 * A `reason` of `checkPreflight`, `checkResponse`, `checkRedirect` and `planFetch`'s `error`: a
 * closed set, each CORS failure named after Chromium's `CorsError` in kebab case
 * (`PRECHECK_REASONS` holds the console line for each).
 */
export type PrecheckReason =
  | 'ok'
  | 'no-preflight'
  | 'not-a-plan'
  | 'unknown-profile'
  | 'invalid-page-origin'
  | 'invalid-url'
  | 'url-includes-credentials'
  | 'invalid-mode'
  | 'invalid-credentials-mode'
  | 'invalid-method'
  | 'forbidden-method'
  | 'method-not-allowed-in-no-cors-mode'
  | 'invalid-headers'
  | 'invalid-header-name'
  | 'invalid-header-value'
  | 'invalid-redirect-mode'
  | 'body-with-get-or-head'
  | 'invalid-cache-mode'
  | 'only-if-cached-requires-same-origin'
  | 'redirect-mode-not-follow-in-no-cors'
  | 'redirect-mode-error'
  | 'invalid-redirect-location'
  | 'redirect-disallowed-scheme'
  | 'too-many-redirects'
  | 'redirect-contains-credentials'
  | 'max-age-not-stored'
  | 'disallowed-by-mode'
  | 'cors-disabled-scheme'
  | 'missing-allow-origin-header'
  | 'multiple-allow-origin-values'
  | 'invalid-allow-origin-value'
  | 'allow-origin-mismatch'
  | 'wildcard-origin-not-allowed'
  | 'invalid-allow-credentials'
  | 'preflight-invalid-status'
  | 'preflight-missing-allow-origin-header'
  | 'preflight-multiple-allow-origin-values'
  | 'preflight-invalid-allow-origin-value'
  | 'preflight-allow-origin-mismatch'
  | 'preflight-wildcard-origin-not-allowed'
  | 'preflight-invalid-allow-credentials'
  | 'invalid-allow-methods-preflight-response'
  | 'invalid-allow-headers-preflight-response'
  | 'method-disallowed-by-preflight-response'
  | 'header-disallowed-by-preflight-response';

/** The reasons a CORS check gives, and their preflight forms (Chromium's `kPreflight...`). */
export type CorsCheckFailure =
  | 'missing-allow-origin-header'
  | 'multiple-allow-origin-values'
  | 'invalid-allow-origin-value'
  | 'allow-origin-mismatch'
  | 'wildcard-origin-not-allowed'
  | 'invalid-allow-credentials';

/** `missing-allow-origin-header` -> `preflight-missing-allow-origin-header`. */
export function preflightFormOf(reason: CorsCheckFailure): PrecheckReason {
  return `preflight-${reason}`;
}
