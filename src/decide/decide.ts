// decide(): the CORS protocol from the server's side (Fetch Review Draft 2025-12 numbering:
// §3.3 "CORS protocol", §3.3.2 "HTTP requests", §3.3.3 "HTTP responses"), answering what the
// browser will check in §4.8 "CORS-preflight fetch" (step 7) and §4.10 "CORS check".
//
// Everything that can be is built when the policy compiles (./headers.ts). Per request: a few
// type checks, length caps, one matcher call, a set lookup for the method, one bounded scan of
// `Access-Control-Request-Headers`, and a frozen decision picked from a constant or a cache.
// Decisions are frozen and may be shared between requests: callers copy them, never change them.
//
// Choices where the standards leave the server free (each has a test):
// - `vary: origin` is on every decision except an allowed actual response of a purely public
//   policy (`origins: '*'`, not tiered), which is the same for every origin. That includes
//   `not-cors` and `same-origin` decisions (a shared cache must not hand their CORS-less response to
//   a cross-origin reader) and every denial (a cached denial must not reach an allowed origin).
// - Preflight decisions, allowed or denied, carry `vary: origin, access-control-request-method,
//   access-control-request-headers, access-control-request-private-network` (./headers.ts).
// - An `Origin` that is not canonical is `invalid-origin` even under `origins: '*'`: a browser
//   never sends one, and refusing costs nothing. A canonical app or extension origin
//   (`capacitor://localhost`) is `origin-not-allowed` under `'*'`: only a listed one is allowed.
// - Actual requests are held to the same method rule as preflights: a browser sends a
//   non-safelisted method only after a preflight for it succeeded, so a request with a method the
//   policy does not allow is not one the policy answered.
// - Same-origin detection reads only the part of `url` its origin depends on (parseOrigin: scheme
//   and authority, at most MAX_ORIGIN_PART_LENGTH characters read); a URL whose authority (userinfo
//   included) is longer does not parse, and is decided as cross-origin, where the policy still
//   applies. A 1 MB url costs what a short one does.
// - An empty `Access-Control-Request-Headers` (or one of empty elements) lists no headers.
// - `Access-Control-Request-Headers` names are all checked, CORS-safelisted names included: a
//   browser lists `content-type` or `accept` only when the value is not safelisted (Fetch §2.2.2
//   "CORS-unsafe request-header names"), so the server must allow them by name like any other.
import type { CorsDecision, CorsDecisionKind, CorsRequest } from '../types.js';
import type { OriginMatcher, OriginRule, ValidatedPolicy } from '../policy/rules.js';
import { byRuleIndex, MATCH_INVALID, MATCH_NONE } from '../policy/rules.js';
import { exactIndexOf } from '../policy/exact-index.js';
import { isCanonicalExactRule } from '../policy/canonical-exact-rule.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { describeType } from '../arguments.js';
import { isCanonicalTupleOrigin, parseOrigin } from '../origin/origin.js';
import { isCanonicalAppOrigin } from '../origin/app-origin.js';
import { isCorsSafelistedMethod, isForbiddenMethod, isToken, normalizeMethod } from '../fetch/methods.js';
import {
  ACRH_INVALID,
  ACRH_OK,
  ACRH_TOO_LONG,
  checkRequestHeaderNames,
} from '../fetch/header-list.js';
import { ACAO, buildTier, type HeaderRecord, type Tier, VARY, VARY_ORIGIN, VARY_PREFLIGHT, withAllowOrigin } from './headers.js';
import { DECISION_REASONS, type DecisionReason } from './reasons.js';
import { serializedOriginLength } from './serialized-host.js';
import type { ExtraOrigin, ExtraOrigins } from './extra-origins.js';

/**
 * The longest method read from a request, unless the policy lists a longer one. The longest
 * method in the IANA HTTP Method Registry is `UPDATEREDIRECTREF` (17); 64 leaves room for private
 * extension methods without reading an unbounded string.
 */
export const MAX_METHOD_LENGTH = 64;

/** The longest header value a tier keeps as its last preflight check (a browser's are short). */
const PREFLIGHT_MEMO_MAX_LENGTH = 1024;

