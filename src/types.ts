// The public contract of corset (../shared/DESIGN.md, "Public API"). Names and shapes are fixed;
// every module implements against these types and nothing here carries behaviour.

// ---------------------------------------------------------------------------------------------
// Origins and sites
// ---------------------------------------------------------------------------------------------

/**
 * An origin (HTML §7.1.1 "Origins"): either a tuple origin (scheme, host, port) or an opaque
 * origin. `host` is the serialized host (URL §3.6): a lower-case ASCII domain, a dotted-quad
 * IPv4 address, or a bracketed compressed IPv6 address. `port` is null for the scheme's default.
 * Opaque origins are unique: two separately obtained opaque origins are never the same origin.
 */
export type Origin =
  | {
      readonly opaque: false;
      readonly scheme: string;
      readonly host: string;
      readonly port: number | null;
      readonly serialized: string;
    }
  | { readonly opaque: true; readonly serialized: 'null' };

export type TupleOrigin = Extract<Origin, { opaque: false }>;
export type OpaqueOrigin = Extract<Origin, { opaque: true }>;

// ---------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------

export type EngineChoice = 'auto' | 'wasm' | 'js';

export interface CorsPolicyInit {
  /** Allowed origins: `'*'` (any origin but `null`), or patterns (see README, "Origin patterns"). */
  origins: '*' | readonly (string | RegExp)[];
  /** Send `Access-Control-Allow-Credentials: true`. Default false. */
  credentials?: boolean;
  /** Tiered policy: with `origins: '*'`, these origins alone are answered with credentials. */
  credentialedOrigins?: readonly string[];
  methods?: readonly string[] | '*';
  allowHeaders?: readonly string[] | '*';
  exposeHeaders?: readonly string[] | '*';
  /** `Access-Control-Max-Age`, in seconds (a non-negative integer). */
  maxAge?: number;
  /** Answer `Access-Control-Request-Private-Network: true` (Private Network Access). */
  privateNetwork?: boolean;
  /** Status of an allowed preflight. Default 204. */
  preflightStatus?: number;
  /** Status of a denied preflight. Default 403. */
  deniedPreflightStatus?: number;
  /** Dangerous: allow the opaque origin `null` (sandboxed pages, `file:`, redirects). */
  allowNullOrigin?: boolean;
  /** Dangerous: allow `http://` origins other than loopback together with credentials. */
  allowInsecureOrigins?: boolean;
  /** Dangerous: allow wildcards over a public suffix (`https://*.github.io`). */
  allowPublicSuffixWildcards?: boolean;
  /**
   * Dangerous: accept RegExp origins not anchored at both ends (`/example\\.com$/` also matches
   * `https://evilexample.com`). Has no effect with credentials: there they are always refused.
   */
  allowUnanchoredRegExp?: boolean;
  /** Which matcher runs: default `'auto'`. */
  engine?: EngineChoice;
}

export type PolicyIssueSeverity = 'error' | 'warning';

export interface PolicyIssue {
  severity: PolicyIssueSeverity;
  /** One of the documented codes (see `POLICY_ISSUE_CODES`). */
  code: string;
  /** Where in the init object, e.g. `origins[2]` or `maxAge`. */
  path: string;
  /** Starts with `corset:`, quotes the value and says why. */
  message: string;
}

export interface CorsPolicy {
  readonly engine: 'wasm' | 'js';
  isOriginAllowed(origin: string): boolean;
  /** The pattern, as written, that allows the origin (the earliest in `origins` order), or null. */
  matchOrigin(origin: string): string | null;
  /** Batch: 1 allowed, 0 not, one byte per input. */
  matchOrigins(origins: readonly string[]): Uint8Array;
  decide(req: CorsRequest): CorsDecision;
}

// ---------------------------------------------------------------------------------------------
// Decisions (server side)
// ---------------------------------------------------------------------------------------------

export interface CorsRequest {
  method: string;
  /** The `Origin` request header. null, undefined or absent: not a CORS request. */
  origin?: string | null;
  /** `Access-Control-Request-Method`. */
  requestMethod?: string | null;
  /** `Access-Control-Request-Headers`. */
  requestHeaders?: string | null;
  /** `Access-Control-Request-Private-Network: true` was sent. */
  requestPrivateNetwork?: boolean;
  /** The request's own absolute URL, for same-origin detection. */
  url?: string;
}

export type CorsDecisionKind = 'not-cors' | 'same-origin' | 'preflight' | 'actual';

