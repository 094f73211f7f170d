// WebKit's CORS-preflight cache as the real-browser suite found it in WebKitGTK 2.50
// (src/precheck/engine-parameters.ts, WEBKIT_PREFLIGHT_CACHE and webkitMaxAge): each max-age the
// suite fed it, with what WebKit did, and a tainted preflight that is never found again.
import { describe, expect, it } from 'vitest';
import { specMaxAge, WEBKIT_PREFLIGHT_CACHE, webkitMaxAge } from '../src/precheck/engine-parameters.js';
import { checkRedirect, planFetch, PreflightCache } from '../src/precheck/index.js';
import type { FetchPlan } from '../src/types.js';

describe('webkitMaxAge: the values the suite fed WebKit', () => {
  // [value as Headers gives it, seconds WebKit kept the entry (the suite's observation), the standard's]
  const rows: [string | null, number, number, string][] = [
    [null, 5, 5, 'absent: the default (cached right after)'],
    ['0', 0, 0, 'expired at once'],
    ['-1', -1, 5, 'a signed integer: expired at once (the standard: not digits, 5 s)'],
    ['-0', 0, 5, 'expired at once (the standard: 5 s)'],
    ['+3', 3, 5, 'gone 3.5 s later (the standard: 5 s)'],
    ['+10', 10, 5, 'alive 5.5 s later'],
    ['abc', 5, 5, 'a failure: the 5 s default (gone 5.5 s later)'],
    ['10abc', 5, 5, 'trailing junk fails: 5 s'],
    ['1e3', 5, 5, 'not an integer: 5 s'],
    ['1.5', 5, 5, 'not an integer: 5 s'],
    ['10, 20', 5, 5, 'two values (or two fields, joined): 5 s'],
    ['', 5, 5, 'empty: 5 s'],
    ['010', 10, 10, 'leading zero: 10'],
    ['9223372036854775807', 600, Number('9223372036854775807'), '2^63 - 1 parses, capped at 600 (alive 5.5 s later)'],
    ['9223372036854775808', 5, Number('9223372036854775808'), '2^63 overflows: 5 s (gone 5.5 s later)'],
    ['99999999999999999999', 5, 1e20, 'overflows: 5 s'],
  ];
  for (const [value, webkit, spec, why] of rows) {
    it(`${JSON.stringify(value)}: ${why}`, () => {
      expect(webkitMaxAge(value), `webkitMaxAge(${JSON.stringify(value)})`).toBe(webkit);
      expect(specMaxAge(value), `specMaxAge(${JSON.stringify(value)})`).toBe(spec);
    });
  }
});

describe("WebKit's cache: a preflight after a cross-origin redirect is never found again", () => {
  const A = 'https://a.example';
  const B = 'https://b.example';
  const L = 'https://other.test';
  const now = 1_000_000;
  const put = { url: `${B}/x`, method: 'PUT' };
  const first = { status: 204, headers: { 'access-control-allow-origin': A, 'access-control-allow-methods': 'PUT', 'access-control-max-age': '60' } };
  const redirect = { status: 307, headers: { 'access-control-allow-origin': A, location: `${L}/y` } };
  const atTarget = { status: 204, headers: { 'access-control-allow-origin': 'null', 'access-control-allow-methods': 'PUT', 'access-control-max-age': '60' } };

  /** Both fetches of the walk; the second one's plan at the redirect target. */
  function walkTwice(cache: PreflightCache): FetchPlan {
    for (let round = 0; ; round++) {
      const hop0 = planFetch(A, put, { cache, now: now + round });
      if (round === 0) cache.record(hop0, first, now);
      const next = checkRedirect(hop0, redirect);
      if (next.kind !== 'follow') throw new Error(`checkRedirect: ${next.reason}`);
      if (round === 1) return next.plan;
      cache.record(next.plan, atTarget, now);
    }
  }

  it('the standard: the second fetch finds the tainted (Origin null) preflight', () => {
    const target = walkTwice(new PreflightCache());
    expect({ needsPreflight: target.needsPreflight, preflightCache: target.preflightCache }).toEqual({ needsPreflight: false, preflightCache: 'hit' });
  });

  it("WebKit's parameters: preflighted again (a fresh opaque origin each time)", () => {
    expect(WEBKIT_PREFLIGHT_CACHE.cachesTaintedOrigins).toBe(false);
    const target = walkTwice(new PreflightCache({ parameters: { cachesTaintedOrigins: false } }));
    expect({ needsPreflight: target.needsPreflight, preflightCache: target.preflightCache }).toEqual({ needsPreflight: true, preflightCache: 'miss' });
  });
});
