// PreflightCache: a model of the browser's CORS-preflight cache (Fetch Review Draft 2025-12 §4.9),
// filled from the preflights a page saw succeed (record) and consulted by planFetch (`{ cache,
// now }`), so that a repeat fetch it covers is planned without a preflight. One cache models one
// engine (its profile's parameters, ./engine-parameters.ts: max-age parsing and cap, merged or
// replaced entries, wildcard and credentials rules, when a hit is only a `maybe`).
//
// §4.9: "A cache entry consists of: key (a network partition key), byte-serialized origin (a byte
// sequence), URL (a URL), max-age (a number of seconds), credentials (a boolean), method (null,
// `*`, or a method), header name (null, `*`, or a header name)."
// - The network partition key is modelled as the page's top-level site: the page's own origin for
//   a top-level page (the entry's origin is the page's too, so this gives the same matches), or
//   planFetch's `topLevelSite` for a framed page.
// - The URL is the request's current URL without its fragment.
// - "cache entry match": key, byte-serialized origin, URL and credentials all equal.
// - "method cache entry match" for method: a match whose method is method, or `*` (as a wildcard
//   only when the request's credentials mode is not "include", as §4.8 step 7.5 allows it).
// - "header-name cache entry match" for headerName: a match whose header name is a
//   byte-case-insensitive match for headerName, or `*` when headerName is not a CORS
//   non-wildcard request-header name (and, again, the credentials mode is not "include").
// An entry lives max-age seconds from the preflight (§4.8 step 7.12-7.16). The page's clock and
// the browser's are not the same clock: within a second of an expiry a hit is only a `maybe`.
import { byteLowercase, isCorsNonWildcardRequestHeaderName } from '../fetch/safelisted-request-header.js';
import { describeType } from '../arguments.js';
import type { FetchPlan, FetchProfile, FetchProfileOption, PreflightCacheRecord, ResponseLike } from '../types.js';
import { checkPreflight, requireResponse } from './checks.js';
import { preflightCacheParametersOf, type PreflightCacheParameters } from './engine-parameters.js';
import { stateOf, type Hop, type PreflightCacheConsult } from './plan.js';
import { useEngineProfiles } from './engine-profiles.js';
import { parametersKeyOf, profileOf, type Profile } from './profiles.js';
import { extractTokenListValues, readResponseHeaders } from './response-header-list.js';

/** Milliseconds either side of an expiry within which a hit is only a `maybe`. */
export const EXPIRY_MARGIN_MS = 1000;

interface Entry {
  /** A method (case-sensitive), a lower-case header name, or `*`. */
  readonly name: string;
  readonly credentials: boolean;
  readonly madeAt: number;
  expiresAt: number;
  /** Stored with a max-age of 0 or less: never a match (no clock needed to say so). */
  expired: boolean;
}

interface Bucket {
  readonly methods: Entry[];
  readonly headers: Entry[];
  /**
   * The last preflight recorded for the key, as one entry: what a request that needs no method or
   * header entry (a GET an engine preflights anyway after a redirect) is matched against.
   */
  last?: Entry;
}

/** The options of `new PreflightCache(options)`. */
export interface PreflightCacheOptions {
  /** The engine whose cache this is (default 'spec'); planFetch and record need plans of the same profile. */
  profile?: FetchProfileOption;
  /**
   * Parameters over the profile's (engine-parameters.ts documents each), to model another engine's
   * cache or a setting of one: `{ maxAgeOf: (v) => ... }`, `{ entries: 'replace' }`.
   */
  parameters?: Partial<PreflightCacheParameters>;
}

type Liveness = 'certain' | 'maybe' | 'none';

function better(a: Liveness, b: Liveness): Liveness {
  if (a === 'certain' || b === 'certain') return 'certain';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'none';
}

