// The response headers of the CORS protocol, built once when a policy compiles (Fetch Review
// Draft 2025-12, §3.3.3 "HTTP responses" and §3.3.4 "HTTP new-header syntax"). decide() only picks
// a prebuilt record, or adds the one origin-dependent field (`access-control-allow-origin`) to a
// prebuilt base once per origin and caches the result.
//
// A policy answers in one or two "tiers":
//   - a public tier: `access-control-allow-origin: *`, never with credentials (origins '*');
//   - an exact tier: the request's own origin echoed after it matched a rule, with
//     `access-control-allow-credentials: true` when the tier carries credentials (origins listed,
//     or the `credentialedOrigins` of a tiered policy).
//
// The rule for every `*` below comes from Fetch §3.3.4's note: "the value `*` counts as a
// wildcard for requests without credentials. For such requests there is no way to solely match a
// header name or method that is `*`." A credentialed tier therefore never sends a `*` (a browser
// sending a request without credentials would read it as a wildcard and could cache it as one,
// Fetch §4.9 "method cache entry match"), and reads a `*` in its lists as nothing.
import type { ValidatedPolicy } from '../policy/rules.js';
import { compileHeaderNameSet, CORS_NON_WILDCARD_REQUEST_HEADER_NAME, type HeaderNameSet } from '../fetch/header-list.js';
import { isForbiddenResponseHeaderName } from '../fetch/header-names.js';

/** Response header names, lower-case (DESIGN.md: decision header names are lower-case). */
export const ACAO = 'access-control-allow-origin';
export const ACAC = 'access-control-allow-credentials';
export const ACAM = 'access-control-allow-methods';
export const ACAH = 'access-control-allow-headers';
export const ACMA = 'access-control-max-age';
export const ACEH = 'access-control-expose-headers';
/** Private Network Access (WICG draft, "CORS-preflight" integration): the preflight response's grant. */
export const ACAPN = 'access-control-allow-private-network';
export const VARY = 'vary';

/** `Vary` on every response whose headers depend on the `Origin` request header. */
export const VARY_ORIGIN = 'origin';

/**
 * `Vary` on every preflight response, allowed or denied: whether a preflight is answered, and
 * how, depends on these four request headers (RFC 9110 §12.5.5). The value is a constant: it
 * never copies anything from the request. (The allowed lists themselves are the configured ones,
 * never echoes of `Access-Control-Request-*`.)
 */
export const VARY_PREFLIGHT =
  'origin, access-control-request-method, access-control-request-headers, access-control-request-private-network';

export type HeaderRecord = Readonly<Record<string, string>>;

/** One way of answering an allowed request, fixed at compile time. */
export interface Tier {
  /** `access-control-allow-origin: *` (and never credentials), instead of the request's origin. */
  readonly star: boolean;
  /** Sends `access-control-allow-credentials: true`. */
  readonly credentials: boolean;
  /** Allowed actual responses carry `vary: origin` (false only for the purely public answer). */
  readonly varyActual: boolean;
  /** `*` semantics for methods: any method but a forbidden one (only without credentials). */
  readonly methodWildcard: boolean;
  /** Methods allowed beyond the CORS-safelisted ones, after Fetch §2.2.1 normalisation. */
  readonly methods: ReadonlySet<string>;
  /** Request header names allowed in `Access-Control-Request-Headers`. */
  readonly requestHeaders: HeaderNameSet;
  /** The headers of an allowed actual response, without `access-control-allow-origin` when !star. */
  readonly actualBase: HeaderRecord;
  /** The headers of an allowed preflight response, without ACAO when !star, without ACAPN. */
  readonly preflightBase: HeaderRecord;
  /** The same with `access-control-allow-private-network: true` (policy.privateNetwork only). */
  readonly preflightBasePrivateNetwork: HeaderRecord;
}

/**
 * Build a tier from the validated policy. `star` picks the public answer; `credentials` the
 * credentialed one (ignored when `star`: `*` with credentials is a combination browsers refuse,
 * Fetch §4.10 "CORS check" step 3, and the validator refuses it in the policy).
 */
