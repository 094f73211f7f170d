// The closed set of `CorsDecision.reason` codes, so gateways can count and log decisions.
// Exactly one code per decision; `ok`, `not-cors` and `same-origin` are the allowed ones.

const REASONS = {
  ok: 'a cross-origin request or preflight the policy allows',
  'not-cors': 'no Origin header: not a CORS request (Fetch §3.3.2), nothing to decide',
  'same-origin': "the Origin header is the origin of the request's own URL: CORS does not apply",
  'invalid-origin':
    'the Origin header is not a canonical serialized origin or "null" (or is longer than any origin can be)',
  'origin-not-allowed': 'a well-formed origin that no pattern of the policy allows',
  'null-origin-not-allowed': 'Origin "null" (an opaque origin) and the policy does not allow it',
  'invalid-method': 'the method (or Access-Control-Request-Method) is not a method token, or is too long',
  'method-not-allowed': 'a method the policy does not allow (CORS-safelisted GET, HEAD and POST always are)',
  'invalid-request-headers': 'Access-Control-Request-Headers is not a comma-separated list of header names',
  'request-headers-too-long': 'Access-Control-Request-Headers is over the length or element cap; refused unread',
  'headers-not-allowed': 'Access-Control-Request-Headers lists a header name the policy does not allow',
  'private-network-not-allowed':
    'a preflight asked for private network access (Access-Control-Request-Private-Network) and the policy does not grant it',
  'origin-unresolved':
    "a live policy's resolver must be asked about the origin and has no cached answer; decide() is synchronous (decideAsync asks it)",
  'resolver-timeout': "a live policy's resolver did not answer within resolverTimeoutMs",
  'resolver-error': "a live policy's resolver threw or its promise rejected",
} as const;

/**
 * A `CorsDecision.reason`: one code of the closed set `DECISION_REASONS`. `ok`, `not-cors` and
 * `same-origin` are the allowed ones; every other code names why a request was denied.
 */
export type DecisionReason = keyof typeof REASONS;

/**
 * Every reason code `decide` can give, each with a one-line description: a closed set, so a
 * gateway can count and log decisions by reason (a safe metric label, unlike the `Origin`).
 */
export const DECISION_REASONS: { readonly [R in DecisionReason]: (typeof REASONS)[R] } = Object.freeze(REASONS);