/**
 * A browser's CORS-preflight cache as the page can know it: the preflights it saw succeed.
 *
 * ```js
 * const cache = new PreflightCache();
 * const plan = planFetch(page, init, { cache, now: Date.now() });     // first: preflightCache 'miss'
 * cache.record(plan, preflightResponse, Date.now());                // after the preflight succeeded
 * planFetch(page, init, { cache, now: Date.now() }).needsPreflight; // false while the entry lives
 * ```
 */
export class PreflightCache implements PreflightCacheConsult {
  /** The engine this cache models. */
  readonly profile: FetchProfile;
  private readonly params: PreflightCacheParameters;
  /** The profile's release: `'chromium@150'`, or its name (plans of another release are refused). */
  private readonly release: string;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: PreflightCacheOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`corset: new PreflightCache(options): options must be an object, got ${describeType(options)}`);
    }
    useEngineProfiles();
    const model = profileOf(options.profile);
    if (model === null) throw new TypeError(`corset: new PreflightCache(options.profile): unknown profile ${JSON.stringify(String(options.profile))}`);
    this.profile = model.name;
    this.release = parametersKeyOf(model);
    const given = options.parameters;
    if (given !== undefined && (typeof given !== 'object' || given === null)) {
      throw new TypeError(`corset: new PreflightCache(options.parameters): must be an object, got ${describeType(given)}`);
    }
    this.params = { ...preflightCacheParametersOf(this.release), ...given };
  }

  /** How many keys (partition, origin, URL) hold entries. */
  get size(): number {
    return this.buckets.size;
  }

  /** Forget every entry (as a browser does when the user clears its cache). */
  clear(): void {
    this.buckets.clear();
  }

  private requireProfile(profile: Profile, fn: string): void {
    const release = parametersKeyOf(profile);
    if (release !== this.release) {
      throw new TypeError(`corset: ${fn}: the plan is for profile '${release}', the cache models '${this.release}'`);
    }
  }

  /**
   * After the preflight of `plan` got `res` (at `now`, milliseconds): Fetch §4.8 "CORS-preflight
   * fetch" step 7, when the checks pass (checkPreflight):
   *  8. Let max-age be the result of extracting header list values given `Access-Control-Max-Age`.
   *  9. If max-age is failure or null, then set max-age to 5.
   *  10. If max-age is greater than an imposed limit on max-age, then set it to the imposed limit.
   *  12-16. For each method in methods (each header name in headerNames) with a cache entry match,
   *     set its max-age to max-age; for each without, create a new cache entry.
   * (Steps 8-10 are the profile's `maxAgeOf`.) Entries already there with the same name are
   * refreshed; a `*` entry is not taken for another name here, so a page never predicts a longer
   * life than the browser gives.
   */
  record(plan: FetchPlan, res: ResponseLike, now: number = Date.now()): PreflightCacheRecord {
    requireResponse(res, 'PreflightCache.record');
    if (typeof now !== 'number' || !Number.isFinite(now)) {
      throw new TypeError(`corset: PreflightCache.record(now): must be a finite number of milliseconds, got ${describeType(now)}`);
    }
    const state = stateOf(plan);
    if (state === null) return { recorded: false, reason: 'not-a-plan' };
    this.requireProfile(state.profile, 'PreflightCache.record(plan)');
    const check = checkPreflight(plan, res);
    if (!check.ok) return { recorded: false, reason: check.reason };
    const list = readResponseHeaders(res.headers);
    const maxAge = this.params.maxAgeOf(list.get('access-control-max-age'));
    if (maxAge === null) return { recorded: false, reason: 'max-age-not-stored' };
    const methods = extractTokenListValues(list, 'access-control-allow-methods');
    const headerNames = extractTokenListValues(list, 'access-control-allow-headers');
    const credentials = state.credentials === 'include';
    const expiresAt = now + maxAge * 1000;
    const hop = state.hop;
    if (hop === null) return { recorded: false, reason: state.error ?? 'not-a-plan' };
    const key = bucketKey(hop.partitionKey ?? hop.page.serialized, state.serializedOrigin, urlWithoutFragment(hop.url));
    let bucket = this.params.entries === 'replace' ? undefined : this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { methods: [], headers: [] };
      this.buckets.set(key, bucket);
    }
    const put = (entries: Entry[], name: string): void => {
      const found = entries.find((e) => e.name === name && e.credentials === credentials);
      if (found !== undefined) {
        found.expiresAt = expiresAt;
        found.expired = maxAge <= 0;
      } else entries.push({ name, credentials, madeAt: now, expiresAt, expired: maxAge <= 0 });
    };
    bucket.last = { name: '', credentials, madeAt: now, expiresAt, expired: maxAge <= 0 };
    for (const method of Array.isArray(methods) ? methods : []) put(bucket.methods, method);
    for (const name of Array.isArray(headerNames) ? headerNames : []) put(bucket.headers, byteLowercase(name));
    return { recorded: true, reason: 'ok', maxAge };
  }

  /**
   * Fetch §4.3 "HTTP fetch" step 5.1, the cache half: the preflight is skipped when the method
   * needs no entry or has a method cache entry match, and every CORS-unsafe request-header name has
   * a header-name cache entry match. planFetch calls this; a page need not.
   * @internal
   */
  consult(hop: Hop, serializedOrigin: string, url: string, unsafeNames: readonly string[]): 'hit' | 'miss' | 'maybe' {
    this.requireProfile(hop.profile, 'planFetch(options.cache)');
    const p = this.params;
    const { request, cacheUse } = hop;
    if (p.bypassedBy.includes(request.cache ?? 'default') || cacheUse === undefined) return 'miss';
    if (hop.taintedOrigin ? !p.cachesTaintedOrigins : !p.cachesOpaqueOrigins && serializedOrigin === 'null') return 'miss';
    const bucket = this.buckets.get(bucketKey(hop.partitionKey ?? hop.page.serialized, serializedOrigin, url));
    if (bucket === undefined) return 'miss';
    const credentials = request.credentials === 'include';
    const now = cacheUse.now;
    const method = request.method;
    const liveness = (e: Entry): Liveness => {
      const credentialsMatch = e.credentials === credentials || (p.credentialedServesUncredentialed && e.credentials && !credentials);
      if (!credentialsMatch || e.expired || e.expiresAt - now <= -EXPIRY_MARGIN_MS) return 'none';
      if (e.expiresAt - now <= EXPIRY_MARGIN_MS) return 'maybe';
      return p.certainForMs !== null && now - e.madeAt > p.certainForMs ? 'maybe' : 'certain';
    };
    const wildcardOk = (e: Entry): boolean =>
      p.wildcard === 'request' ? !credentials : p.wildcard === 'entry' ? !e.credentials : false;
    const best = (entries: Entry[], matches: (e: Entry) => boolean): Liveness => {
      let answer: Liveness = 'none';
      for (const e of entries) if (matches(e)) answer = better(answer, liveness(e));
      return answer;
    };
    // Every item the request needs: its method (unless it needs no entry), then each unsafe name.
    const needed: Liveness[] = [];
    if (!p.methodsWithoutEntry.includes(method)) {
      needed.push(best(bucket.methods, (e) => e.name === method || (e.name === '*' && wildcardOk(e))));
    }
    for (const name of unsafeNames) {
      const lower = byteLowercase(name);
      const coveredByStar = !isCorsNonWildcardRequestHeaderName(lower) || p.wildcardCoversAuthorization;
      needed.push(best(bucket.headers, (e) => e.name === lower || (e.name === '*' && coveredByStar && wildcardOk(e))));
    }
    // Nothing to match by name (a preflight forced after a redirect): the key's last preflight decides.
    if (needed.length === 0) needed.push(bucket.last === undefined ? 'none' : liveness(bucket.last));
    if (needed.includes('none')) return 'miss';
    if (needed.includes('maybe') || (p.maxKeys !== null && this.buckets.size > p.maxKeys)) return 'maybe';
    return 'hit';
  }
}

function urlWithoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function bucketKey(partitionKey: string, serializedOrigin: string, url: string): string {
  return JSON.stringify([partitionKey, serializedOrigin, url]);
}
