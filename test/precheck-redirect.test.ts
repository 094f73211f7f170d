// checkRedirect (src/precheck/redirect.ts): Fetch §4.3 "HTTP fetch" steps 4.4 and 6, §4.4
// "HTTP-redirect fetch", and main fetch again at each next hop. Hand-picked cases for each rule,
// then seeded property tests for the rules that quantify over chains (taint, tainting, the limit,
// the method rewrite) against an independent reading of the standard.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPreflight, checkRedirect, checkResponse, planFetch } from '../src/precheck/index.js';
import * as lite from '../src/precheck/lite.js';
import type { FetchInit, FetchPlan, RedirectCheck } from '../src/types.js';

const A = 'https://a.example';
const B = 'https://b.example';
const C = 'https://c.example';

function follow(check: RedirectCheck): FetchPlan {
  if (check.kind !== 'follow') throw new Error(`expected kind 'follow', got ${JSON.stringify(check)}`);
  return check.plan;
}

const to = (location: string, status = 302, extra: Record<string, string> = {}) => ({ status, headers: { location, ...extra } });
/** A 3xx that passes the CORS check for origin `o` (and credentials when asked). */
const corsTo = (location: string, o: string, status = 302, credentials = false) =>
  to(location, status, { 'access-control-allow-origin': o, ...(credentials ? { 'access-control-allow-credentials': 'true' } : {}) });

