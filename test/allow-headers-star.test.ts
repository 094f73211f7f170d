// `*` beside header names in allowHeaders and exposeHeaders: validation, the preflight and actual
// answers, and the browser side (planFetch + checkPreflight/checkResponse) agreeing with decide()
// on every generated policy and request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPreflight, checkResponse, compilePolicy, lintPolicy, planFetch } from '../src/index.js';
import type { CorsPolicyInit } from '../src/types.js';

const PAGE = 'https://app.example.com';
const API = 'https://api.example.net/x';

const codes = (init: CorsPolicyInit): string[] => lintPolicy(init).map((i) => `${i.severity}:${i.code}:${i.path}`);

describe('validation', () => {
  it("accepts ['*', 'authorization'] without credentials, with no issue", () => {
    expect(codes({ origins: [PAGE], allowHeaders: ['*', 'authorization'] })).toEqual([]);
    expect(codes({ origins: [PAGE], allowHeaders: ['Authorization', '*'] })).toEqual([]);
  });
  it("refuses '*' beside names with credentials, naming the entry", () => {
    expect(codes({ origins: [PAGE], credentials: true, allowHeaders: ['*', 'authorization'] })).toEqual([
      'error:wildcard-with-credentials:allowHeaders[0]',
    ]);
    expect(codes({ origins: [PAGE], credentials: true, exposeHeaders: ['x-a', '*'] })).toEqual([
      'error:wildcard-with-credentials:exposeHeaders[1]',
    ]);
    expect(() => compilePolicy({ origins: [PAGE], credentials: true, allowHeaders: ['*', 'authorization'] })).toThrow(/literal header name/);
  });
  it("still refuses ['*'] alone (write '*') and '*' in methods", () => {
    expect(codes({ origins: [PAGE], allowHeaders: ['*'] })).toEqual(['error:wildcard-in-list:allowHeaders[0]']);
    expect(codes({ origins: [PAGE], methods: ['*', 'PUT'] })).toEqual(['error:wildcard-in-list:methods[0]']);
  });
  it('warns for names that * covers, but not for authorization, and not in a tiered policy', () => {
    expect(codes({ origins: [PAGE], allowHeaders: ['*', 'x-a', 'authorization'] })).toEqual([
      'warning:name-covered-by-wildcard:allowHeaders[1]',
    ]);
    expect(codes({ origins: [PAGE], exposeHeaders: ['*', 'x-a'] })).toEqual(['warning:name-covered-by-wildcard:exposeHeaders[1]']);
    expect(codes({ origins: '*', credentialedOrigins: [PAGE], allowHeaders: ['*', 'x-a', 'authorization'] })).toEqual([]);
  });
  it('a repeated * is a duplicate', () => {
    expect(codes({ origins: [PAGE], allowHeaders: ['*', 'authorization', '*'] })).toEqual(['warning:duplicate-name:allowHeaders[2]']);
  });
});