/** The bounded per-origin memo: a flood of distinct origins costs the same as no memo. */
const ORIGIN_CACHE_LIMIT = 512;

/** The matchers decide() consults, built by the engine from the validated rules. */
export interface DecideMatchers {
  /** For `origins` as a rule list; null when `origins` is '*'. */
  readonly origins: OriginMatcher | null;
  /** For a tiered policy's `credentialedOrigins`; null when the policy is not tiered. */
  readonly credentialed: OriginMatcher | null;
  /**
   * A live policy's origins beside the rules (./extra-origins.ts), asked after the rules miss a
   * canonical origin; absent or null for a plain compiled policy.
   */
  readonly extra?: ExtraOrigins | null;
}

export type Decide = (req: CorsRequest) => CorsDecision;

/** The allowed decisions for one tier of one rule list, cached by rule (exact rules) or origin. */
interface TierAnswers {
  readonly tier: Tier;
  /** The rules by rule index (empty for the public tier, whose source is `*`). */
  readonly rules: readonly (OriginRule | undefined)[];
  /** Some rule allows more than one origin (a wildcard, a glob, `:*`, a RegExp). */
  readonly hasPattern: boolean;
  /**
   * By rule index (0 for the public tier), by shape: decisions that hold for every origin the
   * slot can allow, kept for good: a single rule's (it allows one serialized origin, so the first
   * decision's `access-control-allow-origin` is every later request's), and the `*` tier's.
   */
  readonly fixed: ShapeSlots;
  /** By rule index, by shape: the last decision a pattern rule gave, for the origin it names. */
  readonly last: ShapeSlots;
  /** The last preflight's `Access-Control-Request-Method` / `-Headers` checked against this tier (null: none yet / absent), and the outcome. */
  lastRequestMethod: string | null;
  lastRequestHeaders: string | null;
  lastPreflightOutcome: DenialReason | null;
}

/**
 * What the matchers answered for one allowed origin, and its decisions by shape: kept in the
 * per-origin memo (policies with a pattern rule), looked up before any matcher runs.
 */
interface OriginMemo {
  readonly answers: TierAnswers;
  readonly index: number;
  // By shape, as fields rather than an array: one allocation per remembered origin.
  actual: CorsDecision | undefined;
  preflight: CorsDecision | undefined;
  pna: CorsDecision | undefined;
}

type ShapeSlots = [actual: (CorsDecision | undefined)[], preflight: (CorsDecision | undefined)[], pna: (CorsDecision | undefined)[]];

const ACTUAL = 0;
const PREFLIGHT = 1;
const PREFLIGHT_PNA = 2;
type Shape = typeof ACTUAL | typeof PREFLIGHT | typeof PREFLIGHT_PNA;

function decision(
  kind: CorsDecisionKind,
  allowed: boolean,
  reason: DecisionReason,
  matched: string | null,
  status: number | null,
  headers: HeaderRecord,
): CorsDecision {
  return Object.freeze({ kind, allowed, reason, matched, status, headers });
}

const ACTUAL_DENIED_HEADERS: HeaderRecord = Object.freeze({ [VARY]: VARY_ORIGIN });
const PREFLIGHT_DENIED_HEADERS: HeaderRecord = Object.freeze({ [VARY]: VARY_PREFLIGHT });

/** Fetch §3.3.2: "A CORS request is an HTTP request that includes an `Origin` header." Without one, nothing to decide. */
const NOT_CORS = decision('not-cors', true, 'not-cors', null, null, ACTUAL_DENIED_HEADERS);
const SAME_ORIGIN = decision('same-origin', true, 'same-origin', null, null, ACTUAL_DENIED_HEADERS);

/** Denial reasons, one frozen decision per (kind, reason). */
type DenialReason = Exclude<DecisionReason, 'ok' | 'not-cors' | 'same-origin'>;
const DENIAL_REASONS = (Object.keys(DECISION_REASONS) as DecisionReason[]).filter(
  (r): r is DenialReason => r !== 'ok' && r !== 'not-cors' && r !== 'same-origin',
);