describe('checkRedirect: what the 3xx must pass, and the redirect modes', () => {
  it('a same-origin redirect needs no CORS headers and stays basic', () => {
    const plan = planFetch(A, { url: `${A}/x` });
    const next = checkRedirect(plan, to('/y'));
    expect(next).toMatchObject({ kind: 'follow', ok: true, url: `${A}/y`, taintedOrigin: false, methodChanged: false });
    expect(follow(next).redirectCount).toBe(1);
    expect(checkResponse(follow(next), { status: 200, headers: {} }).type).toBe('basic');
  });

  it('a cross-origin 3xx must pass the CORS check (HTTP fetch step 4.4)', () => {
    const plan = planFetch(A, { url: `${B}/x` });
    expect(checkRedirect(plan, to(`${B}/y`))).toEqual({ kind: 'error', ok: false, reason: 'missing-allow-origin-header' });
    expect(checkRedirect(plan, corsTo(`${B}/y`, C))).toMatchObject({ kind: 'error', reason: 'allow-origin-mismatch' });
    expect(checkRedirect(plan, corsTo(`${B}/y`, A)).kind).toBe('follow');
    expect(checkRedirect(plan, corsTo(`${B}/y`, '*')).kind).toBe('follow');
    const withCredentials = planFetch(A, { url: `${B}/x`, credentials: 'include' });
    expect(checkRedirect(withCredentials, corsTo(`${B}/y`, '*'))).toMatchObject({ reason: 'wildcard-origin-not-allowed' });
    expect(checkRedirect(withCredentials, corsTo(`${B}/y`, A))).toMatchObject({ reason: 'invalid-allow-credentials' });
    expect(checkRedirect(withCredentials, corsTo(`${B}/y`, A, 302, true)).kind).toBe('follow');
  });

  it("redirect: 'error' is a network error, after the CORS check", () => {
    const plan = planFetch(A, { url: `${B}/x`, redirect: 'error' });
    expect(checkRedirect(plan, corsTo(`${B}/y`, A))).toEqual({ kind: 'error', ok: false, reason: 'redirect-mode-error' });
    expect(checkRedirect(plan, to(`${B}/y`))).toMatchObject({ reason: 'missing-allow-origin-header' });
    expect(checkRedirect(planFetch(A, { url: `${A}/x`, redirect: 'error' }), to('/y')).reason).toBe('redirect-mode-error');
  });

  it("redirect: 'manual' gives an opaque redirect after the CORS check, in the standard and in every engine", () => {
    for (const profile of ['spec', 'chromium', 'firefox'] as const) {
      const plan = planFetch(A, { url: `${B}/x`, redirect: 'manual' }, { profile });
      expect(checkRedirect(plan, corsTo(`${B}/y`, A))).toEqual({ kind: 'opaque-redirect', ok: true, reason: 'ok', type: 'opaqueredirect' });
      expect(checkRedirect(plan, to(`${B}/y`)).reason, profile).toBe('missing-allow-origin-header');
    }
  });

  it("no-cors: redirect mode other than 'follow' is refused up front; 'follow' walks without CORS checks", () => {
    for (const redirect of ['manual', 'error'] as const) {
      expect(planFetch(A, { url: `${B}/x`, mode: 'no-cors', redirect }).error).toBe('redirect-mode-not-follow-in-no-cors');
      expect(lite.planFetch(A, { url: `${B}/x`, mode: 'no-cors', redirect }).error).toBe('redirect-mode-not-follow-in-no-cors');
    }
    const plan = planFetch(A, { url: `${B}/x`, mode: 'no-cors' });
    const next = follow(checkRedirect(plan, to(`${A}/back`)));
    expect(checkResponse(next, { status: 200, headers: { 'x-a': '1' } })).toMatchObject({ ok: true, type: 'opaque' });
  });

  it('an invalid redirect mode is a TypeError, in every entry', () => {
    expect(planFetch(A, { url: `${B}/x`, redirect: 'nope' } as unknown as FetchInit).error).toBe('invalid-redirect-mode');
    expect(lite.planFetch(A, { url: `${B}/x`, redirect: 'nope' } as unknown as FetchInit).error).toBe('invalid-redirect-mode');
  });

  it("same-origin mode: a redirect that leaves the origin is main fetch's network error", () => {
    const plan = planFetch(A, { url: `${A}/x`, mode: 'same-origin' });
    expect(checkRedirect(plan, to(`${B}/y`))).toEqual({ kind: 'error', ok: false, reason: 'disallowed-by-mode' });
    expect(checkRedirect(plan, to(`${A}/z`)).kind).toBe('follow');
  });

  it('a response that is not a redirect to follow comes back as kind "response"', () => {
    const plan = planFetch(A, { url: `${B}/x` });
    const ok = checkRedirect(plan, { status: 200, headers: { 'access-control-allow-origin': A } });
    expect(ok).toMatchObject({ kind: 'response', ok: true, reason: 'ok' });
    const bad = checkRedirect(plan, { status: 200, headers: {} });
    expect(bad).toMatchObject({ kind: 'response', ok: false, reason: 'missing-allow-origin-header' });
    // 304 is no redirect status; a 3xx without Location is returned as it is (step 4).
    expect(checkRedirect(plan, { status: 304, headers: { location: `${B}/y`, 'access-control-allow-origin': A } }).kind).toBe('response');
    expect(checkRedirect(plan, { status: 302, headers: { 'access-control-allow-origin': A } })).toMatchObject({ kind: 'response', ok: true });
  });

  it('refuses what it does not know: a copied plan, an errored plan, a non-object response', () => {
    const plan = planFetch(A, { url: `${B}/x` });
    expect(checkRedirect({ ...plan }, to(`${B}/y`))).toEqual({ kind: 'error', ok: false, reason: 'not-a-plan' });
    expect(checkRedirect(planFetch(A, { url: 'nope:' }), to(`${B}/y`))).toMatchObject({ kind: 'error', ok: false });
    expect(() => checkRedirect(plan, null as never)).toThrow(TypeError);
  });
});

