// PreflightCache (src/precheck/preflight-cache.ts) and planFetch's `{ cache, now }`: Fetch §4.8
// step 7.8-7.16 (what a passing preflight stores) and §4.9 (what a repeat fetch matches), with each
// engine's parameters (src/precheck/engine-parameters.ts). Hand-picked cases for each rule, then a
// seeded differential against an independent reading of the standard: a hit the model predicts is
// a hit the standard's cache gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_PREFLIGHT_CACHE,
  chromiumMaxAge,
  FIREFOX_PREFLIGHT_CACHE,
  firefoxMaxAge,
  specMaxAge,
  WEBKIT_PREFLIGHT_CACHE,
  webkitMaxAge,
} from '../src/precheck/engine-parameters.js';
import { EXPIRY_MARGIN_MS } from '../src/precheck/preflight-cache.js';
import { checkRedirect, planFetch, PreflightCache } from '../src/precheck/index.js';
import * as lite from '../src/precheck/lite.js';
import type { FetchInit, FetchPlan, FetchProfile } from '../src/types.js';

const A = 'https://a.example';
const B = 'https://b.example';
const T0 = 1_000_000;

/** A preflight answer that allows `methods` and `headers` for origin `origin`. */
function allow(origin: string, methods: string, headers = '', extra: Record<string, string> = {}) {
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': methods,
      ...(headers === '' ? {} : { 'access-control-allow-headers': headers }),
      ...extra,
    },
  };
}

function plan(cache: PreflightCache, init: FetchInit, now: number, options: { profile?: FetchProfile; topLevelSite?: string; page?: string } = {}): FetchPlan {
  const { page = A, ...rest } = options;
  return planFetch(page, init, { cache, now, ...rest });
}

const PUT = { url: `${B}/api`, method: 'PUT' };