/**
 * Compile the decide function for a validated policy and its matchers. Everything decide needs
 * that does not depend on the request is built here.
 */
export function createDecide(policy: ValidatedPolicy, matchers: DecideMatchers): Decide {
  const deniedActual = new Map<DenialReason, CorsDecision>();
  const deniedPreflight = new Map<DenialReason, CorsDecision>();
  for (const reason of DENIAL_REASONS) {
    deniedActual.set(reason, decision('actual', false, reason, null, null, ACTUAL_DENIED_HEADERS));
    deniedPreflight.set(
      reason,
      decision('preflight', false, reason, null, policy.deniedPreflightStatus, PREFLIGHT_DENIED_HEADERS),
    );
  }
  const deny = (preflight: boolean, reason: DenialReason): CorsDecision =>
    (preflight ? deniedPreflight : deniedActual).get(reason) as CorsDecision;
  // The denial most requests that are denied get, at hand.
  const notAllowedActual = deny(false, 'origin-not-allowed');
  const notAllowedPreflight = deny(true, 'origin-not-allowed');

  const tiered = policy.origins.kind === 'any' && policy.credentialedOrigins !== null;
  // The public tier: origins '*'. Without a credentialed tier beside it, its actual answer is the
  // same for every origin and needs no `vary`.
  const publicAnswers =
    policy.origins.kind === 'any' ? tierAnswers(buildTier(policy, true, false, tiered), null) : null;
  const listAnswers =
    policy.origins.kind === 'list'
      ? tierAnswers(buildTier(policy, false, policy.credentials, true), policy.origins.rules)
      : null;
  const credentialedAnswers =
    policy.credentialedOrigins !== null && matchers.credentialed !== null
      ? tierAnswers(buildTier(policy, false, true, true), policy.credentialedOrigins)
      : null;
  const originsMatcher = matchers.origins;
  const credentialedMatcher = credentialedAnswers === null ? null : matchers.credentialed;
  const extraOrigins = matchers.extra ?? null;
  // The tier an extra origin joins: a tiered policy's credentialed tier, else the list's; null
  // (no extras consulted) for a plain policy or `origins: '*'` without a tier.
  const extraTier = extraOrigins === null ? null : (credentialedAnswers ?? listAnswers);
  // Marks the decisions this decide built in an ExtraOrigin entry (see ExtraOrigin.owner).
  const extraOwner = {};
  if (listAnswers !== null && originsMatcher === null) {
    throw new TypeError('corset: createDecide: a rule list needs an origins matcher');
  }

  // The per-origin memo: only where some rule allows more than one origin (an exact rule's
  // decision is cached by rule, and its engine lookup costs about what the memo's hash would).
  // Looked up first, on the request's fresh string: a hit skips the matchers.
  const hasPattern = (answers: TierAnswers | null): boolean => answers !== null && answers.hasPattern;
  const originMemo = hasPattern(listAnswers) || hasPattern(credentialedAnswers) ? new Map<string, OriginMemo>() : null;
  let memoHits = 0; // lookups answered since the memo was last emptied
  let memoBypass = 0; // requests left that skip the memo (see where it is emptied)

  let methodCap = MAX_METHOD_LENGTH;
  if (policy.methods !== '*') for (const m of policy.methods) methodCap = Math.max(methodCap, m.length);

  function allowedDecision(answers: TierAnswers, index: number, origin: string, shape: Shape, memo: OriginMemo | undefined): CorsDecision {
    if (memo !== undefined) {
      const known = shape === ACTUAL ? memo.actual : shape === PREFLIGHT ? memo.preflight : memo.pna;
      if (known !== undefined) return known;
    }
    // A single rule's decision (or the `*` tier's), kept for good. The engines answer a single
    // rule only for the one origin it allows (the exact map's key, or the same bytes in the
    // tables: test/exact-miss.test.ts and the differential fuzz hold them to the reference), so
    // no compare is needed; and were an engine ever to match a second spelling, the kept header
    // names the first origin, which the browser's CORS check refuses for any other: it fails closed.
    // A pattern rule keeps its last decision, reused when it names this origin (an origin tends
    // to come again, and a string compare costs less than a hash).
    const at = index < 0 ? 0 : index;
    const fixedSlot = answers.fixed[shape];
    let d = fixedSlot[at];
    if (d === undefined) {
      if (index < 0 ? answers.tier.star : isSingle(answers.rules[index])) {
        d = makeAllowed(answers, index, origin, shape);
        fixedSlot[at] = d;
      } else {
        const lastSlot = answers.last[shape];
        d = lastSlot[at];
        if (d === undefined || !(answers.tier.star || d.headers[ACAO] === origin)) {
          d = makeAllowed(answers, index, origin, shape);
          lastSlot[at] = d;
        }
      }
    }
    if (memo !== undefined) {
      if (shape === ACTUAL) memo.actual = d;
      else if (shape === PREFLIGHT) memo.preflight = d;
      else memo.pna = d;
    }
    return d;
  }

  /** An origin allowed beside the rules: its decisions live in its own entry. */
  function extraDecision(answers: TierAnswers, entry: ExtraOrigin, origin: string, shape: Shape): CorsDecision {
    if (entry.owner !== extraOwner) {
      entry.owner = extraOwner;
      entry.actual = entry.preflight = entry.pna = undefined;
    }
    const known = shape === ACTUAL ? entry.actual : shape === PREFLIGHT ? entry.preflight : entry.pna;
    if (known !== undefined) return known;
    const d = makeAllowed(answers, 0, origin, shape, entry.source);
    if (shape === ACTUAL) entry.actual = d;
    else if (shape === PREFLIGHT) entry.preflight = d;
    else entry.pna = d;
    return d;
  }

  function makeAllowed(answers: TierAnswers, index: number, origin: string, shape: Shape, extraSource?: string): CorsDecision {
    const tier = answers.tier;
    const base =
      shape === ACTUAL ? tier.actualBase : shape === PREFLIGHT ? tier.preflightBase : tier.preflightBasePrivateNetwork;
    const headers = tier.star ? base : withAllowOrigin(origin, base);
    const matched = extraSource !== undefined ? extraSource : index < 0 ? '*' : (answers.rules[index]?.source ?? null);
    return shape === ACTUAL
      ? decision('actual', true, 'ok', matched, null, headers)
      : decision('preflight', true, 'ok', matched, policy.preflightStatus, headers);
  }

  return function decide(req: CorsRequest): CorsDecision {
    // Untyped callers: a TypeError naming the field; every string, of any content, is answered.
    if (req === null || typeof req !== 'object') {
      throw new TypeError(`corset: decide(req): req must be a CorsRequest object, got ${describeType(req)}`);
    }
    const method = req.method;
    const origin = req.origin;
    const requestMethod = req.requestMethod;
    const requestHeaders = req.requestHeaders;
    const url = req.url;
    const requestPrivateNetwork = req.requestPrivateNetwork;
    if (typeof method !== 'string') fieldError('method', method, 'a string');
    if (origin !== undefined && origin !== null && typeof origin !== 'string') fieldError('origin', origin, 'a string or null');
    if (requestMethod !== undefined && requestMethod !== null && typeof requestMethod !== 'string') {
      fieldError('requestMethod', requestMethod, 'a string or null');
    }
    if (requestHeaders !== undefined && requestHeaders !== null && typeof requestHeaders !== 'string') {
      fieldError('requestHeaders', requestHeaders, 'a string or null');
    }
    if (url !== undefined && url !== null && typeof url !== 'string') fieldError('url', url, 'a string');
    if (requestPrivateNetwork !== undefined && requestPrivateNetwork !== null && typeof requestPrivateNetwork !== 'boolean') {
      fieldError('requestPrivateNetwork', requestPrivateNetwork, 'a boolean');
    }

    // Fetch §3.3.2: a CORS request includes an `Origin` header (DESIGN.md: null, undefined or
    // absent is not a CORS request).
    if (origin === undefined || origin === null) return NOT_CORS;

    // Fetch §3.3.2: "A CORS-preflight request is a CORS request that checks to see if the CORS
    // protocol is understood. It uses `OPTIONS` as method and includes ...
    // `Access-Control-Request-Method`". Any other OPTIONS is an actual request.
    // `GET`, `HEAD` and `POST` as written (what a server's parser hands over, nearly always): a
    // normalized, CORS-safelisted token, always allowed (Fetch §2.2.1, §4.8 step 7.5); no scan.
    const safelisted = method === 'GET' || method === 'POST' || method === 'HEAD';
    const methodOk = safelisted || method.length <= methodCap;
    const normalizedMethod = safelisted || !methodOk ? method : normalizeMethod(method);
    const preflight =
      normalizedMethod === 'OPTIONS' && requestMethod !== undefined && requestMethod !== null;

    // Length cap before any work (DESIGN.md, "Origin patterns": no serialized origin is longer).
    if (origin.length > MAX_ORIGIN_LENGTH) return deny(preflight, 'invalid-origin');

    if (typeof url === 'string' && isSameOriginRequest(origin, url)) return SAME_ORIGIN;

    // Which rule, in which tier, allows the origin: remembered (an origin the matchers allowed
    // before; the policy never changes), else asked of the matchers.
    if (origin === 'null' && !policy.allowNullOrigin) return deny(preflight, 'null-origin-not-allowed');
    // A live policy's own origins first (an added origin, a cached resolver answer), unless a rule
    // also allows the origin (then the rule answers, as `matched` must name it): a Map lookup on
    // a string whose hash the engines' lookup reuses, where the engines would miss.
    const early = extraTier === null ? undefined : (extraOrigins as ExtraOrigins).first(origin);
    // Its usual answer (a GET, HEAD or POST from an origin allowed beside the rules, answered
    // before): the entry's own decision, as a fixed slot is for a rule, before the general path.
    if (early !== undefined && !preflight && safelisted) {
      const known = early.actual;
      if (known !== undefined && early.owner === extraOwner) return known;
    }
    let memo: OriginMemo | undefined;
    if (originMemo !== null && early === undefined) {
      if (memoBypass === 0) {
        memo = originMemo.get(origin);
        if (memo !== undefined) memoHits++;
      } else {
        memoBypass--;
      }
    }
    let answers: TierAnswers;
    let index: number;
    let extra: ExtraOrigin | undefined = early; // set when the origin is allowed beside the rules
    if (early !== undefined) {
      answers = extraTier as TierAnswers;
      index = 0;
    } else if (memo !== undefined) {
      answers = memo.answers;
      index = memo.index;
    } else {
      const credentialedMatch = credentialedMatcher === null ? MATCH_NONE : credentialedMatcher.match(origin);
      if (credentialedMatch === MATCH_INVALID) return deny(preflight, 'invalid-origin');
      // A live policy's extra origins (./extra-origins.ts): asked only with a canonical origin
      // the rules do not allow (MATCH_NONE is never given for a non-canonical value), never `null`.
      const found =
        extraOrigins !== null && credentialedMatch === MATCH_NONE && credentialedAnswers !== null && origin !== 'null'
          ? extraOrigins.lookup(origin)
          : null;
      if (credentialedMatch >= 0 && credentialedAnswers !== null) {
        answers = credentialedAnswers;
        index = credentialedMatch;
      } else if (found !== null && typeof found !== 'string') {
        answers = credentialedAnswers as TierAnswers; // tiered: joins credentialedOrigins
        index = 0;
        extra = found;
      } else if (publicAnswers !== null) {
        // origins '*': every tuple origin, never `null` (DESIGN.md, "Origin patterns"), never an
        // app or extension origin (those are listed one by one, docs/app-origins.md). A tiered
        // origin the resolver has not (or not yet) answered for stays in the public tier.
        if (origin === 'null') return deny(preflight, 'null-origin-not-allowed');
        if (!isCanonicalTupleOrigin(origin)) return deny(preflight, isCanonicalAppOrigin(origin) ? 'origin-not-allowed' : 'invalid-origin');
        answers = publicAnswers;
        index = -1;
      } else if (listAnswers !== null && originsMatcher !== null) {
        const m = originsMatcher.match(origin);
        if (m === MATCH_INVALID) return deny(preflight, 'invalid-origin');
        if (m < 0) {
          if (origin === 'null') return deny(preflight, 'null-origin-not-allowed');
          const more = extraOrigins === null ? null : extraOrigins.lookup(origin);
          if (more === null) return preflight ? notAllowedPreflight : notAllowedActual;
          if (typeof more === 'string') return deny(preflight, more);
          extra = more;
        }
        answers = listAnswers;
        index = m;
      } else {
        return deny(preflight, 'origin-not-allowed'); // unreachable for a validated policy: deny
      }
      // An extra origin is never remembered here: it may leave at any time (its entry keeps its decisions).
      // Nor is a tiered origin left in the public tier while a live policy may still credential it.
      if (originMemo !== null && memoBypass === 0 && extra === undefined && (extraOrigins === null || answers !== publicAnswers)) {
        if (originMemo.size >= ORIGIN_CACHE_LIMIT) {
          // Full. Fewer hits than entries since it was last emptied: the origins are too many to
          // keep, and looking them up costs two hashes per request for nothing. The next
          // ORIGIN_CACHE_LIMIT requests go straight to the matchers; then the memo is tried again.
          if (memoHits < ORIGIN_CACHE_LIMIT) memoBypass = ORIGIN_CACHE_LIMIT;
          originMemo.clear();
          memoHits = 0;
        }
        if (memoBypass === 0) {
          memo = { answers, index, actual: undefined, preflight: undefined, pna: undefined };
          originMemo.set(origin, memo);
        }
      }
    }
    const tier = answers.tier;

    if (!preflight) {
      // An actual request: its own method, held to the policy (see the header comment).
      if (!safelisted) {
        if (!methodOk || !isToken(method)) return deny(false, 'invalid-method');
        if (!isMethodAllowed(tier, normalizedMethod)) return deny(false, 'method-not-allowed');
      }
      if (extra !== undefined) return extraDecision(answers, extra, origin, ACTUAL);
      const fixed = answers.fixed[ACTUAL][index < 0 ? 0 : index]; // see allowedDecision
      if (fixed !== undefined) return fixed;
      return allowedDecision(answers, index, origin, ACTUAL, memo);
    }

    // The method and header checks below depend only on the tier and the two header values: the
    // tier keeps the last pair it checked and the outcome (browsers repeat the same pair), compared
    // as strings; a value longer than PREFLIGHT_MEMO_MAX_LENGTH is checked every time, not kept.
    const acrm = requestMethod as string;
    const acrh = requestHeaders === undefined ? null : requestHeaders;
    let outcome: DenialReason | null;
    if (answers.lastRequestMethod === acrm && answers.lastRequestHeaders === acrh) {
      outcome = answers.lastPreflightOutcome;
    } else {
      outcome = preflightRequestCheck(tier, acrm, acrh, methodCap);
      if (acrm.length <= PREFLIGHT_MEMO_MAX_LENGTH && (acrh === null || acrh.length <= PREFLIGHT_MEMO_MAX_LENGTH)) {
        answers.lastRequestMethod = acrm;
        answers.lastRequestHeaders = acrh;
        answers.lastPreflightOutcome = outcome;
      }
    }
    if (outcome !== null) return deny(true, outcome);

    // Private Network Access: a preflight with `Access-Control-Request-Private-Network: true`
    // fails in the browser unless the response grants it.
    if (requestPrivateNetwork === true) {
      if (!policy.privateNetwork) return deny(true, 'private-network-not-allowed');
      return extra === undefined
        ? allowedDecision(answers, index, origin, PREFLIGHT_PNA, memo)
        : extraDecision(answers, extra, origin, PREFLIGHT_PNA);
    }
    return extra === undefined ? allowedDecision(answers, index, origin, PREFLIGHT, memo) : extraDecision(answers, extra, origin, PREFLIGHT);
  };
}