describe('checkRedirect: the Location', () => {
  it('is resolved against the current URL, and inherits its fragment when it has none', () => {
    const plan = planFetch(A, { url: `${A}/dir/x#frag` });
    expect(checkRedirect(plan, to('y'))).toMatchObject({ url: `${A}/dir/y#frag` });
    expect(checkRedirect(plan, to('y#own'))).toMatchObject({ url: `${A}/dir/y#own` });
    expect(checkRedirect(plan, to('//b.example/z', 302, { 'access-control-allow-origin': A }))).toMatchObject({ url: `${B}/z#frag` });
  });

  it('a Location that is no URL, or not http(s), is a network error', () => {
    const plan = planFetch(A, { url: `${A}/x` });
    expect(checkRedirect(plan, to('http://[::1'))).toMatchObject({ kind: 'error', reason: 'invalid-redirect-location' });
    for (const loc of ['ftp://a.example/', 'data:,x', 'javascript:alert(1)', 'blob:https://a.example/u']) {
      expect(checkRedirect(plan, to(loc)), loc).toMatchObject({ kind: 'error', reason: 'redirect-disallowed-scheme' });
    }
  });

  it('credentials in the Location fail a CORS request (steps 9 and 10)', () => {
    // 9: cors mode, location with credentials, not same origin with the request's origin.
    expect(checkRedirect(planFetch(A, { url: `${A}/x` }), to('https://u:p@b.example/y'))).toMatchObject({ reason: 'redirect-contains-credentials' });
    // 10: tainting "cors", even back to the page's own origin.
    const cross = planFetch(A, { url: `${B}/x` });
    expect(checkRedirect(cross, corsTo('https://u:p@a.example/y', A))).toMatchObject({ reason: 'redirect-contains-credentials' });
    // Neither: a same-origin (basic) request to its own origin.
    expect(checkRedirect(planFetch(A, { url: `${A}/x` }), to('https://u:p@a.example/y')).kind).toBe('follow');
    // no-cors: not cors mode and not cors tainting.
    expect(checkRedirect(planFetch(A, { url: `${B}/x`, mode: 'no-cors' }), to('https://u:p@c.example/y')).kind).toBe('follow');
  });
});