describe('answers', () => {
  it("answers '*, authorization' and allows Authorization only because it is listed", () => {
    const listed = compilePolicy({ origins: [PAGE], methods: ['PUT'], allowHeaders: ['*', 'x-covered', 'authorization'] });
    const pre = listed.decide({ method: 'OPTIONS', origin: PAGE, requestMethod: 'PUT', requestHeaders: 'authorization,x-anything' });
    expect(pre.allowed).toBe(true);
    expect(pre.headers['access-control-allow-headers']).toBe('*, authorization');
    const star = compilePolicy({ origins: [PAGE], methods: ['PUT'], allowHeaders: '*' });
    const denied = star.decide({ method: 'OPTIONS', origin: PAGE, requestMethod: 'PUT', requestHeaders: 'authorization' });
    expect(denied.allowed).toBe(false);
    expect(star.decide({ method: 'OPTIONS', origin: PAGE, requestMethod: 'PUT', requestHeaders: 'x-anything' }).allowed).toBe(true);
  });
  it('a tiered policy: * plus authorization anonymously, the names alone for credentialed origins', () => {
    const p = compilePolicy({ origins: '*', credentialedOrigins: [PAGE], methods: ['PUT'], allowHeaders: ['*', 'x-a', 'authorization'], exposeHeaders: ['*', 'x-id'] });
    const anon = p.decide({ method: 'OPTIONS', origin: 'https://other.example', requestMethod: 'PUT', requestHeaders: 'x-b' });
    expect(anon.headers['access-control-allow-headers']).toBe('*, authorization');
    const cred = p.decide({ method: 'OPTIONS', origin: PAGE, requestMethod: 'PUT', requestHeaders: 'authorization,x-a' });
    expect(cred.allowed).toBe(true);
    expect(cred.headers['access-control-allow-headers']).toBe('x-a, authorization');
    expect(p.decide({ method: 'OPTIONS', origin: PAGE, requestMethod: 'PUT', requestHeaders: 'x-b' }).allowed).toBe(false);
    expect(p.decide({ method: 'GET', origin: 'https://other.example' }).headers['access-control-expose-headers']).toBe('*');
    expect(p.decide({ method: 'GET', origin: PAGE }).headers['access-control-expose-headers']).toBe('x-id');
  });
});

// The server's answer, fed to the browser-side checks, is accepted exactly when decide() allowed.
describe('decide and precheck agree', () => {
  const NAMES = ['authorization', 'x-a', 'x-b', 'content-type'];
  const listArb = fc.subarray(NAMES).chain((names) => fc.shuffledSubarray(['*', ...names], { minLength: names.length, maxLength: names.length + 1 }));
  it('for every allowHeaders list with or without *, every requested header set, anonymous and tiered', () => {
    fc.assert(
      fc.property(listArb, fc.subarray(['authorization', 'x-a', 'x-b', 'x-c']), fc.boolean(), fc.boolean(), (list, requested, tiered, credentialedPage) => {
        fc.pre(list.length > 0 && !(list.length === 1 && list[0] === '*'));
        const init: CorsPolicyInit = tiered
          ? { origins: '*', credentialedOrigins: [PAGE], methods: ['PUT'], allowHeaders: list }
          : { origins: [PAGE], methods: ['PUT'], allowHeaders: list };
        const policy = compilePolicy(init);
        const headers: Record<string, string> = Object.fromEntries(requested.map((h) => [h, '1']));
        const plan = planFetch(PAGE, { url: API, method: 'PUT', headers, credentials: tiered && credentialedPage ? 'include' : 'omit' });
        const preflight = plan.preflight;
        expect(preflight).not.toBeNull();
        const decision = policy.decide({
          method: 'OPTIONS',
          origin: PAGE,
          requestMethod: preflight!.headers['access-control-request-method'],
          requestHeaders: preflight!.headers['access-control-request-headers'] ?? null,
        });
        const check = checkPreflight(plan, { status: decision.status ?? 204, headers: decision.headers });
        expect(check.ok, `${JSON.stringify(init)} ${JSON.stringify(requested)}: decide ${decision.reason}, browser ${check.reason}`).toBe(decision.allowed);
        const uncovered = requested.includes('authorization') && !list.includes('authorization');
        if (uncovered) expect(decision.allowed).toBe(false);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
  it('exposeHeaders with *: the browser reads every exposed header anonymously', () => {
    const policy = compilePolicy({ origins: [PAGE], exposeHeaders: ['*', 'x-id'] });
    const plan = planFetch(PAGE, { url: API });
    const decision = policy.decide({ method: 'GET', origin: PAGE });
    const res = checkResponse(plan, { status: 200, headers: { ...decision.headers, 'x-id': '1', 'x-other': '2' } });
    expect(res.ok).toBe(true);
    expect(res.exposedHeaders).toEqual(expect.arrayContaining(['x-id', 'x-other']));
  });
});