/**
 * A CORS-preflight request's `Access-Control-Request-Method` and `-Headers` against a tier: null
 * when the browser's checks will pass, else the denial reason.
 */
function preflightRequestCheck(tier: Tier, acrm: string, acrh: string | null, methodCap: number): DenialReason | null {
  // Fetch §4.8 step 7.5: "If request's method is not in methods, request's method is not a
  // CORS-safelisted method, and request's credentials mode is "include" or methods does not
  // contain `*`, then return a network error."
  if (acrm.length > methodCap || !isToken(acrm)) return 'invalid-method';
  if (!isMethodAllowed(tier, normalizeMethod(acrm))) return 'method-not-allowed';

  // Fetch §4.8 steps 7.6-7.7: every CORS-unsafe request-header name must be matched by
  // `Access-Control-Allow-Headers`; `*` covers any but `Authorization`, and only without
  // credentials.
  if (acrh !== null) {
    const verdict = checkRequestHeaderNames(acrh, tier.requestHeaders);
    if (verdict !== ACRH_OK) {
      if (verdict === ACRH_TOO_LONG) return 'request-headers-too-long';
      if (verdict === ACRH_INVALID) return 'invalid-request-headers';
      return 'headers-not-allowed';
    }
  }
  return null;
}

/**
 * Fetch §2.2.1: safelisted methods (`GET`, `HEAD`, `POST`) are always allowed (§4.8 step 7.5);
 * the configured ones compare case-sensitively after normalisation; `*` (without credentials
 * only) stands for any method but a forbidden one, which no browser ever sends.
 */