describe('PreflightCache: record and a repeat fetch (the standard)', () => {
  it('a first fetch misses; after a passing preflight the repeat is planned without one, until max-age', () => {
    const cache = new PreflightCache();
    const first = plan(cache, PUT, T0);
    expect(first).toMatchObject({ needsPreflight: true, preflightCache: 'miss' });
    expect(cache.record(first, allow(A, 'PUT'), T0)).toEqual({ recorded: true, reason: 'ok', maxAge: 5 });
    expect(cache.size).toBe(1);
    const repeat = plan(cache, PUT, T0 + 2000);
    expect(repeat).toMatchObject({ needsPreflight: false, preflight: null, preflightReasons: [], preflightCache: 'hit' });
    // Within a second of the expiry: only a maybe (the plan keeps the preflight).
    expect(plan(cache, PUT, T0 + 5000 - EXPIRY_MARGIN_MS / 2)).toMatchObject({ needsPreflight: true, preflightCache: 'maybe' });
    expect(plan(cache, PUT, T0 + 5000 + EXPIRY_MARGIN_MS / 2).preflightCache).toBe('maybe');
    expect(plan(cache, PUT, T0 + 5000 + EXPIRY_MARGIN_MS * 2)).toMatchObject({ needsPreflight: true, preflightCache: 'miss' });
  });

  it('without a cache, or for a request that needs no preflight, the cache is not consulted', () => {
    const cache = new PreflightCache();
    expect(planFetch(A, PUT).preflightCache).toBe('not-consulted');
    expect(plan(cache, { url: `${B}/api` }, T0).preflightCache).toBe('not-consulted');
    expect(plan(cache, { url: `${A}/same`, method: 'PUT' }, T0).preflightCache).toBe('not-consulted');
    // The small bundles keep no cache: the option is not consulted there (the plan says so).
    expect(lite.planFetch(A, PUT, { cache } as never).preflightCache).toBe('not-consulted');
  });

  it('stores nothing for a preflight that fails its checks, or a plan without one', () => {
    const cache = new PreflightCache();
    const first = plan(cache, PUT, T0);
    expect(cache.record(first, allow(A, 'DELETE'), T0)).toEqual({ recorded: false, reason: 'method-disallowed-by-preflight-response' });
    expect(cache.record(first, allow(B, 'PUT'), T0)).toEqual({ recorded: false, reason: 'preflight-allow-origin-mismatch' });
    expect(cache.record(plan(cache, { url: `${B}/x` }, T0), allow(A, 'PUT'), T0)).toEqual({ recorded: false, reason: 'no-preflight' });
    expect(cache.record({ ...first }, allow(A, 'PUT'), T0)).toEqual({ recorded: false, reason: 'not-a-plan' });
    expect(cache.size).toBe(0);
  });

  it('the key: partition (top-level site), origin, URL and credentials all matter', () => {
    const cache = new PreflightCache();
    cache.record(plan(cache, PUT, T0), allow(A, 'PUT', '', { 'access-control-max-age': '60' }), T0);
    expect(plan(cache, PUT, T0 + 1000).preflightCache).toBe('hit');
    expect(plan(cache, { ...PUT, url: `${B}/api#frag` }, T0 + 1000).preflightCache).toBe('hit'); // no fragment in the key
    expect(plan(cache, { ...PUT, url: `${B}/other` }, T0 + 1000).preflightCache).toBe('miss');
    expect(plan(cache, PUT, T0 + 1000, { page: 'https://c.example' }).preflightCache).toBe('miss');
    expect(plan(cache, PUT, T0 + 1000, { topLevelSite: 'https://top.example' }).preflightCache).toBe('miss');
    expect(plan(cache, { ...PUT, credentials: 'include' }, T0 + 1000).preflightCache).toBe('miss');
    expect(plan(cache, { ...PUT, credentials: 'omit' }, T0 + 1000).preflightCache).toBe('hit'); // omit and same-origin: both "not include"
  });

  it('method cache entry match: the method, or `*` when credentials are not included', () => {
    const cache = new PreflightCache();
    cache.record(plan(cache, PUT, T0), allow(A, 'PUT, PATCH', '', { 'access-control-max-age': '60' }), T0);
    expect(plan(cache, { ...PUT, method: 'PATCH' }, T0 + 1).preflightCache).toBe('hit');
    expect(plan(cache, { ...PUT, method: 'DELETE' }, T0 + 1).preflightCache).toBe('miss');
    const star = new PreflightCache();
    star.record(plan(star, PUT, T0), allow(A, '*', '', { 'access-control-max-age': '60' }), T0);
    expect(plan(star, { ...PUT, method: 'DELETE' }, T0 + 1).preflightCache).toBe('hit');
    const withCredentials = { ...PUT, credentials: 'include' as const };
    const credentialed = new PreflightCache();
    const first = plan(credentialed, withCredentials, T0);
    credentialed.record(first, allow(A, '*, PUT', '', { 'access-control-allow-credentials': 'true', 'access-control-max-age': '60' }), T0);
    expect(plan(credentialed, withCredentials, T0 + 1).preflightCache).toBe('hit');
    expect(plan(credentialed, { ...withCredentials, method: 'DELETE' }, T0 + 1).preflightCache).toBe('miss');
  });

  it('header-name cache entry match: byte-case-insensitive, `*` but never for Authorization', () => {
    const init = { url: `${B}/api`, headers: { 'X-Custom': '1' } };
    const cache = new PreflightCache();
    cache.record(plan(cache, init, T0), allow(A, '', 'x-CUSTOM', { 'access-control-max-age': '60' }), T0);
    expect(plan(cache, init, T0 + 1).preflightCache).toBe('hit');
    expect(plan(cache, { ...init, headers: { 'x-custom': '2', 'x-other': '1' } }, T0 + 1).preflightCache).toBe('miss');
    const star = new PreflightCache();
    star.record(plan(star, init, T0), allow(A, '', '*', { 'access-control-max-age': '60' }), T0);
    expect(plan(star, { ...init, headers: { 'x-other': '1' } }, T0 + 1).preflightCache).toBe('hit');
    expect(plan(star, { ...init, headers: { authorization: 'Bearer t' } }, T0 + 1).preflightCache).toBe('miss');
  });

  it('the standard merges: entries from two preflights both serve', () => {
    const cache = new PreflightCache();
    const age = { 'access-control-max-age': '60' };
    cache.record(plan(cache, PUT, T0), allow(A, 'PUT', '', age), T0);
    cache.record(plan(cache, { ...PUT, method: 'DELETE' }, T0), allow(A, 'DELETE', '', age), T0);
    expect(plan(cache, PUT, T0 + 1).preflightCache).toBe('hit');
    expect(plan(cache, { ...PUT, method: 'DELETE' }, T0 + 1).preflightCache).toBe('hit');
  });

  it('a redirect walk consults the same cache at each hop', () => {
    const cache = new PreflightCache();
    const target = { url: `${B}/target`, method: 'PUT' };
    cache.record(plan(cache, target, T0), allow(A, 'PUT', '', { 'access-control-max-age': '60' }), T0);
    const first = plan(cache, { url: `${A}/start`, method: 'PUT' }, T0 + 1);
    const check = checkRedirect(first, { status: 307, headers: { location: `${B}/target` } });
    expect(check.kind === 'follow' && check.plan.preflightCache).toBe('hit');
  });

  it('refuses wrong arguments with a TypeError', () => {
    const cache = new PreflightCache();
    expect(() => planFetch(A, PUT, { cache: {} as PreflightCache })).toThrow(TypeError);
    expect(() => planFetch(A, PUT, { cache, now: Number.NaN })).toThrow(TypeError);
    expect(() => planFetch(A, PUT, { cache, topLevelSite: 1 as never })).toThrow(TypeError);
    expect(() => planFetch(A, PUT, { cache, profile: 'chromium' })).toThrow(/the cache models 'spec'/);
    expect(() => new PreflightCache({ profile: 'netscape' as never })).toThrow(TypeError);
    expect(() => cache.record(plan(cache, PUT, T0), null as never, T0)).toThrow(TypeError);
    expect(() => cache.record(plan(cache, PUT, T0), allow(A, 'PUT'), Number.POSITIVE_INFINITY)).toThrow(TypeError);
  });

  it('RequestInit cache is an enum, and only-if-cached needs same-origin mode (full entry)', () => {
    expect(planFetch(A, { ...PUT, cache: 'nope' } as unknown as FetchInit).error).toBe('invalid-cache-mode');
    expect(planFetch(A, { ...PUT, cache: 'only-if-cached' }).error).toBe('only-if-cached-requires-same-origin');
    expect(planFetch(A, { url: `${A}/x`, mode: 'same-origin', cache: 'only-if-cached' }).error).toBeNull();
    expect(planFetch(A, { ...PUT, cache: 'no-store' }).error).toBeNull();
  });
});