export function buildTier(policy: ValidatedPolicy, star: boolean, credentials: boolean, varyActual: boolean): Tier {
  const withCredentials = credentials && !star;
  const anonymous = !withCredentials;

  const methodList = policy.methods === '*' ? [] : policy.methods.filter((m) => m !== '*');
  const methodWildcard = anonymous && (policy.methods === '*' || policy.methods.includes('*'));
  const headerList = policy.allowHeaders === '*' ? [] : policy.allowHeaders.filter((h) => h !== '*');
  const headerWildcard = anonymous && (policy.allowHeaders === '*' || policy.allowHeaders.includes('*'));
  const exposeList =
    policy.exposeHeaders === '*'
      ? []
      : // Fetch §2.2.2 "forbidden response-header name" (`set-cookie`, `set-cookie2`): never
        // listed, even should one slip past validation.
        policy.exposeHeaders.filter((h) => !isForbiddenResponseHeaderName(h));

  // What each list header says. Anonymous: the configured list as written (a `*` in it is a
  // wildcard to the browser and to decide alike). Credentialed: the names alone.
  const acam =
    policy.methods === '*' ? (anonymous ? '*' : '') : joinNames(anonymous ? policy.methods : methodList);
  // A `*` beside names, anonymous: `*` plus only the names `*` does not cover. For request headers
  // that is `authorization` (Fetch §2.2.2 "CORS non-wildcard request-header name"; Fetch §4.8 step
  // 7.6); for exposed headers none (Fetch §4.1 "main fetch": with credentials mode other than
  // "include", `*` exposes every header name the response has, and no list exposes `set-cookie`).
  const acah =
    policy.allowHeaders === '*'
      ? anonymous ? '*' : ''
      : joinNames(anonymous ? (headerWildcard ? starAndUncovered(policy.allowHeaders) : policy.allowHeaders) : headerList);
  const aceh =
    anonymous && (policy.exposeHeaders === '*' || policy.exposeHeaders.includes('*'))
      ? '*'
      : joinNames(anonymous ? exposeList : exposeList.filter((h) => h !== '*'));

  const actual: Record<string, string> = {};
  const preflight: Record<string, string> = {};
  if (star) {
    actual[ACAO] = '*';
    preflight[ACAO] = '*';
  }
  if (withCredentials) {
    actual[ACAC] = 'true';
    // Fetch §3.3.3: "Support therefore needs to be indicated as part of the HTTP response to the
    // CORS-preflight request as well."
    preflight[ACAC] = 'true';
  }
  // Fetch §3.3.3: ACAM, ACAH and ACMA belong to preflight responses; ACEH to the others.
  if (acam !== '') preflight[ACAM] = acam;
  if (acah !== '') preflight[ACAH] = acah;
  if (policy.maxAge !== null) preflight[ACMA] = String(policy.maxAge);
  if (aceh !== '') actual[ACEH] = aceh;
  if (varyActual) actual[VARY] = VARY_ORIGIN;
  const preflightPrivateNetwork: Record<string, string> = { ...preflight, [ACAPN]: 'true' };
  preflight[VARY] = VARY_PREFLIGHT;
  preflightPrivateNetwork[VARY] = VARY_PREFLIGHT;

  return Object.freeze({
    star,
    credentials: withCredentials,
    varyActual,
    methodWildcard,
    methods: new Set(methodList),
    requestHeaders: compileHeaderNameSet(headerList, headerWildcard),
    actualBase: Object.freeze(actual),
    preflightBase: Object.freeze(preflight),
    preflightBasePrivateNetwork: Object.freeze(preflightPrivateNetwork),
  });
}

/**
 * `base` with `access-control-allow-origin: origin` first, frozen. Called once per origin (the
 * result is cached by decide), never per request.
 */
export function withAllowOrigin(origin: string, base: HeaderRecord): HeaderRecord {
  return Object.freeze({ [ACAO]: origin, ...base });
}

/** `*` then the listed names a `*` in `Access-Control-Allow-Headers` does not cover. */
function starAndUncovered(names: readonly string[]): readonly string[] {
  return ['*', ...names.filter((h) => h === CORS_NON_WILDCARD_REQUEST_HEADER_NAME)];
}

/** The `#element` list form (RFC 9110 §5.6.1) a policy's names are sent in. */
function joinNames(names: readonly string[]): string {
  return names.join(', ');
}
