// The console text (or TypeError) behind each precheck `reason` code, and the DevTools name of
// each CORS error. Not in the small browser bundle (size); the package root and the full bundle
// export them.
import type { PrecheckReason } from './reasons.js';

/** Every reason code, with the console text (or the TypeError) a developer recognises. */
export const PRECHECK_REASONS: Readonly<Record<PrecheckReason, string>> = Object.freeze({
  ok: 'The browser lets the page read the response.',
  'no-preflight': 'No CORS-preflight request is sent for this request (checkPreflight has nothing to accept).',
  'not-a-plan': 'The plan was not made by planFetch in this realm (or was copied): nothing is known about the request, so nothing is accepted.',

  'unknown-profile':
    "options.profile is not 'spec', 'chromium', 'firefox', 'webkit' or 'auto' (or, in the small browser bundle, the engine profiles are not loaded: call useEngineProfiles() from corset-cors/browser/profiles): no browser is modelled, so nothing is accepted.",

  // The Request constructor or fetch() refuses before anything is sent (a TypeError).
  'invalid-page-origin': 'The page origin is not an absolute URL or "null".',
  'invalid-url': "Failed to construct 'Request': Failed to parse URL.",
  'url-includes-credentials': "Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials.",
  'invalid-mode': "Failed to construct 'Request': the mode is not one of 'cors', 'no-cors', 'same-origin'.",
  'invalid-credentials-mode': "Failed to construct 'Request': credentials is not one of 'omit', 'same-origin', 'include'.",
  'invalid-method': "Failed to construct 'Request': the method is not a valid HTTP method.",
  'forbidden-method': "Failed to construct 'Request': the HTTP method (CONNECT, TRACE, TRACK) is unsupported.",
  'method-not-allowed-in-no-cors-mode': "Failed to construct 'Request': the method is unsupported in no-cors mode.",
  'invalid-headers': "Failed to construct 'Request': headers is neither a record nor a sequence of name-value pairs.",
  'invalid-header-name': "Failed to construct 'Request': a header name is not a valid HTTP header field name.",
  'invalid-header-value': "Failed to construct 'Request': a header value is not a valid HTTP header field value.",
  'invalid-redirect-mode': "Failed to construct 'Request': the redirect mode is not one of 'follow', 'manual', 'error'.",
  'body-with-get-or-head': "Failed to construct 'Request': Request with GET/HEAD method cannot have body.",
  'invalid-cache-mode': "Failed to construct 'Request': the cache mode is not one of 'default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'.",
  'only-if-cached-requires-same-origin': "Failed to construct 'Request': 'only-if-cached' can be set only with 'same-origin' mode",

  // Redirects (checkRedirect; the no-cors one is refused before anything is sent).
  'redirect-mode-not-follow-in-no-cors': 'Fetch API cannot load the URL. Request mode is "no-cors" but the redirect mode is not "follow".',
  'redirect-mode-error': "Fetch API cannot load the URL. The response redirected, and the request's redirect mode is 'error'.",
  'invalid-redirect-location': "The response redirected to a 'Location' that is not a valid URL.",
  'redirect-disallowed-scheme': "Redirect location has a disallowed scheme for cross-origin requests (only http and https are followed).",
  'too-many-redirects': 'net::ERR_TOO_MANY_REDIRECTS (more than 20 redirects).',
  'redirect-contains-credentials': 'Redirect location contains a username and password, which is disallowed for cross-origin requests.',

  // The CORS-preflight cache (PreflightCache.record).
  'max-age-not-stored': 'The preflight passed, but this engine stores nothing for its Access-Control-Max-Age value (the next request is preflighted again).',

  // Network errors decided before the request leaves the page.
  'disallowed-by-mode': "Cross origin requests are not allowed by request mode ('same-origin').",
  'cors-disabled-scheme': 'Cross origin requests are only supported for protocol schemes: http, https, ...',

  // CORS check (Fetch "CORS check") on the actual response.
  'missing-allow-origin-header': "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  'multiple-allow-origin-values': "The 'Access-Control-Allow-Origin' header contains multiple values, but only one is allowed.",
  'invalid-allow-origin-value': "The 'Access-Control-Allow-Origin' header contains the invalid value.",
  'allow-origin-mismatch': "The 'Access-Control-Allow-Origin' header has a value that is not equal to the supplied origin.",
  'wildcard-origin-not-allowed':
    "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
  'invalid-allow-credentials':
    "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",

  // The CORS-preflight fetch and its check.
  'preflight-invalid-status': "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
  'preflight-missing-allow-origin-header':
    "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
  'preflight-multiple-allow-origin-values':
    "Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header contains multiple values, but only one is allowed.",
  'preflight-invalid-allow-origin-value':
    "Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header contains the invalid value.",
  'preflight-allow-origin-mismatch':
    "Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value that is not equal to the supplied origin.",
  'preflight-wildcard-origin-not-allowed':
    "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
  'preflight-invalid-allow-credentials':
    "Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
  'invalid-allow-methods-preflight-response': 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
  'invalid-allow-headers-preflight-response': 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.',
  'method-disallowed-by-preflight-response': 'Method is not allowed by Access-Control-Allow-Methods in preflight response.',
  'header-disallowed-by-preflight-response': 'Request header field is not allowed by Access-Control-Allow-Headers in preflight response.',
});



const NOT_CORS_ERRORS: ReadonlySet<string> = new Set([
  'only-if-cached-requires-same-origin',
  'redirect-mode-not-follow-in-no-cors',
  'redirect-mode-error',
  'too-many-redirects',
  'max-age-not-stored',
]);

/**
 * The DevTools protocol's `Network.CorsError` name for a reason (`allow-origin-mismatch` ->
 * `AllowOriginMismatch`), or null for reasons that are no CORS error (`ok`, TypeErrors).
 */
export function corsErrorNameOf(reason: string): string | null {
  if (!Object.hasOwn(PRECHECK_REASONS, reason)) return null;
  if (reason === 'ok' || reason === 'no-preflight' || reason === 'not-a-plan' || reason === 'unknown-profile') return null;
  if (reason.startsWith('invalid-') && !reason.startsWith('invalid-allow-')) return null;
  if (reason === 'url-includes-credentials' || reason === 'forbidden-method') return null;
  if (reason === 'method-not-allowed-in-no-cors-mode') return null;
  // Network errors of the redirect walk that DevTools does not report as CORS errors.
  if (NOT_CORS_ERRORS.has(reason)) return null;
  return reason.replace(/(^|-)([a-z])/g, (_m, _dash: string, ch: string) => ch.toUpperCase());
}