describe('Access-Control-Max-Age per engine (engine-parameters.ts; Chromium and Firefox as the real-browser suite found them)', () => {
  // [value, spec, chromium, firefox, webkit]; null: nothing stored; 0 or less: stored expired.
  // The browser rows (test/browser/scenarios.ts, category preflight-cache) show which of these a
  // repeat fetch can tell apart: stored or not, expired or not; not the caps (seconds vs hours).
  const rows: [string | null, number, number, number | null, number][] = [
    [null, 5, 5, null, 5],
    ['', 5, 5, 5, 5],
    ['0', 0, 0, null, 0],
    ['10', 10, 10, 10, 10],
    ['-1', 5, 0, null, -1],
    ['1.5', 5, 5, null, 5],
    ['10abc', 5, 5, null, 5],
    ['+10', 5, 10, null, 10],
    ['10, 20', 5, 5, null, 5],
    ['600', 600, 600, 600, 600],
    ['7201', 7201, 7200, 7201, 600],
    ['86401', 86401, 7200, 86400, 600],
    ['99999999999999999999', 1e20, 5, 86400, 5],
  ];
  for (const [value, spec, chromium, firefox, webkit] of rows) {
    it(`${JSON.stringify(value)}: spec ${spec}, chromium ${chromium}, firefox ${firefox}, webkit ${webkit}`, () => {
      expect(specMaxAge(value)).toBe(spec);
      expect(chromiumMaxAge(value)).toBe(chromium);
      expect(firefoxMaxAge(value)).toBe(firefox);
      expect(webkitMaxAge(value)).toBe(webkit);
    });
  }

  it('caps hold for every digit string (and the standard has none)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,12}$/), (digits) => {
        const n = Number(digits);
        expect(specMaxAge(digits)).toBe(n);
        expect(chromiumMaxAge(digits)).toBe(Math.min(n, 7200));
        expect(firefoxMaxAge(digits)).toBe(n === 0 ? null : Math.min(n, 86400));
        expect(webkitMaxAge(digits)).toBe(Math.min(n, 600));
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('what the cache stores follows the parse: a value Firefox rejects keeps no entry; Chromium keeps an expired one for a negative value', () => {
    const firefoxLike = new PreflightCache({ parameters: FIREFOX_PREFLIGHT_CACHE });
    expect(firefoxLike.record(plan(firefoxLike, PUT, T0), allow(A, 'PUT', '', { 'access-control-max-age': '10abc' }), T0)).toEqual({ recorded: false, reason: 'max-age-not-stored' });
    const chromium = new PreflightCache({ profile: 'chromium' });
    const first = plan(chromium, PUT, T0, { profile: 'chromium' });
    expect(chromium.record(first, allow(A, 'PUT', '', { 'access-control-max-age': '7777777' }), T0)).toMatchObject({ maxAge: 7200 });
    expect(plan(chromium, PUT, T0 + 7000 * 1000, { profile: 'chromium' }).preflightCache).toBe('hit');
    // A negative value replaces the entry with an expired one: a miss at once, whatever the clocks.
    expect(chromium.record(first, allow(A, 'PUT', '', { 'access-control-max-age': '-1' }), T0 + 10)).toMatchObject({ recorded: true, maxAge: 0 });
    expect(plan(chromium, PUT, T0 + 10, { profile: 'chromium' }).preflightCache).toBe('miss');
    // A value it cannot read is the 5 s default.
    expect(chromium.record(first, allow(A, 'PUT', '', { 'access-control-max-age': '1.5' }), T0 + 20)).toMatchObject({ recorded: true, maxAge: 5 });
    expect(plan(chromium, PUT, T0 + 2000, { profile: 'chromium' }).preflightCache).toBe('hit');
  });
});

describe('the engines’ caches (parameters as read in their source)', () => {
  const age = { 'access-control-max-age': '60' };

  it('Chromium and WebKit replace the whole entry on each preflight', () => {
    for (const parameters of [CHROMIUM_PREFLIGHT_CACHE, WEBKIT_PREFLIGHT_CACHE]) {
      const cache = new PreflightCache({ parameters });
      cache.record(plan(cache, PUT, T0), allow(A, 'PUT', '', age), T0);
      cache.record(plan(cache, { ...PUT, method: 'DELETE' }, T0), allow(A, 'DELETE', '', age), T0);
      expect(plan(cache, PUT, T0 + 1).preflightCache).toBe('miss');
      expect(plan(cache, { ...PUT, method: 'DELETE' }, T0 + 1).preflightCache).toBe('hit');
    }
  });

  it('Chromium and WebKit: a credentialed entry serves a request without credentials; `*` with Authorization listed', () => {
    const withCredentials = { ...PUT, credentials: 'include' as const, headers: { authorization: 'x' } };
    for (const parameters of [CHROMIUM_PREFLIGHT_CACHE, WEBKIT_PREFLIGHT_CACHE]) {
      const cache = new PreflightCache({ parameters });
      const first = plan(cache, withCredentials, T0);
      cache.record(first, allow(A, 'PUT', 'authorization', { ...age, 'access-control-allow-credentials': 'true' }), T0);
      expect(plan(cache, { ...withCredentials, credentials: 'omit' }, T0 + 1).preflightCache).toBe('hit');
      const star = new PreflightCache({ parameters });
      star.record(plan(star, { ...PUT, headers: { authorization: 'x' } }, T0), allow(A, 'PUT', 'authorization, *', age), T0);
      expect(plan(star, { ...PUT, headers: { authorization: 'y', 'x-any': '1' } }, T0 + 1).preflightCache).toBe('hit');
    }
  });

  it('Firefox: no `*` in the cache, HEAD needs an entry, a hit past a DNS cache lifetime is only a maybe, reload/no-store skip it', () => {
    const cache = new PreflightCache({ parameters: FIREFOX_PREFLIGHT_CACHE });
    const long = { 'access-control-max-age': '600' };
    cache.record(plan(cache, PUT, T0), allow(A, 'PUT, *', 'x-a', long), T0);
    expect(plan(cache, PUT, T0 + 1)).toMatchObject({ preflightCache: 'hit', needsPreflight: false });
    expect(plan(cache, PUT, T0 + 61_000)).toMatchObject({ preflightCache: 'maybe', needsPreflight: true });
    expect(plan(cache, { ...PUT, cache: 'no-cache' }, T0 + 1).preflightCache).toBe('hit');
    expect(plan(cache, { ...PUT, method: 'DELETE' }, T0 + 1).preflightCache).toBe('miss');
    expect(plan(cache, { ...PUT, cache: 'reload' }, T0 + 1).preflightCache).toBe('miss');
    const head = { url: `${B}/api`, method: 'HEAD', headers: { 'x-a': '1' } };
    cache.record(plan(cache, head, T0), allow(A, '', 'x-a', age), T0);
    expect(plan(cache, head, T0 + 1).preflightCache).toBe('miss');
    expect(new PreflightCache().record(plan(new PreflightCache(), head, T0), allow(A, '', 'x-a', age), T0).recorded).toBe(true);
  });

  it('past the engine’s key limit every hit is a maybe', () => {
    const cache = new PreflightCache({ parameters: { maxKeys: 2 } });
    for (const path of ['a', 'b', 'c']) {
      const init = { url: `${B}/${path}`, method: 'PUT' };
      cache.record(plan(cache, init, T0), allow(A, 'PUT', '', age), T0);
    }
    expect(plan(cache, { url: `${B}/a`, method: 'PUT' }, T0 + 1).preflightCache).toBe('maybe');
  });
});

// ---------------------------------------------------------------------------------------------
// Differential (seeded): the model's hits against an independent reading of §4.8-4.9.
// ---------------------------------------------------------------------------------------------

interface RefEntry {
  origin: string;
  url: string;
  credentials: boolean;
  method: string | null;
  header: string | null;
  expiresAt: number;
}

/** The standard's cache, written from the text alone (no margin: the browser's own clock). */
class ReferenceCache {
  entries: RefEntry[] = [];
  private match(e: RefEntry, origin: string, url: string, credentials: boolean): boolean {
    return e.origin === origin && e.url === url && e.credentials === credentials;
  }
  methodMatch(method: string, origin: string, url: string, credentials: boolean, now: number): RefEntry | undefined {
    return this.entries.find((e) => e.expiresAt > now && this.match(e, origin, url, credentials) && (e.method === method || (e.method === '*' && !credentials)));
  }
  headerMatch(name: string, origin: string, url: string, credentials: boolean, now: number): RefEntry | undefined {
    return this.entries.find(
      (e) =>
        e.expiresAt > now &&
        this.match(e, origin, url, credentials) &&
        (e.header === name || (e.header === '*' && !credentials && name !== 'authorization')),
    );
  }
  record(origin: string, url: string, credentials: boolean, methods: string[], headers: string[], maxAge: number, now: number): void {
    for (const method of methods) {
      const e = this.methodMatch(method, origin, url, credentials, now);
      if (e) e.expiresAt = now + maxAge * 1000;
      else this.entries.push({ origin, url, credentials, method, header: null, expiresAt: now + maxAge * 1000 });
    }
    for (const header of headers) {
      const e = this.headerMatch(header, origin, url, credentials, now);
      if (e) e.expiresAt = now + maxAge * 1000;
      else this.entries.push({ origin, url, credentials, method: null, header, expiresAt: now + maxAge * 1000 });
    }
  }
  /** HTTP fetch step 5.1: would a preflight be sent? */
  preflights(method: string, unsafe: string[], origin: string, url: string, credentials: boolean, now: number): boolean {
    const safelisted = method === 'GET' || method === 'HEAD' || method === 'POST';
    if (!safelisted && !this.methodMatch(method, origin, url, credentials, now)) return true;
    return unsafe.some((h) => !this.headerMatch(h, origin, url, credentials, now));
  }
}

const stepArb = fc.record({
  path: fc.constantFrom('/a', '/b'),
  method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
  headers: fc.subarray(['x-a', 'x-b', 'authorization']),
  credentials: fc.constantFrom('omit', 'include') as fc.Arbitrary<'omit' | 'include'>,
  allowMethods: fc.subarray(['PUT', 'DELETE', 'PATCH', '*']),
  allowHeaders: fc.subarray(['x-a', 'x-b', 'authorization', '*']),
  maxAge: fc.constantFrom(null, '0', '1', '3', '10'),
  advance: fc.integer({ min: 0, max: 6000 }),
});

describe('PreflightCache: differential against the standard (seeded)', () => {
  it('a hit the model predicts is never a preflight the standard sends', () => {
    let hits = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        const model = new PreflightCache();
        const ref = new ReferenceCache();
        let now = T0;
        for (const s of steps) {
          now += s.advance;
          const init: FetchInit = { url: `${B}${s.path}`, method: s.method, headers: Object.fromEntries(s.headers.map((h) => [h, '1'])), credentials: s.credentials };
          const p = planFetch(A, init, { cache: model, now });
          const include = s.credentials === 'include';
          const sends = ref.preflights(s.method, [...s.headers].sort(), A, `${B}${s.path}`, include, now);
          if (p.preflightCache === 'hit') {
            hits++;
            expect(sends, JSON.stringify({ s, now })).toBe(false);
          }
          if (!p.needsPreflight) continue;
          // The server answers; if the preflight passes, both caches record it.
          const res = allow(A, s.allowMethods.join(', '), s.allowHeaders.join(', '), {
            ...(s.maxAge === null ? {} : { 'access-control-max-age': s.maxAge }),
            ...(include ? { 'access-control-allow-credentials': 'true' } : {}),
          });
          const recorded = model.record(p, res, now);
          if (recorded.recorded) {
            ref.record(A, `${B}${s.path}`, include, s.allowMethods, s.allowHeaders, recorded.maxAge, now);
          }
        }
      }),
      { seed: 9, numRuns: 500 },
    );
    expect(hits, 'the differential saw hits').toBeGreaterThan(50);
  });
});