function isMethodAllowed(tier: Tier, normalized: string): boolean {
  if (isCorsSafelistedMethod(normalized)) return true;
  if (tier.methods.has(normalized)) return true;
  return tier.methodWildcard && !isForbiddenMethod(normalized);
}

/**
 * HTML §7.1.1 "same origin", for the `Origin` header and the request's own URL: the header must
 * be exactly the serialization of the URL's origin (so it is canonical). A URL that begins with
 * the header value followed by `/`, `?`, `#` or nothing has that origin whenever the value is a
 * canonical origin (the URL parser ends the authority there and parses the same host and port);
 * anything else goes through `parseOrigin`, which hands the full parser only the part of the URL
 * its origin depends on (a request's path and query are the client's to make long).
 */
function isSameOriginRequest(origin: string, url: string): boolean {
  if (origin === 'null') return false; // an opaque origin is never the same as a URL's new one
  const n = origin.length;
  if (url.length >= n && url.startsWith(origin)) {
    const next = url.length === n ? -1 : url.charCodeAt(n);
    if (next === -1 || next === 0x2f || next === 0x3f || next === 0x23) return isCanonicalTupleOrigin(origin);
  }
  // A URL that provably begins with its own origin (the usual `scheme://host[:port]/...`): that
  // prefix is the origin, and it was not `origin` (else the branch above answered).
  if (serializedOriginLength(url) >= 0) return false;
  const own = parseOrigin(url); // bounded: only the part of the URL its origin depends on is parsed
  return own !== null && !own.opaque && own.serialized === origin;
}

