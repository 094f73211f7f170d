// Engine releases (src/precheck/engine-profiles.ts ReleaseRegistry, the bands of
// profile-chromium.ts and profile-firefox.ts, engine-parameters.ts): `'chromium@150'` is what
// Chromium 150 did in the real-browser suite where it differs from Chromium 156, `'firefox@140'`
// the same for Firefox 140 ESR against 153, and 'auto' picks the release from the user agent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkRedirect, planFetch, PreflightCache } from '../src/precheck/index.js';
import type { FetchInit, FetchProfileOption } from '../src/types.js';

const A = 'http://127.0.0.1:8001';
const B = 'http://127.0.0.1:8002';
const L = 'http://localhost:8002';

function needsPreflight(profile: string, init: Omit<FetchInit, 'url'>): boolean | string {
  const plan = planFetch(A, { url: `${B}/x`, ...init }, { profile: profile as FetchProfileOption });
  return plan.error ?? plan.needsPreflight;
}

describe("release names: '<engine>@<major>'", () => {
  const rangeUpper = { headers: { Range: 'Bytes=0-' } };
  it('a version at or below a band gets the band, one above every band the current profile', () => {
    expect(needsPreflight('chromium@150', rangeUpper)).toBe(false);
    expect(needsPreflight('chromium@120', rangeUpper)).toBe(false);
    expect(needsPreflight('chromium@151', rangeUpper)).toBe(true);
    expect(needsPreflight('chromium@156', rangeUpper)).toBe(true);
    expect(needsPreflight('chromium', rangeUpper)).toBe(true);
  });

  it('refuses what is not an engine and a major version, never falling back', () => {
    for (const name of ['chromium@', 'chromium@0', 'chromium@x', 'chromium@150.1', 'chromium@150@1', 'chromium@12345', 'auto@150', 'spec@150', 'netscape@4', 'Chromium@150']) {
      expect(needsPreflight(name, rangeUpper), name).toBe('unknown-profile');
    }
  });

  it('an engine without release bands answers every version with its current profile', () => {
    const init = { headers: { Range: 'BYTES=0-5' } };
    expect(needsPreflight('webkit@2', init)).toBe(needsPreflight('webkit', init));
    expect(needsPreflight('webkit', init)).toBe(false);
  });
});

describe('Chromium 150 against the current Chromium profile', () => {
  it('`Range` bounds: 2^63 - 1 is safelisted by 150, not since; 2^63 by neither', () => {
    const at = (v: string) => ({ headers: { Range: v } });
    expect(needsPreflight('chromium@150', at('bytes=9223372036854775807-'))).toBe(false);
    expect(needsPreflight('chromium@150', at('bytes=0-9223372036854775807'))).toBe(false);
    expect(needsPreflight('chromium', at('bytes=9223372036854775807-'))).toBe(true);
    expect(needsPreflight('chromium@150', at('bytes=9223372036854775808-'))).toBe(true);
    expect(needsPreflight('chromium', at('bytes=9223372036854775806-'))).toBe(false);
    // The unit in any case, and only the unit: a malformed value is still unsafe.
    expect(needsPreflight('chromium@150', at('BYTES=0-5'))).toBe(false);
    expect(needsPreflight('chromium@150', at('BYTES=5-1'))).toBe(true);
    expect(needsPreflight('chromium@150', at('bytez=0-'))).toBe(true);
  });

  it('a script’s Access-Control-Request-Private-Network is dropped by 150 (forbidden), preflighted since', () => {
    const init = { headers: { 'Access-Control-Request-Private-Network': 'true' } };
    expect(needsPreflight('chromium@150', init)).toBe(false);
    expect(needsPreflight('chromium', init)).toBe(true);
    expect(needsPreflight('spec', init)).toBe(true);
    // The current profile asks for it by name: it is sent, not dropped.
    const plan = planFetch(A, { url: `${B}/x`, ...init }, { profile: 'chromium' });
    expect(plan.preflight?.headers['access-control-request-headers']).toBe('access-control-request-private-network');
  });

  it('the deviations the releases share stay (User-Agent dropped, client hints safelisted)', () => {
    for (const p of ['chromium@150', 'chromium']) {
      expect(needsPreflight(p, { headers: { 'User-Agent': 'x' } }), p).toBe(false);
      expect(needsPreflight(p, { headers: { DPR: '2' } }), p).toBe(false);
    }
  });

  /** PUT A -> B, 307 to another site (the origin is tainted), preflighted there with Origin null. */
  function taintedChain(cache: PreflightCache, profile: FetchProfileOption, now: number) {
    const first = planFetch(A, { url: `${B}/start`, method: 'PUT' }, { profile, cache, now });
    cache.record(first, { status: 204, headers: { 'access-control-allow-origin': A, 'access-control-allow-methods': 'PUT', 'access-control-max-age': '60' } }, now);
    const next = checkRedirect(first, { status: 307, headers: { location: `${L}/target`, 'access-control-allow-origin': A } });
    if (next.kind !== 'follow') throw new Error(`no follow: ${JSON.stringify(next)}`);
    return next.plan;
  }

  it('the preflight cache: 150 finds a tainted preflight again, the current profile never does', () => {
    for (const [profile, repeat] of [['chromium@150', 'hit'], ['chromium', 'miss']] as const) {
      const cache = new PreflightCache({ profile });
      const target = taintedChain(cache, profile, 1_000);
      expect(target.needsPreflight, profile).toBe(true);
      expect(target.preflight?.headers['origin'], profile).toBe('null');
      const recorded = cache.record(target, { status: 204, headers: { 'access-control-allow-origin': 'null', 'access-control-allow-methods': 'PUT', 'access-control-max-age': '60' } }, 1_000);
      expect(recorded.recorded, profile).toBe(true);
      expect(taintedChain(cache, profile, 2_000).preflightCache, profile).toBe(repeat);
    }
  });

  it('a sandboxed frame’s preflight (origin null) is never reused, in either release', () => {
    for (const profile of ['chromium@150', 'chromium'] as const) {
      const cache = new PreflightCache({ profile });
      const put = { url: `${B}/x`, method: 'PUT' };
      const first = planFetch('null', put, { profile, cache, now: 1_000 });
      cache.record(first, { status: 204, headers: { 'access-control-allow-origin': 'null', 'access-control-allow-methods': 'PUT', 'access-control-max-age': '60' } }, 1_000);
      expect(planFetch('null', put, { profile, cache, now: 2_000 }).preflightCache, profile).toBe('miss');
    }
  });

  it('a cache models one release: a plan of another is refused', () => {
    const cache = new PreflightCache({ profile: 'chromium@150' });
    expect(cache.profile).toBe('chromium');
    expect(() => planFetch(A, { url: `${B}/x`, method: 'PUT' }, { profile: 'chromium', cache })).toThrow(/the plan is for profile 'chromium', the cache models 'chromium@150'/);
    expect(() => planFetch(A, { url: `${B}/x`, method: 'PUT' }, { profile: 'chromium@149', cache })).not.toThrow();
    expect(() => new PreflightCache({ profile: 'chromium@0' as FetchProfileOption })).toThrow(TypeError);
  });
});