describe('the engines’ caches, as the real-browser suite found them (test/browser/scenarios.ts, category preflight-cache)', () => {
  const age = { 'access-control-max-age': '60' };
  const SANDBOX_PUT = { url: `${B}/api`, method: 'PUT' };

  it('opaque-origin-not-cached: Chromium and Firefox never reuse a preflight made from an opaque origin; the standard does', () => {
    for (const profile of ['spec', 'chromium', 'firefox'] as const) {
      const cache = new PreflightCache({ profile });
      const first = plan(cache, SANDBOX_PUT, T0, { profile, page: 'null' });
      expect(cache.record(first, allow('null', 'PUT', '', age), T0).recorded, profile).toBe(true);
      expect(plan(cache, SANDBOX_PUT, T0 + 10, { profile, page: 'null' }).preflightCache, profile).toBe(profile === 'spec' ? 'hit' : 'miss');
    }
  });

  it("cache-mode-skips-preflight-cache: Chromium skips it for no-store, reload and no-cache; Firefox for no-store and reload", () => {
    const want: Record<string, Record<string, string>> = {
      spec: { default: 'hit', 'no-store': 'hit', reload: 'hit', 'no-cache': 'hit', 'force-cache': 'hit' },
      chromium: { default: 'hit', 'no-store': 'miss', reload: 'miss', 'no-cache': 'miss', 'force-cache': 'hit' },
      firefox: { default: 'hit', 'no-store': 'miss', reload: 'miss', 'no-cache': 'hit', 'force-cache': 'hit' },
    };
    for (const profile of ['spec', 'chromium', 'firefox'] as const) {
      const cache = new PreflightCache({ profile });
      cache.record(plan(cache, PUT, T0, { profile }), allow(A, 'PUT', '', age), T0);
      for (const [mode, answer] of Object.entries(want[profile]!)) {
        expect(plan(cache, { ...PUT, cache: mode as 'default' }, T0 + 10, { profile }).preflightCache, `${profile} ${mode}`).toBe(answer);
      }
    }
  });

  it('Chromium: a cached `*` does not cover Authorization (a preflight’s `*` does)', () => {
    const cache = new PreflightCache({ profile: 'chromium' });
    cache.record(plan(cache, PUT, T0, { profile: 'chromium' }), allow(A, 'PUT', '*', age), T0);
    expect(plan(cache, { ...PUT, headers: { 'x-any': '1' } }, T0 + 10, { profile: 'chromium' }).preflightCache).toBe('hit');
    expect(plan(cache, { ...PUT, headers: { authorization: 'x' } }, T0 + 10, { profile: 'chromium' }).preflightCache).toBe('miss');
  });

  it('Firefox: no Access-Control-Max-Age stores nothing (an empty one is 5 s)', () => {
    const cache = new PreflightCache({ profile: 'firefox' });
    expect(cache.record(plan(cache, PUT, T0, { profile: 'firefox' }), allow(A, 'PUT', ''), T0)).toEqual({ recorded: false, reason: 'max-age-not-stored' });
    expect(cache.record(plan(cache, PUT, T0, { profile: 'firefox' }), allow(A, 'PUT', '', { 'access-control-max-age': '' }), T0)).toEqual({ recorded: true, reason: 'ok', maxAge: 5 });
  });
});
