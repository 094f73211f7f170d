// What every adapter shares: resolving the policy argument, the adapter options, the request's
// own URL for same-origin detection, and merging `Vary`. Adapters are thin (DESIGN.md, "Adapters"):
// they read four request headers, call `policy.decide`, and copy the decision onto a response.
import { needsAsyncDecide } from '../live/async-marker.js';
import { describeType } from '../arguments.js';
import { parseOrigin } from '../origin/origin.js';
import { HOST_CHAR, MAX_HOST_HEADER_LENGTH, isSerializedHostPort, serializedOriginLength } from '../decide/serialized-host.js';
import type { CorsDecision, CorsPolicy, CorsRequest } from '../types.js';

export { MAX_HOST_HEADER_LENGTH, isSerializedHostPort } from '../decide/serialized-host.js';

/** Options every adapter takes. `R` is the request as the adapter's framework names it. */
export interface CorsAdapterOptions<R> {
  /**
   * Behind a reverse proxy that overwrites `X-Forwarded-Proto` and `X-Forwarded-Host`: derive the
   * request's own origin from them (the first value of each) instead of the connection and `Host`.
   * Default false: a client can send those headers, so they are trusted only when told to.
   */
  trustProxy?: boolean;
  /**
   * The origin clients use to reach this server, e.g. `'https://api.example.com'`. When set, it
   * is the request's own origin for same-origin detection, and `Host`/`X-Forwarded-*` are not read.
   */
  publicOrigin?: string;
  /** Called once per request with the decision, before anything is written (count denials by `reason`). */
  onDecision?: (decision: CorsDecision, request: R) => void;
  /**
   * Answer a denied actual CORS request (an `Origin` the policy does not allow, or an invalid one)
   * with 403 and no body instead of passing it on without CORS headers. Default false: the request
   * proceeds and the browser blocks the read, as the Fetch Standard intends.
   */
  rejectDenied?: boolean;
  /**
   * What happens to a CORS preflight (an `OPTIONS` with `Origin` and
   * `Access-Control-Request-Method`). `'answer'` (default): corset answers it itself, with the
   * policy's `preflightStatus` (204) when allowed or 403 when denied, and the application never
   * sees it. `'continue'`: the decision's headers are set and the `OPTIONS` goes on to the
   * application, which answers it (to log or authenticate preflights, or when a router answers
   * `OPTIONS` itself). A denied preflight goes on too, without any `access-control-allow-*`
   * header, so the browser's CORS check fails whatever status the application sends.
   */
  preflight?: PreflightMode;
}

/** `CorsAdapterOptions.preflight`: who answers a CORS preflight. */
export type PreflightMode = 'answer' | 'continue';

/** The options after validation, once per adapter instance. */
export interface ResolvedOptions<R> {
  readonly trustProxy: boolean;
  /** `publicOrigin` + `/`, built once; null when the URL comes from each request. */
  readonly publicUrl: string | null;
  readonly onDecision: ((decision: CorsDecision, request: R) => void) | null;
  readonly rejectDenied: boolean;
  /** `preflight: 'answer'` (the default): corset ends a preflight itself. */
  readonly answerPreflight: boolean;
}

/** The status of a denied actual request under `rejectDenied`. */
export const REJECTED_STATUS = 403;

/** Something that decides: a `CorsPolicy`, or a live policy's asynchronous view (below). */
export interface Decider<D> {
  decide(req: CorsRequest): D;
}

/**
 * For a live policy with a resolver (src/live/live-policy.ts), its `decideAsync` as a Decider;
 * null for every other policy, which stays on the synchronous path untouched.
 */
export function asyncDecider(policy: CorsPolicy): Decider<CorsDecision | Promise<CorsDecision>> | null {
  if (!needsAsyncDecide(policy)) return null;
  return { decide: (req) => policy.decideAsync(req) };
}

export type { PolicyArgument } from './policy-argument.js';