describe('Firefox 140 against the current Firefox profile: the preflight cache', () => {
  const put = { url: `${B}/x`, method: 'PUT' };
  const allow = (origin: string, extra: Record<string, string> = {}) => ({
    status: 204,
    headers: { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'PUT', ...extra },
  });

  it('no Access-Control-Max-Age: 140 stores 5 s (the standard), the current profile nothing', () => {
    const old = new PreflightCache({ profile: 'firefox@140' });
    expect(old.record(planFetch(A, put, { profile: 'firefox@140', cache: old, now: 1_000 }), allow(A), 1_000)).toEqual({ recorded: true, reason: 'ok', maxAge: 5 });
    expect(planFetch(A, put, { profile: 'firefox@140', cache: old, now: 2_000 }).preflightCache).toBe('hit');
    const now = new PreflightCache({ profile: 'firefox' });
    expect(now.record(planFetch(A, put, { profile: 'firefox', cache: now, now: 1_000 }), allow(A), 1_000).recorded).toBe(false);
    // Everything else about Max-Age is the same reading: a failure stores nothing in both.
    expect(old.record(planFetch(A, put, { profile: 'firefox@140', cache: old, now: 1_000 }), allow(A, { 'access-control-max-age': 'abc' }), 1_000).recorded).toBe(false);
  });

  it('a sandboxed frame: 140 reuses its preflight (the standard), the current profile never', () => {
    for (const [profile, repeat] of [['firefox@140', 'hit'], ['firefox', 'miss']] as const) {
      const cache = new PreflightCache({ profile });
      cache.record(planFetch('null', put, { profile, cache, now: 1_000 }), allow('null', { 'access-control-max-age': '60' }), 1_000);
      expect(planFetch('null', put, { profile, cache, now: 2_000 }).preflightCache, profile).toBe(repeat);
    }
  });

  it('the header rules are the same in both releases', () => {
    const inits: Omit<FetchInit, 'url'>[] = [{ headers: { Accept: 'café' } }, { headers: [['X-A', '1'], ['x-a', '2']] }, { headers: { Range: 'bytes=18446744073709551616-' } }];
    for (const init of inits) {
      expect(planFetch(A, { url: `${B}/x`, ...init }, { profile: 'firefox@140' })).toEqual(planFetch(A, { url: `${B}/x`, ...init }, { profile: 'firefox' }));
    }
  });
});

describe("'auto' picks the release the user agent names", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('Chrome/150 plans as chromium@150, Chrome/156 as chromium', async () => {
    const rangeUpper = { url: `${B}/x`, headers: { Range: 'Bytes=0-' } };
    for (const [ua, want] of [
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.7871.100 Safari/537.36', false],
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', true],
    ] as const) {
      vi.resetModules();
      vi.stubGlobal('navigator', { userAgent: ua });
      const fresh = await import('../src/precheck/index.js');
      fresh.useEngineProfiles();
      expect(fresh.planFetch(A, rangeUpper, { profile: 'auto' }).needsPreflight, ua).toBe(want);
    }
  });
});
