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
      /** A tuple origin. */
      readonly opaque: false;
      /** The scheme, lower case, without `:` (`'https'`). */
      readonly scheme: string;
      /** The serialized host: a lower-case ASCII (punycode) domain, an IPv4 address, or `[IPv6]`. */
      readonly host: string;
      /** The port, or null for the scheme's default port. */
      readonly port: number | null;
      /** The ASCII serialization (HTML §7.1.1), as browsers send it in `Origin`: `https://example.com:8443`. */
      readonly serialized: string;
    }
  | {
      /** An opaque origin (a sandboxed frame, a `data:` URL, ...): unique, never the same as another. */
      readonly opaque: true;
      /** An opaque origin serializes as `'null'`. */
      readonly serialized: 'null';
    };

/** The tuple half of `Origin`: scheme, host and port. */
export type TupleOrigin = Extract<Origin, { opaque: false }>;
/** The opaque half of `Origin`: it serializes as `'null'`. */
export type OpaqueOrigin = Extract<Origin, { opaque: true }>;

// ---------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------

/**
 * Which matcher a policy runs: `'wasm'` (WebAssembly; throws where it cannot run), `'js'` (the
 * TypeScript engine, same tables and answers), or `'auto'` (WebAssembly for table rules where it
 * runs, else TypeScript).
 */
export type EngineChoice = 'auto' | 'wasm' | 'js';

/**
 * A CORS policy as written: the argument of `compilePolicy`, `lintPolicy` and every adapter.
 * docs/policy.md describes each option; docs/policy-issues.md every problem `compilePolicy` refuses.
 */