describe('checkRedirect: the next request', () => {
  it('a redirect across origins from a URL not of the page taints the origin (Origin: null)', () => {
    const ab = follow(checkRedirect(planFetch(A, { url: `${A}/x` }), to(`${B}/y`)));
    expect(ab.sameOrigin).toBe(false);
    const plan = planFetch(A, { url: `${B}/x`, method: 'PUT' });
    const bc = checkRedirect(plan, corsTo(`${C}/y`, A, 307));
    expect(bc).toMatchObject({ kind: 'follow', taintedOrigin: true });
    const next = follow(bc);
    expect(next.preflight?.headers['origin']).toBe('null');
    // The target then needs `*`, `null` or an echo of `null`.
    const ok = { 'access-control-allow-methods': 'PUT' };
    expect(checkPreflight(next, { status: 204, headers: { 'access-control-allow-origin': A, ...ok } }).reason).toBe('preflight-allow-origin-mismatch');
    expect(checkPreflight(next, { status: 204, headers: { 'access-control-allow-origin': 'null', ...ok } }).ok).toBe(true);
    expect(checkPreflight(next, { status: 204, headers: { 'access-control-allow-origin': '*', ...ok } }).ok).toBe(true);
    expect(checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': A } }).reason).toBe('allow-origin-mismatch');
    expect(checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': 'null' } }).ok).toBe(true);
  });

  it('with credentials a tainted request needs `null` and Allow-Credentials (no `*`)', () => {
    const plan = planFetch(A, { url: `${B}/x`, credentials: 'include' });
    const next = follow(checkRedirect(plan, corsTo(`${C}/y`, A, 302, true)));
    expect(checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': '*' } }).reason).toBe('wildcard-origin-not-allowed');
    expect(checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': 'null' } }).reason).toBe('invalid-allow-credentials');
    expect(checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': 'null', 'access-control-allow-credentials': 'true' } }).ok).toBe(true);
  });

  it('back to the page origin after crossing: tainted, and still CORS (tainting never returns to basic)', () => {
    const plan = planFetch(A, { url: `${B}/x` });
    const back = checkRedirect(plan, corsTo(`${A}/y`, A));
    expect(back).toMatchObject({ kind: 'follow', taintedOrigin: true });
    const next = follow(back);
    expect(next.sameOrigin).toBe(true);
    expect(checkResponse(next, { status: 200, headers: {} })).toMatchObject({ ok: false, reason: 'missing-allow-origin-header', type: 'cors' });
    expect(checkResponse(next, { status: 200, headers: { 'access-control-allow-origin': 'null' } })).toMatchObject({ ok: true, type: 'cors' });
  });

  it('a page-origin URL redirecting away does not taint: the target sees the page origin', () => {
    const plan = planFetch(A, { url: `${A}/x`, method: 'DELETE' });
    const next = checkRedirect(plan, to(`${B}/y`, 307));
    expect(next).toMatchObject({ kind: 'follow', taintedOrigin: false });
    expect(follow(next).needsPreflight).toBe(true);
    expect(follow(next).preflight?.headers['origin']).toBe(A);
  });

  it('a preflighted request is preflighted again at the target (307, 308 keep the method)', () => {
    for (const status of [307, 308, 301, 302]) {
      const plan = planFetch(A, { url: `${B}/x`, method: 'PATCH', headers: { 'x-custom': '1' } });
      const next = follow(checkRedirect(plan, corsTo(`${B}/y`, A, status)));
      expect(next.needsPreflight, String(status)).toBe(true);
      expect(next.preflight).toMatchObject({ url: `${B}/y`, headers: { 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'x-custom', origin: A } });
    }
  });

  it('301/302 POST and 303 non-GET/HEAD become GET without the request-body headers, and may stop needing a preflight', () => {
    const post = { url: `${B}/x`, method: 'POST', headers: { 'content-type': 'application/json', 'content-language': 'en' } };
    for (const status of [301, 302, 303]) {
      const plan = planFetch(A, post);
      expect(plan.needsPreflight).toBe(true);
      const check = checkRedirect(plan, corsTo(`${B}/y`, A, status));
      expect(check).toMatchObject({ kind: 'follow', methodChanged: true });
      expect(follow(check).needsPreflight, String(status)).toBe(false);
    }
    const put = planFetch(A, { url: `${B}/x`, method: 'PUT', headers: { 'x-keep': '1', 'content-type': 'text/plain' } });
    const via303 = follow(checkRedirect(put, corsTo(`${B}/y`, A, 303)));
    expect(via303.preflight?.headers['access-control-request-method']).toBe('GET');
    expect(via303.preflight?.headers['access-control-request-headers']).toBe('x-keep');
    expect(checkRedirect(put, corsTo(`${B}/y`, A, 302))).toMatchObject({ methodChanged: false });
    expect(checkRedirect(planFetch(A, { url: `${B}/x`, method: 'HEAD' }), corsTo(`${B}/y`, A, 303))).toMatchObject({ methodChanged: false });
    expect(checkRedirect(planFetch(A, { url: `${B}/x`, method: 'POST' }), corsTo(`${B}/y`, A, 307))).toMatchObject({ methodChanged: false });
  });

  it('Authorization does not cross origins (step 13), so it may stop needing a preflight', () => {
    const plan = planFetch(A, { url: `${B}/x`, headers: { authorization: 'Bearer t' } });
    expect(plan.needsPreflight).toBe(true);
    const sameOrigin = follow(checkRedirect(plan, corsTo(`${B}/y`, A)));
    expect(sameOrigin.preflight?.headers['access-control-request-headers']).toBe('authorization');
    expect(follow(checkRedirect(plan, corsTo(`${C}/y`, A))).needsPreflight).toBe(false);
  });

  it('the 20-redirect limit: 20 hops are followed, the 21st is a network error', () => {
    let plan = planFetch(A, { url: `${A}/0` });
    for (let i = 1; i <= 20; i++) {
      plan = follow(checkRedirect(plan, to(`/${i}`)));
      expect(plan.redirectCount).toBe(i);
    }
    expect(checkRedirect(plan, to('/21'))).toEqual({ kind: 'error', ok: false, reason: 'too-many-redirects' });
    // The limit comes before the other Location checks that follow it (credentials), not before the scheme.
    expect(checkRedirect(plan, to('ftp://x/'))).toMatchObject({ reason: 'redirect-disallowed-scheme' });
  });

  it('the next plan keeps its profile, and the answers are frozen', () => {
    const plan = planFetch(A, { url: `${B}/x`, headers: [['Accept', 'a'], ['Accept', 'b']] }, { profile: 'chromium' });
    const check = checkRedirect(plan, corsTo(`${B}/y`, A));
    expect(Object.isFrozen(check)).toBe(true);
    const next = follow(check);
    expect(Object.isFrozen(next)).toBe(true);
    // Chromium's repeated-header rule still applies at the next hop.
    expect(next.needsPreflight).toBe(plan.needsPreflight);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests (seeded): chains over a handful of origins.
// ---------------------------------------------------------------------------------------------

const ORIGINS = [A, B, C, 'http://a.example', 'https://a.example:8443'];
const hopArb = fc.record({ origin: fc.constantFrom(...ORIGINS), status: fc.constantFrom(301, 302, 303, 307, 308) });
const initArb = fc.record({
  start: fc.constantFrom(...ORIGINS),
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE'),
  headers: fc.subarray([
    ['content-type', 'application/json'] as [string, string],
    ['content-type', 'text/plain'] as [string, string],
    ['authorization', 'Bearer t'] as [string, string],
    ['x-custom', '1'] as [string, string],
  ]),
  credentials: fc.constantFrom('omit', 'same-origin', 'include') as fc.Arbitrary<'omit' | 'same-origin' | 'include'>,
});
/** A 3xx that passes any CORS check: it echoes whatever origin the request would send. */
const passing = (location: string, origin: string) =>
  to(location, 302, { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });

/** Fetch §3.1.6 "request has a redirect-tainted origin", read over the whole URL list. */
function taintedByList(requestOrigin: string, urlList: readonly string[]): boolean {
  let last: string | null = null;
  for (const url of urlList) {
    const o = new URL(url).origin;
    if (last !== null && o !== last && requestOrigin !== last) return true;
    last = o;
  }
  return false;
}

describe('checkRedirect: properties (seeded)', () => {
  it('taint agrees with the URL-list definition, is monotone, and tainting never returns to basic', () => {
    fc.assert(
      fc.property(initArb, fc.array(hopArb, { minLength: 1, maxLength: 8 }), (init, hops) => {
        let plan = planFetch(A, { url: `${init.start}/0`, method: init.method, headers: init.headers, credentials: init.credentials });
        const urls = [`${init.start}/0`];
        let tainted = false;
        let leftBasic = false;
        for (const [i, hop] of hops.entries()) {
          const origin = tainted ? 'null' : A;
          const check = checkRedirect(plan, { ...passing(`${hop.origin}/${i + 1}`, origin), status: hop.status });
          if (check.kind !== 'follow') return; // a next hop the model refuses ends the chain
          urls.push(check.url);
          expect(check.taintedOrigin, urls.join(' -> ')).toBe(taintedByList(A, urls));
          if (tainted) expect(check.taintedOrigin).toBe(true);
          tainted = check.taintedOrigin;
          plan = check.plan;
          const type = checkResponse(plan, { status: 200, headers: { 'access-control-allow-origin': '*' } }).type;
          if (leftBasic) expect(type).not.toBe('basic');
          if (type !== 'basic') leftBasic = true;
          if (plan.preflight !== null) expect(plan.preflight.headers['origin']).toBe(tainted ? 'null' : A);
        }
      }),
      { seed: 1206, numRuns: 400 },
    );
  });

  it('the method rewrite follows the table (301/302 POST, 303 not GET/HEAD), and only then are body headers dropped', () => {
    fc.assert(
      fc.property(initArb, hopArb, (init, hop) => {
        const plan = planFetch(A, { url: `${A}/0`, method: init.method, headers: init.headers, credentials: init.credentials });
        const check = checkRedirect(plan, { ...passing(`${A}/1`, A), status: hop.status });
        const want = ((hop.status === 301 || hop.status === 302) && init.method === 'POST') || (hop.status === 303 && init.method !== 'GET' && init.method !== 'HEAD');
        expect(check).toMatchObject({ kind: 'follow', methodChanged: want });
        // Re-plan the changed request directly: same preflight answer (same-origin here: none), same method.
        const next = follow(check);
        const direct = planFetch(A, {
          url: `${A}/1`,
          method: want ? 'GET' : init.method,
          headers: want ? init.headers.filter(([n]) => n !== 'content-type') : init.headers,
          credentials: init.credentials,
        });
        expect({ ...next, redirectCount: 0 }).toEqual({ ...direct });
      }),
      { seed: 2026, numRuns: 300 },
    );
  });

  it('a cross-origin hop plans exactly what planFetch plans for the rewritten request (untainted first hop)', () => {
    fc.assert(
      fc.property(initArb, hopArb, (init, hop) => {
        if (hop.origin === A) return;
        const plan = planFetch(A, { url: `${A}/0`, method: init.method, headers: init.headers, credentials: init.credentials });
        const next = follow(checkRedirect(plan, { ...passing(`${hop.origin}/1`, A), status: hop.status }));
        const changed = ((hop.status === 301 || hop.status === 302) && init.method === 'POST') || (hop.status === 303 && init.method !== 'GET' && init.method !== 'HEAD');
        const direct = planFetch(A, {
          url: `${hop.origin}/1`,
          method: changed ? 'GET' : init.method,
          headers: init.headers.filter(([n]) => n !== 'authorization' && !(changed && n === 'content-type')),
          credentials: init.credentials,
        });
        expect({ ...next, redirectCount: 0 }).toEqual({ ...direct });
      }),
      { seed: 77, numRuns: 300 },
    );
  });

  it('any chain longer than 20 redirects errors with too-many-redirects', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(301, 302, 303, 307, 308), { minLength: 21, maxLength: 30 }), fc.constantFrom(A, B), (statuses, start) => {
        let plan = planFetch(A, { url: `${start}/0` });
        let result: RedirectCheck | null = null;
        for (const [i, status] of statuses.entries()) {
          result = checkRedirect(plan, { ...passing(`${start}/${i + 1}`, A), status });
          if (result.kind !== 'follow') break;
          plan = result.plan;
        }
        expect(result).toEqual({ kind: 'error', ok: false, reason: 'too-many-redirects' });
        expect(plan.redirectCount).toBe(20);
      }),
      { seed: 20, numRuns: 100 },
    );
  });
});

describe("checkRedirect, profile 'firefox' (as Firefox 153 did in test/browser/scenarios.ts, category redirects)", () => {
  const allow = (o: string, extra: Record<string, string> = {}) => ({ status: 204, headers: { 'access-control-allow-origin': o, 'access-control-allow-methods': 'PUT', ...extra } });

  it('preflight-repeated-after-redirect: a preflighted request is preflighted at the target even once it needs none', () => {
    for (const profile of ['spec', 'firefox'] as const) {
      const plan = planFetch(A, { url: `${B}/x`, method: 'PUT' }, { profile });
      const next = follow(checkRedirect(plan, corsTo(`${B}/y`, A, 303)));
      expect(next.needsPreflight, profile).toBe(profile === 'firefox');
      if (profile === 'firefox') {
        expect(next.preflightReasons).toEqual(['preflighted-before-redirect']);
        expect(next.preflight?.headers).toEqual({ accept: '*/*', 'access-control-request-method': 'GET', origin: A });
        // And at every hop after it.
        expect(follow(checkRedirect(next, corsTo(`${B}/z`, A))).needsPreflight).toBe(true);
      }
    }
    // A request that was never preflighted is not.
    expect(follow(checkRedirect(planFetch(A, { url: `${B}/x` }, { profile: 'firefox' }), corsTo(`${B}/y`, A))).needsPreflight).toBe(false);
  });

  it('redirect-preflight-sends-request-origin: after a cross-origin hop the preflight carries the page origin, the request null', () => {
    const plan = planFetch(A, { url: `${B}/x`, method: 'PUT' }, { profile: 'firefox' });
    const next = checkRedirect(plan, corsTo(`${C}/y`, A, 307));
    expect(next).toMatchObject({ kind: 'follow', taintedOrigin: true });
    const hop = follow(next);
    expect(hop.preflight?.headers['origin']).toBe(A);
    expect(checkPreflight(hop, allow(A)).ok).toBe(true);
    expect(checkPreflight(hop, allow('null')).reason).toBe('preflight-allow-origin-mismatch');
    // The request itself is tainted: its response must allow null (or *).
    expect(checkResponse(hop, { status: 200, headers: { 'access-control-allow-origin': 'null' } }).ok).toBe(true);
    expect(checkResponse(hop, { status: 200, headers: { 'access-control-allow-origin': A } }).reason).toBe('allow-origin-mismatch');
    // The standard: the preflight says null.
    const spec = follow(checkRedirect(planFetch(A, { url: `${B}/x`, method: 'PUT' }), corsTo(`${C}/y`, A, 307)));
    expect(spec.preflight?.headers['origin']).toBe('null');
    expect(checkPreflight(spec, allow('null')).ok).toBe(true);
  });
});