export interface CorsDecision {
  kind: CorsDecisionKind;
  allowed: boolean;
  /** A code from the closed set `DECISION_REASONS`. */
  reason: string;
  /** The pattern that allowed the origin. */
  matched: string | null;
  /** Preflight only: the status to answer with. */
  status: number | null;
  /** Lower-case names; exactly the headers to set, `vary` included. */
  headers: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Browser side (Fetch Standard, as a browser runs it)
// ---------------------------------------------------------------------------------------------

/** The engine a plan models: the Fetch standard, or an engine's documented deviations from it (docs/browser.md). */
export type FetchProfile = 'spec' | 'chromium' | 'firefox' | 'webkit';

/** planFetch's `profile` option: a FetchProfile, or 'auto' (the engine the page runs in; 'spec' when unknown). */
export type FetchProfileOption = FetchProfile | 'auto';

export interface FetchInit {
  url: string;
  method?: string;
  headers?: Record<string, string> | [string, string][];
  mode?: 'cors' | 'no-cors' | 'same-origin';
  credentials?: 'omit' | 'same-origin' | 'include';
  /**
   * RequestInit `body` (any BodyInit, or null): only whether there is one, and the `Content-Type`
   * a string, URLSearchParams, FormData or typed Blob body adds, are read (GET and HEAD refuse one).
   */
  body?: unknown;
  /** RequestInit `redirect` (default 'follow'): see checkRedirect. */
  redirect?: RedirectMode;
  /** RequestInit `cache`, the HTTP cache mode (default 'default'); some engines skip the preflight cache for some modes. */
  cache?: RequestCacheMode;
}

/** Fetch "request redirect mode" (RequestInit `redirect`). */
export type RedirectMode = 'follow' | 'manual' | 'error';

/** Fetch "request cache mode" (RequestInit `cache`). */
export type RequestCacheMode = 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';

/**
 * What the CORS-preflight cache did for a plan: `'not-consulted'` (no cache given, or nothing to
 * preflight), `'miss'` (a preflight is sent), `'hit'` (the cached entries cover the request: no
 * preflight), `'maybe'` (the entries cover it, but the engine may have dropped them: the plan
 * still lists the preflight, so a page is ready for it).
 */
export type PreflightCacheUse = 'not-consulted' | 'miss' | 'hit' | 'maybe';

export interface FetchPlan {
  sameOrigin: boolean;
  sameSite: boolean;
  needsPreflight: boolean;
  preflightReasons: string[];
  preflight: { method: 'OPTIONS'; url: string; headers: Record<string, string> } | null;
  /** A request the browser refuses before sending (a TypeError), or null. */
  error: string | null;
  /** The redirects that led to this plan: 0 from planFetch, one more for each checkRedirect hop (20 at most). */
  redirectCount: number;
  /** What the CORS-preflight cache (planFetch's `cache` option) did; `'not-consulted'` without one. */
  preflightCache: PreflightCacheUse;
}

export interface ResponseLike {
  status: number;
  headers: Headers | Record<string, string>;
}

export interface PreflightCheck {
  ok: boolean;
  reason: string;
}

export interface ResponseCheck {
  ok: boolean;
  reason: string;
  type: 'basic' | 'cors' | 'opaque';
  exposedHeaders: string[];
}

/**
 * checkRedirect's answer for a 3xx (Fetch §4.3 "HTTP fetch" step 4.4 and 6, §4.4 "HTTP-redirect
 * fetch"): one of four outcomes, each with only the fields that mean something for it.
 * - `follow`: the browser fetches `plan`'s URL next (the next hop's plan: its preflight, its
 *   `Origin`, which may now be `null`); pass it to checkPreflight / checkResponse / checkRedirect.
 * - `opaque-redirect`: `redirect: 'manual'`: the page gets a response of type `opaqueredirect`
 *   (status 0, no headers).
 * - `response`: not a redirect to follow (not a redirect status, or a 3xx without `Location`): the
 *   page gets this response as it is; `response` is checkResponse's answer for it.
 * - `error`: a network error (fetch() rejects with a TypeError); `reason` says which.
 */
export type RedirectCheck =
  | {
      readonly kind: 'follow';
      readonly ok: true;
      readonly reason: 'ok';
      readonly plan: FetchPlan;
      /** The request's new current URL (the `Location`, resolved, with the fragment rules applied). */
      readonly url: string;
      /** 301/302 POST or 303 non-GET/HEAD: the next request is a GET without a body. */
      readonly methodChanged: boolean;
      /** The request's origin is now redirect-tainted: it sends `Origin: null` from here on. */
      readonly taintedOrigin: boolean;
    }
  | { readonly kind: 'opaque-redirect'; readonly ok: true; readonly reason: 'ok'; readonly type: 'opaqueredirect' }
  | { readonly kind: 'response'; readonly ok: boolean; readonly reason: string; readonly response: ResponseCheck }
  | { readonly kind: 'error'; readonly ok: false; readonly reason: string };

/** PreflightCache.record's answer: whether entries were created or refreshed, and for how long. */
export type PreflightCacheRecord =
  | { readonly recorded: true; readonly reason: 'ok'; /** seconds the entries live */ readonly maxAge: number }
  | { readonly recorded: false; /** why nothing was stored: the preflight check's failure, or the max-age */ readonly reason: string };