function fieldError(field: string, value: unknown, want: string): never {
  throw new TypeError(`corset: decide(req): req.${field} must be ${want}, got ${describeType(value)}`);
}

function tierAnswers(tier: Tier, rules: readonly OriginRule[] | null): TierAnswers {
  return {
    tier,
    rules: rules === null ? [] : byRuleIndex(rules),
    // A list of exact origins only (its exact-origin index filed, src/policy/exact-index.ts) has
    // no pattern: no pass over a million rules to find that out.
    hasPattern: rules !== null && exactIndexOf(rules) === null && !rules.every(allowsOneOrigin),
    fixed: [[], [], []],
    last: [[], [], []],
    lastRequestMethod: null,
    lastRequestHeaders: null,
    lastPreflightOutcome: null,
  };
}

function isSingle(rule: OriginRule | undefined): boolean {
  return rule !== undefined && allowsOneOrigin(rule);
}

/** A rule that can match only one serialized origin: its decisions are cached by rule index. */
function allowsOneOrigin(rule: OriginRule): boolean {
  if (rule.kind === 'null' || rule.kind === 'app' || isCanonicalExactRule(rule)) return true;
  if (rule.kind !== 'tuple') return false;
  return rule.host.kind === 'exact' && rule.port.kind !== 'any';
}
