// checkPreflight and checkResponse (src/precheck/checks.ts): the CORS check, the preflight's
// status, methods and headers (with the `*` rules and the Authorization exception), response
// types and the readable headers; records and Headers objects, case, whitespace, repeats.
import { describe, expect, it } from 'vitest';
import { checkPreflight, checkResponse, planFetch } from '../src/precheck/index.js';
import type { FetchInit, FetchPlan, ResponseLike } from '../src/types.js';

const PAGE = 'https://app.example.com';
const API = 'https://api.example.net/x';
const show = (x: unknown): string => JSON.stringify(x);

interface PreRow {
  desc: string;
  init: Omit<FetchInit, 'url'>;
  headers: Record<string, string> | [string, string][];
  status?: number;
  want: string;
  profile?: 'spec' | 'chromium';
  page?: string;
}

function asHeaders(h: Record<string, string> | [string, string][]): Headers | Record<string, string> {
  if (!Array.isArray(h)) return h;
  const headers = new Headers();
  for (const [n, v] of h) headers.append(n, v);
  return headers;
}

const put: Omit<FetchInit, 'url'> = { method: 'PUT', headers: { 'X-Custom': '1' } };
const putCred: Omit<FetchInit, 'url'> = { ...put, credentials: 'include' };
const ok = { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT', 'Access-Control-Allow-Headers': 'x-custom' };

describe('checkPreflight', () => {
  const rows: PreRow[] = [
    { desc: 'allowed', init: put, headers: ok, want: 'ok' },
    { desc: 'status 200', init: put, headers: ok, status: 200, want: 'ok' },
    { desc: 'status 299 (last ok status)', init: put, headers: ok, status: 299, want: 'ok' },
    { desc: 'status 300', init: put, headers: ok, status: 300, want: 'preflight-invalid-status' },
    { desc: 'status 199', init: put, headers: ok, status: 199, want: 'preflight-invalid-status' },
    { desc: 'status 500 and no ACAO: the CORS check is reported first', init: put, headers: {}, status: 500, want: 'preflight-missing-allow-origin-header' },
    { desc: 'ACAO absent', init: put, headers: { 'Access-Control-Allow-Methods': 'PUT' }, want: 'preflight-missing-allow-origin-header' },
    { desc: 'ACAO * without credentials', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': '*' }, want: 'ok' },
    { desc: 'ACAO * with credentials', init: putCred, headers: { ...ok, 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' }, want: 'preflight-wildcard-origin-not-allowed' },
    { desc: 'ACAO another origin', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': 'https://other.example' }, want: 'preflight-allow-origin-mismatch' },
    { desc: 'ACAO with two values', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': `${PAGE}, ${PAGE}` }, want: 'preflight-multiple-allow-origin-values' },
    { desc: 'ACAO repeated (joined with ", ")', init: put, headers: [['Access-Control-Allow-Origin', PAGE], ['access-control-allow-origin', PAGE], ['Access-Control-Allow-Methods', 'PUT'], ['Access-Control-Allow-Headers', 'x-custom']], want: 'preflight-multiple-allow-origin-values' },
    { desc: 'ACAO not a URL', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': 'foo' }, want: 'preflight-invalid-allow-origin-value' },
    { desc: 'ACAO with a trailing slash', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': `${PAGE}/` }, want: 'preflight-allow-origin-mismatch' },
    { desc: 'ACAO with whitespace around it (a server sent it)', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': ` ${PAGE}\t` }, want: 'ok' },
    { desc: 'header names in any case', init: put, headers: { 'ACCESS-CONTROL-ALLOW-ORIGIN': PAGE, 'access-control-allow-methods': 'PUT', 'Access-Control-Allow-HEADERS': 'X-CUSTOM' }, want: 'ok' },
    { desc: 'credentials, ACAC absent', init: putCred, headers: ok, want: 'preflight-invalid-allow-credentials' },
    { desc: 'credentials, ACAC TRUE (exactly true only)', init: putCred, headers: { ...ok, 'Access-Control-Allow-Credentials': 'TRUE' }, want: 'preflight-invalid-allow-credentials' },
    { desc: 'credentials, ACAC true', init: putCred, headers: { ...ok, 'Access-Control-Allow-Credentials': 'true' }, want: 'ok' },
    { desc: 'credentials same-origin ignores ACAC', init: { ...put, credentials: 'same-origin' }, headers: { ...ok, 'Access-Control-Allow-Credentials': 'nope' }, want: 'ok' },
    { desc: 'ACAM absent', init: put, headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Headers': 'x-custom' }, want: 'method-disallowed-by-preflight-response' },
    { desc: 'ACAM not a list', init: put, headers: { ...ok, 'Access-Control-Allow-Methods': 'GET PUT' }, want: 'invalid-allow-methods-preflight-response' },
    { desc: 'ACAM with empty elements', init: put, headers: { ...ok, 'Access-Control-Allow-Methods': ' ,PUT,, ' }, want: 'ok' },
    { desc: 'ACAM put for PUT (byte-for-byte)', init: put, headers: { ...ok, 'Access-Control-Allow-Methods': 'put' }, want: 'method-disallowed-by-preflight-response' },
    { desc: 'ACAM PATCH for patch (byte-for-byte)', init: { method: 'patch' }, headers: { ...ok, 'Access-Control-Allow-Methods': 'PATCH' }, want: 'method-disallowed-by-preflight-response' },
    { desc: 'ACAM patch for patch', init: { method: 'patch' }, headers: { ...ok, 'Access-Control-Allow-Methods': 'patch' }, want: 'ok' },
    { desc: 'ACAM * without credentials', init: put, headers: { ...ok, 'Access-Control-Allow-Methods': '*' }, want: 'ok' },
    { desc: 'ACAM * with credentials is a literal *', init: putCred, headers: { ...ok, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Methods': '*' }, want: 'method-disallowed-by-preflight-response' },
    { desc: 'ACAM absent is fine for POST (safelisted method)', init: { method: 'POST', headers: { 'X-Custom': '1' } }, headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Headers': 'x-custom' }, want: 'ok' },
    { desc: 'ACAH absent', init: put, headers: { 'Access-Control-Allow-Origin': PAGE, 'Access-Control-Allow-Methods': 'PUT' }, want: 'header-disallowed-by-preflight-response' },
    { desc: 'ACAH not a list', init: put, headers: { ...ok, 'Access-Control-Allow-Headers': 'x-a x-custom' }, want: 'invalid-allow-headers-preflight-response' },
    { desc: 'ACAH * without credentials', init: put, headers: { ...ok, 'Access-Control-Allow-Headers': '*' }, want: 'ok' },
    { desc: 'ACAH * with credentials is a literal *', init: putCred, headers: { ...ok, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': '*' }, want: 'header-disallowed-by-preflight-response' },
    { desc: 'Authorization is not covered by *', init: { headers: { Authorization: 'x' } }, headers: { ...ok, 'Access-Control-Allow-Headers': '*' }, want: 'header-disallowed-by-preflight-response' },
    { desc: 'Authorization listed by name (any case) with *', init: { headers: { Authorization: 'x' } }, headers: { ...ok, 'Access-Control-Allow-Headers': '*, AUTHORIZATION' }, want: 'ok' },
    { desc: "Authorization with *, profile 'chromium'", init: { headers: { Authorization: 'x' } }, headers: { ...ok, 'Access-Control-Allow-Headers': '*' }, want: 'ok', profile: 'chromium' },
    { desc: "Authorization with * and credentials, profile 'chromium'", init: { headers: { Authorization: 'x' }, credentials: 'include' }, headers: { ...ok, 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Allow-Headers': '*' }, want: 'header-disallowed-by-preflight-response', profile: 'chromium' },
    { desc: 'opaque origin, ACAO null', init: put, headers: { ...ok, 'Access-Control-Allow-Origin': 'null' }, want: 'ok', page: 'null' },
    { desc: 'opaque origin, ACAO the page', init: put, headers: ok, want: 'preflight-allow-origin-mismatch', page: 'null' },
  ];
  for (const row of rows) {
    it(row.desc, () => {
      const plan = planFetch(row.page ?? PAGE, { url: API, ...row.init }, { profile: row.profile ?? 'spec' });
      const got = checkPreflight(plan, { status: row.status ?? 204, headers: asHeaders(row.headers) });
      expect(got.reason, `checkPreflight(${show(row.init)}, ${show(row.headers)}): got ${got.reason}; want ${row.want}`).toBe(row.want);
      expect(got.ok).toBe(row.want === 'ok');
    });
  }
  it('a plan without a preflight has none to accept', () => {
    expect(checkPreflight(planFetch(PAGE, { url: API }), { status: 204, headers: ok })).toEqual({ ok: false, reason: 'no-preflight' });
  });
  it('a plan that errors keeps its error', () => {
    expect(checkPreflight(planFetch(PAGE, { url: API, method: 'TRACE' }), { status: 204, headers: ok }).reason).toBe('forbidden-method');
  });
  it('an object planFetch did not make (or a copy) is not a plan', () => {
    const copy = JSON.parse(JSON.stringify(planFetch(PAGE, { url: API, method: 'PUT' }))) as FetchPlan;
    expect(checkPreflight(copy, { status: 204, headers: ok })).toEqual({ ok: false, reason: 'not-a-plan' });
    expect(checkResponse(copy, { status: 200, headers: ok }).reason).toBe('not-a-plan');
  });
  it('a non-object response is a TypeError naming res', () => {
    expect(() => checkPreflight(planFetch(PAGE, { url: API }), null as unknown as ResponseLike)).toThrow(/checkPreflight\(res\)/);
  });
  it('a non-number status is not an ok status', () => {
    const plan = planFetch(PAGE, { url: API, ...put });
    expect(checkPreflight(plan, { status: '204' as unknown as number, headers: ok }).reason).toBe('preflight-invalid-status');
  });
});

describe('checkResponse', () => {
  const base: [string, string][] = [
    ['Content-Type', 'text/plain'],
    ['Cache-Control', 'no-cache'],
    ['X-A', '1'],
    ['X-B', '2'],
    ['Set-Cookie', 'a=b'],
    ['Set-Cookie2', 'c=d'],
    ['Date', 'today'],
  ];
  const rows: { desc: string; init: Omit<FetchInit, 'url'>; url?: string; headers: [string, string][]; want: { ok: boolean; reason: string; type: string; exposedHeaders: string[] } }[] = [
    { desc: 'ACAO absent', init: {}, headers: base, want: { ok: false, reason: 'missing-allow-origin-header', type: 'cors', exposedHeaders: [] } },
    { desc: 'ACAO *: only safelisted names readable', init: {}, headers: [['Access-Control-Allow-Origin', '*'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['cache-control', 'content-type'] } },
    { desc: 'ACAO * with credentials', init: { credentials: 'include' }, headers: [['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Credentials', 'true']], want: { ok: false, reason: 'wildcard-origin-not-allowed', type: 'cors', exposedHeaders: [] } },
    { desc: 'ACAO null from a tuple origin', init: {}, headers: [['Access-Control-Allow-Origin', 'null']], want: { ok: false, reason: 'allow-origin-mismatch', type: 'cors', exposedHeaders: [] } },
    { desc: 'credentials, ACAC false', init: { credentials: 'include' }, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'false']], want: { ok: false, reason: 'invalid-allow-credentials', type: 'cors', exposedHeaders: [] } },
    { desc: 'credentials, ACAC true repeated ("true, true")', init: { credentials: 'include' }, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Credentials', 'true']], want: { ok: false, reason: 'invalid-allow-credentials', type: 'cors', exposedHeaders: [] } },
    { desc: 'ACEH names, any case', init: {}, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', 'X-A, x-b'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['cache-control', 'content-type', 'x-a', 'x-b'] } },
    { desc: 'ACEH *: every name but Set-Cookie', init: {}, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', '*'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['access-control-allow-origin', 'access-control-expose-headers', 'cache-control', 'content-type', 'date', 'x-a', 'x-b'] } },
    { desc: 'ACEH * with credentials is a literal *', init: { credentials: 'include' }, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Expose-Headers', '*'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['cache-control', 'content-type'] } },
    { desc: 'ACEH naming Set-Cookie', init: {}, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', 'set-cookie, set-cookie2, x-a'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['cache-control', 'content-type', 'x-a'] } },
    { desc: 'ACEH not a list exposes nothing extra', init: {}, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', 'x-a x-b'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['cache-control', 'content-type'] } },
    { desc: 'ACEH in two fields', init: {}, headers: [['Access-Control-Allow-Origin', PAGE], ['Access-Control-Expose-Headers', 'x-a'], ['access-control-expose-headers', 'x-b'], ...base], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['cache-control', 'content-type', 'x-a', 'x-b'] } },
    { desc: 'a 500 passes the CORS check', init: {}, headers: [['Access-Control-Allow-Origin', '*']], want: { ok: true, reason: 'ok', type: 'cors', exposedHeaders: [] } },
    { desc: 'same origin: basic, all but Set-Cookie', init: { credentials: 'include' }, url: `${PAGE}/x`, headers: base, want: { ok: true, reason: 'ok', type: 'basic', exposedHeaders: ['cache-control', 'content-type', 'date', 'x-a', 'x-b'] } },
    { desc: 'no-cors: opaque, nothing readable', init: { mode: 'no-cors' }, headers: base, want: { ok: true, reason: 'ok', type: 'opaque', exposedHeaders: [] } },
    { desc: 'a refused request', init: { mode: 'same-origin' }, headers: base, want: { ok: false, reason: 'disallowed-by-mode', type: 'opaque', exposedHeaders: [] } },
  ];
  for (const row of rows) {
    for (const form of ['Headers', 'record'] as const) {
      const repeated = new Set(row.headers.map(([n]) => n.toLowerCase())).size !== row.headers.length;
      if (form === 'record' && repeated) continue; // a record cannot repeat a name (tested through case below)
      it(`${row.desc} (${form})`, () => {
        const plan = planFetch(PAGE, { url: row.url ?? API, ...row.init });
        const headers = form === 'Headers' ? asHeaders(row.headers) : Object.fromEntries(row.headers);
        const got = checkResponse(plan, { status: row.desc.includes('500') ? 500 : 200, headers });
        expect(got, `checkResponse(${row.desc}): got ${show(got)}; want ${show(row.want)}`).toEqual(row.want);
      });
    }
  }
  it('a record with one name in two cases is joined like a repeated field', () => {
    const plan = planFetch(PAGE, { url: API });
    const got = checkResponse(plan, { status: 200, headers: { 'Access-Control-Allow-Origin': PAGE, 'access-control-allow-origin': PAGE } });
    expect(got.reason).toBe('multiple-allow-origin-values');
  });
  it('record entries that are no header (bad name, non-string value) are left out', () => {
    const plan = planFetch(PAGE, { url: API });
    const headers = { 'Access-Control-Allow-Origin': 1, 'Bad Name': 'x' } as unknown as Record<string, string>;
    expect(checkResponse(plan, { status: 200, headers }).reason).toBe('missing-allow-origin-header');
  });
});

describe('reason codes', () => {
  it('every code has its text, and CORS errors map to DevTools names', async () => {
    const { PRECHECK_REASONS, corsErrorNameOf } = await import('../src/precheck/index.js');
    for (const [code, text] of Object.entries(PRECHECK_REASONS)) expect(text.length, code).toBeGreaterThan(10);
    const rows: [string, string | null][] = [
      ['missing-allow-origin-header', 'MissingAllowOriginHeader'],
      ['preflight-invalid-status', 'PreflightInvalidStatus'],
      ['invalid-allow-methods-preflight-response', 'InvalidAllowMethodsPreflightResponse'],
      ['disallowed-by-mode', 'DisallowedByMode'],
      ['invalid-url', null],
      ['ok', null],
      ['no-such-code', null],
    ];
    for (const [reason, want] of rows) expect(corsErrorNameOf(reason), `corsErrorNameOf(${reason})`).toBe(want);
  });
});

describe('the README browser example', () => {
  it('gives the answers the document shows', () => {
    const plan = planFetch('https://app.example.com', { url: 'https://api.example.net/v1/items', method: 'PATCH', headers: { 'Content-Type': 'application/json' }, credentials: 'include' }, { profile: 'chromium' });
    expect(plan.preflightReasons).toEqual(['method-not-safelisted:PATCH', 'header-not-safelisted:content-type']);
    expect(checkPreflight(plan, { status: 204, headers: { 'Access-Control-Allow-Origin': 'https://app.example.com', 'Access-Control-Allow-Methods': '*', 'Access-Control-Allow-Headers': 'content-type' } })).toEqual({ ok: false, reason: 'preflight-invalid-allow-credentials' });
    const headers = new Headers({ 'Access-Control-Allow-Origin': 'https://app.example.com', 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Expose-Headers': 'x-request-id', 'X-Request-Id': '42', 'Set-Cookie': 'a=b', 'Content-Type': 'application/json' });
    expect(checkResponse(plan, { status: 200, headers })).toEqual({ ok: true, reason: 'ok', type: 'cors', exposedHeaders: ['content-type', 'x-request-id'] });
  });
});