export interface CorsPolicyInit {
  /** Allowed origins: `'*'` (any origin but `null`), or patterns (docs/patterns.md) and RegExps. */
  origins: '*' | readonly (string | RegExp)[];
  /** Send `Access-Control-Allow-Credentials: true`. Default false. */
  credentials?: boolean;
  /** Tiered policy: with `origins: '*'`, these origins alone are answered with credentials. */
  credentialedOrigins?: readonly string[];
  /** Methods a preflight may ask for (`Access-Control-Allow-Methods`); GET, HEAD and POST always pass. Default none. */
  methods?: readonly string[] | '*';
  /** Request headers a preflight may ask for (`Access-Control-Allow-Headers`); `'*'` or `['*', 'authorization']` without credentials. Default none. */
  allowHeaders?: readonly string[] | '*';
  /** Response headers the page may read beyond the safelisted ones (`Access-Control-Expose-Headers`). Default none. */
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

/** `'error'`: `compilePolicy` refuses the policy; `'warning'`: it works, probably not as meant. */
export type PolicyIssueSeverity = 'error' | 'warning';

/** One problem in a policy, as `lintPolicy` returns it and `PolicyError.issues` holds it. */
export interface PolicyIssue {
  /** Whether the policy is refused (`'error'`) or only suspicious (`'warning'`). */
  severity: PolicyIssueSeverity;
  /** One of the documented codes (see `POLICY_ISSUE_CODES`). */
  code: string;
  /** Where in the init object, e.g. `origins[2]` or `maxAge`. */
  path: string;
  /** Starts with `corset:`, quotes the value and says why. */
  message: string;
}

/** A compiled, validated policy: what `compilePolicy` returns and every adapter takes. */
export interface CorsPolicy {
  /** Which matcher runs this policy's table rules. */
  readonly engine: 'wasm' | 'js';
  /** Does the policy allow this `Origin` header value (canonical form only; `'*'` never covers `null`). */
  isOriginAllowed(origin: string): boolean;
  /** The pattern, as written, that allows the origin (the earliest in `origins` order), or null. */
  matchOrigin(origin: string): string | null;
  /** Batch: 1 allowed, 0 not, one byte per input. */
  matchOrigins(origins: readonly string[]): Uint8Array;
  /** The CORS decision for one request: its kind, whether it is allowed, why, and the headers to set. */
  decide(req: CorsRequest): CorsDecision;
}

// ---------------------------------------------------------------------------------------------
// Decisions (server side)
// ---------------------------------------------------------------------------------------------

/** What `decide` reads of a request: its method and the CORS request headers. */
export interface CorsRequest {
  /** The request method (`OPTIONS` for a preflight). */
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

/**
 * `'not-cors'`: no `Origin`; `'same-origin'`: the `Origin` is the request's own; `'preflight'`:
 * `OPTIONS` with `Origin` and `Access-Control-Request-Method`; `'actual'`: any other CORS request.
 */
export type CorsDecisionKind = 'not-cors' | 'same-origin' | 'preflight' | 'actual';

/** `decide`'s answer: plain data, computed without I/O. A denied decision carries no `access-control-allow-*`. */
export interface CorsDecision {
  /** What kind of request this is. */
  kind: CorsDecisionKind;
  /** Whether the policy allows it (always true for `not-cors` and `same-origin`). */
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

/**
 * planFetch's `profile` option: a FetchProfile (an engine's current versions), an engine at a major
 * version (`'chromium@150'`, `'firefox@140'`: what that release does, where it differs), or 'auto'
 * (the engine and version the page runs in; 'spec' when unknown).
 */
export type FetchProfileOption = FetchProfile | `${Exclude<FetchProfile, 'spec'>}@${number}` | 'auto';

/** A `fetch()` call as a page makes it: the URL and the `RequestInit` fields that matter to CORS. */
export interface FetchInit {
  /** The request URL, absolute. */
  url: string;
  /** The method (default `'GET'`); normalised as Fetch normalises it (`patch` is not). */
  method?: string;
  /** The request headers the page sets. */
  headers?: Record<string, string> | [string, string][];
  /** RequestInit `mode` (default `'cors'`). */
  mode?: 'cors' | 'no-cors' | 'same-origin';
  /** RequestInit `credentials` (default `'same-origin'`). */
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

/** `planFetch`'s answer: what the browser will do with a request before it sends it. */
export interface FetchPlan {
  /** The request is same-origin with the page: CORS does not apply. */
  sameOrigin: boolean;
  /** The request is same-site with the page (HTML "same site", schemeful). */
  sameSite: boolean;
  /** The browser sends a CORS preflight first. */
  needsPreflight: boolean;
  /** Why a preflight is needed (`method-not-safelisted:PATCH`, `header-not-safelisted:content-type`, ...). */
  preflightReasons: string[];
  /** The preflight the browser sends, or null when there is none. */
  preflight: {
    /** Always `OPTIONS`. */
    method: 'OPTIONS';
    /** The request's URL. */
    url: string;
    /** The preflight's headers (`origin`, `access-control-request-method`, ...). */
    headers: Record<string, string>;
  } | null;
  /** A request the browser refuses before sending (a TypeError), or null. */
  error: string | null;
  /** The redirects that led to this plan: 0 from planFetch, one more for each checkRedirect hop (20 at most). */
  redirectCount: number;
  /** What the CORS-preflight cache (planFetch's `cache` option) did; `'not-consulted'` without one. */
  preflightCache: PreflightCacheUse;
}

/** A response as the checks read it: a status and headers (names matched case-insensitively). */
export interface ResponseLike {
  /** The HTTP status. */
  status: number;
  /** The response headers; a repeated field joined with `, `, as `Headers` joins it. */
  headers: Headers | Record<string, string>;
}

/** `checkPreflight`'s answer. */
export interface PreflightCheck {
  /** The browser accepts the preflight response and sends the request. */
  ok: boolean;
  /** `'ok'`, or the failure (a code of `PRECHECK_REASONS`). */
  reason: string;
}

/** `checkResponse`'s answer. */
export interface ResponseCheck {
  /** The page can read the response. */
  ok: boolean;
  /** `'ok'`, or the failure (a code of `PRECHECK_REASONS`). */
  reason: string;
  /** The response type the page gets (Fetch "response type"). */
  type: 'basic' | 'cors' | 'opaque';
  /** The header names the page can read, lower case. */
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
      /** The browser follows the redirect. */
      readonly kind: 'follow';
      /** Following is no failure. */
      readonly ok: true;
      /** Always `'ok'`. */
      readonly reason: 'ok';
      /** The plan of the next hop. */
      readonly plan: FetchPlan;
      /** The request's new current URL (the `Location`, resolved, with the fragment rules applied). */
      readonly url: string;
      /** 301/302 POST or 303 non-GET/HEAD: the next request is a GET without a body. */
      readonly methodChanged: boolean;
      /** The request's origin is now redirect-tainted: it sends `Origin: null` from here on. */
      readonly taintedOrigin: boolean;
    }
  | {
      /** `redirect: 'manual'`: the page gets an opaque-redirect response. */
      readonly kind: 'opaque-redirect';
      /** No failure. */
      readonly ok: true;
      /** Always `'ok'`. */
      readonly reason: 'ok';
      /** The response type the page gets. */
      readonly type: 'opaqueredirect';
    }
  | {
      /** Not a redirect to follow: the page gets this response. */
      readonly kind: 'response';
      /** The page can read the response. */
      readonly ok: boolean;
      /** `'ok'`, or checkResponse's failure. */
      readonly reason: string;
      /** checkResponse's answer for the response. */
      readonly response: ResponseCheck;
    }
  | {
      /** A network error: fetch() rejects. */
      readonly kind: 'error';
      /** Always a failure. */
      readonly ok: false;
      /** Which failure (a code of `PRECHECK_REASONS`). */
      readonly reason: string;
    };

/** PreflightCache.record's answer: whether entries were created or refreshed, and for how long. */
export type PreflightCacheRecord =
  | {
      /** Entries were created or refreshed. */
      readonly recorded: true;
      /** Always `'ok'`. */
      readonly reason: 'ok';
      /** Seconds the entries live. */
      readonly maxAge: number;
    }
  | {
      /** Nothing was stored. */
      readonly recorded: false;
      /** Why nothing was stored: the preflight check's failure, or the max-age. */
      readonly reason: string;
    };