/** Validates the adapter options once; a wrong type is a TypeError naming the option. */
export function resolveOptions<R>(options: unknown, fn: string): ResolvedOptions<R> {
  if (options === undefined || options === null) {
    return { trustProxy: false, publicUrl: null, onDecision: null, rejectDenied: false, answerPreflight: true };
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`corset: ${fn}(options): options must be an object, got ${describeType(options)}`);
  }
  const o = options as Record<string, unknown>;
  const trustProxy = optionalBoolean(o, 'trustProxy', fn);
  const rejectDenied = optionalBoolean(o, 'rejectDenied', fn);
  const onDecision = o['onDecision'];
  if (onDecision !== undefined && typeof onDecision !== 'function') {
    throw new TypeError(`corset: ${fn}(options): onDecision must be a function, got ${describeType(onDecision)}`);
  }
  const preflight = o['preflight'];
  if (preflight !== undefined && preflight !== 'answer' && preflight !== 'continue') {
    throw new TypeError(`corset: ${fn}(options): preflight must be 'answer' or 'continue', got ${typeof preflight === 'string' ? JSON.stringify(preflight) : describeType(preflight)}`);
  }
  return {
    trustProxy,
    rejectDenied,
    answerPreflight: preflight !== 'continue',
    publicUrl: resolvePublicOrigin(o['publicOrigin'], fn),
    onDecision: (onDecision as ((decision: CorsDecision, request: R) => void) | undefined) ?? null,
  };
}

function optionalBoolean(o: Record<string, unknown>, name: string, fn: string): boolean {
  const v = o[name];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') {
    throw new TypeError(`corset: ${fn}(options): ${name} must be a boolean, got ${describeType(v)}`);
  }
  return v;
}

/** `publicOrigin` must be an http(s) origin written in its serialized form. */
function resolvePublicOrigin(value: unknown, fn: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string') {
    throw new TypeError(`corset: ${fn}(options): publicOrigin must be a string, got ${describeType(value)}`);
  }
  const origin = parseOrigin(value);
  if (origin === null || origin.opaque || (origin.scheme !== 'http' && origin.scheme !== 'https') || origin.serialized !== value) {
    const hint = origin !== null && !origin.opaque ? `; write it as ${JSON.stringify(origin.serialized)}` : '';
    throw new TypeError(
      `corset: ${fn}(options): publicOrigin ${JSON.stringify(value)} is not a serialized http(s) origin (scheme://host[:port], no path)${hint}`,
    );
  }
  return value + '/';
}

// ---------------------------------------------------------------------------------------------
// The request's own URL, for same-origin detection (CorsRequest.url)
// ---------------------------------------------------------------------------------------------


/**
 * The request's own URL, `scheme://host/`, for a `Host` (or `X-Forwarded-Host`) value, when the
 * request can be same-origin with `origin`; otherwise undefined, and `decide` then treats the
 * request as cross-origin, which is what it is.
 *
 * - undefined when the value cannot name an origin: empty, longer than `MAX_HOST_HEADER_LENGTH`,
 *   or holding a character no host a browser reaches can hold (RFC 9110 §7.2
 *   `Host = uri-host [ ":" port ]`; accepted: letters, digits, `-`, `.`, `_`, `:` and the IPv6
 *   brackets; `/ ? # @ \` and the rest are refused, as they would make the URL parser read a
 *   different host). Without a URL the request cannot be same-origin: the safe side.
 * - When the value is already in serialized form (see `isSerializedHostPort`), the request's own
 *   origin is exactly `scheme://host`, and HTML §7.1.1 "same origin" for a canonical `Origin` is
 *   string equality: when `origin` is not that string, no URL is built (the common cross-origin
 *   case costs a length compare). Otherwise the URL goes to `decide`, which parses it.
 */
export function ownUrlFor(origin: string, scheme: string, host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  if (host !== lastHost || scheme !== lastScheme) {
    const n = host.length;
    if (n === 0 || n > MAX_HOST_HEADER_LENGTH) return undefined; // not kept: a long value is not held on to
    lastKind = classifyHost(host, scheme);
    lastHost = host;
    lastScheme = scheme;
    lastUrl = lastKind === HOST_REFUSED ? '' : scheme + '://' + host + '/';
  }
  if (lastKind === HOST_REFUSED) return undefined;
  // Serialized: the own origin is `lastUrl` without its `/`; anything else is cross-origin.
  if (lastKind === HOST_SERIALIZED && (origin.length !== lastUrl.length - 1 || !lastUrl.startsWith(origin))) return undefined;
  return lastUrl;
}

/**
 * The last `(scheme, host)` `ownUrlFor` classified, its verdict and URL: a server sees one `Host`
 * (or a few) over and over, so most requests compare two short strings instead of scanning the
 * value. Module state, read and written only synchronously inside `ownUrlFor`.
 */
let lastHost: string | undefined;
let lastScheme = '';
let lastKind = 0;
let lastUrl = '';

/** `classifyHost` verdicts: no origin; `host` is serialized; left to the URL parser in `decide`. */
const HOST_REFUSED = 0;
const HOST_SERIALIZED = 1;
const HOST_FOR_PARSER = 2;

/** What `ownUrlFor` does with a `Host` value of 1 to `MAX_HOST_HEADER_LENGTH` characters. */
function classifyHost(host: string, scheme: string): number {
  let plain = true;
  for (let i = 0; i < host.length; i++) {
    const k = HOST_CHAR[host.charCodeAt(i)];
    if (k === undefined || k === 0) return HOST_REFUSED;
    if (k === 2) plain = false;
  }
  return plain && isSerializedHostPort(host, scheme) ? HOST_SERIALIZED : HOST_FOR_PARSER;
}

/**
 * `url` (a request's absolute URL) when the request can be same-origin with `origin`; otherwise
 * undefined, which `decide` reads as cross-origin. Answers as `decide(url)` would: when `url`
 * begins `http://` or `https://` followed by an authority of `[a-z0-9.:-]` only that
 * `isSerializedHostPort` accepts, ending the string or followed by `/`, `?` or `#` (URL §4.4
 * "special authority ignore slashes state" onward: the host parser returns such a host
 * unchanged), the URL's origin is exactly that prefix, and HTML §7.1.1 "same origin" for the
 * `Origin` value is string equality with it. Any other URL (userinfo, upper case, IDNA, a default
 * port, another scheme) is handed to `decide` whole, which parses it.
 */
export function urlIfSameOriginPossible(origin: string, url: string): string | undefined {
  const n = serializedOriginLength(url);
  if (n < 0) return url;
  return origin.length === n && url.startsWith(origin) ? url : undefined;
}

/**
 * The first element of a comma-separated header value (RFC 9110 §5.6.1), trimmed of optional
 * whitespace: what the nearest proxy wrote first in `X-Forwarded-*`. null when empty.
 */
export function firstListMember(value: string | readonly string[] | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : value[0];
  if (s === undefined) return null;
  const comma = s.indexOf(',');
  const first = (comma === -1 ? s : s.slice(0, comma)).trim();
  return first === '' ? null : first;
}

/** `X-Forwarded-Proto`'s first member when it is `http` or `https` (any case), else null. */
export function forwardedScheme(value: string | readonly string[] | null | undefined): 'http' | 'https' | null {
  const first = firstListMember(value);
  if (first === null || first.length > 5) return null;
  const lower = first.toLowerCase();
  return lower === 'https' ? 'https' : lower === 'http' ? 'http' : null;
}

/** A scratch `CorsRequest` with every field present, so its shape never changes. */
export function newCorsRequest(): {
  method: string;
  origin: string | null;
  requestMethod: string | null;
  requestHeaders: string | null;
  requestPrivateNetwork: boolean;
  url: string | undefined;
} & CorsRequest {
  return { method: '', origin: null, requestMethod: null, requestHeaders: null, requestPrivateNetwork: false, url: undefined };
}

// ---------------------------------------------------------------------------------------------
// Vary (RFC 9110 §12.5.5)
// ---------------------------------------------------------------------------------------------

/**
 * RFC 9110 §12.5.5 `Vary = #( "*" / field-name )`: the members of `current` followed by those of
 * `add` it lacks, compared case-insensitively (field names are case-insensitive, §5.1), each name
 * once, joined with `, `. A `*` member already says "varies on everything": `current` is kept.
 * `current` is what the application or an earlier layer set; nothing comes from the request.
 */
export function mergeVary(current: string, add: string): string {
  if (current === add || add === '') return current;
  const trimmed = current.trim();
  if (trimmed === '') return add;
  const seen = new Set<string>();
  const out: string[] = [];
  let changed = false;
  for (const raw of trimmed.split(',')) {
    const name = raw.trim();
    if (name === '') {
      changed = true;
      continue;
    }
    if (name === '*') return current;
    const key = name.toLowerCase();
    if (seen.has(key)) {
      changed = true;
      continue;
    }
    seen.add(key);
    out.push(name);
  }
  for (const name of varyMembers(add)) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
    changed = true;
  }
  return changed ? out.join(', ') : current;
}

/** The members of a decision's `vary` value. Decision headers are built when a policy compiles, so
 * there are few distinct values; they are split once and kept (at most `VARY_CACHE_SIZE`). */
function varyMembers(value: string): readonly string[] {
  let members = varyCache.get(value);
  if (members === undefined) {
    members = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (varyCache.size < VARY_CACHE_SIZE) varyCache.set(value, members);
  }
  return members;
}
const VARY_CACHE_SIZE = 64;
const varyCache = new Map<string, readonly string[]>();

/** A header value as `getHeader` may return it (Node), as one comma-joined string. */
export function headerValueString(value: number | string | readonly string[] | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}
