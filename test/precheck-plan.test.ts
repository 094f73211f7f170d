// planFetch (src/precheck): the Request constructor's refusals, main fetch's branches, the
// preflight decision and the preflight request, for both profiles; the PSL-free same-site answer
// of the small entry; totality.
import { describe, expect, it, vi } from 'vitest';
import { planFetch } from '../src/precheck/index.js';
import { planFetch as planFetchLite } from '../src/precheck/lite.js';
import type { FetchInit, FetchPlan } from '../src/types.js';

const PAGE = 'https://app.example.com';
const API = 'https://api.example.net/v1/items';
const show = (x: unknown): string => JSON.stringify(x);

type Want = Partial<Omit<FetchPlan, 'preflight'>> & { acrh?: string | null; acrm?: string };

function check(desc: string, page: string, init: FetchInit, want: Want, profile: 'spec' | 'chromium' | 'firefox' = 'spec'): void {
  it(desc, () => {
    const plan = planFetch(page, init, { profile });
    const label = `planFetch(${show(page)}, ${show(init)}, ${profile})`;
    for (const key of ['error', 'sameOrigin', 'sameSite', 'needsPreflight', 'preflightReasons'] as const) {
      if (want[key] !== undefined) expect(plan[key], `${label}.${key}: got ${show(plan[key])}; want ${show(want[key])}`).toEqual(want[key]);
    }
    if (want.acrh !== undefined) {
      expect(plan.preflight?.headers['access-control-request-headers'] ?? null, `${label} ACRH`).toBe(want.acrh);
    }
    if (want.acrm !== undefined) expect(plan.preflight?.headers['access-control-request-method'], `${label} ACRM`).toBe(want.acrm);
    expect(plan.preflight !== null, `${label}: preflight present iff needsPreflight`).toBe(plan.needsPreflight);
  });
}

describe('planFetch: the Request constructor (TypeErrors before anything is sent)', () => {
  check('TRACE is forbidden', PAGE, { url: API, method: 'TRACE' }, { error: 'forbidden-method' });
  check('connect in lower case is forbidden', PAGE, { url: API, method: 'connect' }, { error: 'forbidden-method' });
  check('a method with a space is invalid', PAGE, { url: API, method: 'BAD METHOD' }, { error: 'invalid-method' });
  check('the empty method is invalid', PAGE, { url: API, method: '' }, { error: 'invalid-method' });
  check('a method beyond Latin-1 is invalid', PAGE, { url: API, method: 'G\u0100T' }, { error: 'invalid-method' });
  check('no-cors with PUT', PAGE, { url: API, method: 'PUT', mode: 'no-cors' }, { error: 'method-not-allowed-in-no-cors-mode' });
  check('a URL with credentials', PAGE, { url: 'https://u:p@api.example.net/' }, { error: 'url-includes-credentials' });
  check('a URL with only a username', PAGE, { url: 'https://u@api.example.net/' }, { error: 'url-includes-credentials' });
  check('a URL with an empty userinfo is fine', PAGE, { url: 'https://:@api.example.net/' }, { error: null });
  check('an @ in the path is not userinfo', PAGE, { url: 'https://api.example.net/a@b' }, { error: null });
  check('an unparsable URL', PAGE, { url: 'https://[::1/x' }, { error: 'invalid-url' });
  check('an empty URL is the page itself (relative)', PAGE, { url: '' }, { error: null, sameOrigin: true });
  check('a header name with a space', PAGE, { url: API, headers: { 'Bad Name': '1' } }, { error: 'invalid-header-name' });
  check('an empty header name', PAGE, { url: API, headers: { '': '1' } }, { error: 'invalid-header-name' });
  check('a header value with LF', PAGE, { url: API, headers: { 'X-A': 'a\nb' } }, { error: 'invalid-header-value' });
  check('a header value with NUL', PAGE, { url: API, headers: { 'X-A': 'a\u0000b' } }, { error: 'invalid-header-value' });
  check('a header value beyond Latin-1', PAGE, { url: API, headers: { 'X-A': '\u20ac' } }, { error: 'invalid-header-value' });
  check('a header pair of three items', PAGE, { url: API, headers: [['a', 'b', 'c'] as unknown as [string, string]] }, { error: 'invalid-headers' });
  check('an unknown mode', PAGE, { url: API, mode: 'navigate' as 'cors' }, { error: 'invalid-mode' });
  check('an unknown credentials mode', PAGE, { url: API, credentials: 'always' as 'omit' }, { error: 'invalid-credentials-mode' });
  check('an unknown page origin', 'not a url', { url: API }, { error: 'invalid-page-origin' });
  it('an unknown profile denies', () => {
    expect(planFetch(PAGE, { url: API }, { profile: 'opera' as 'spec' }).error).toBe('unknown-profile');
    // The package root registers the engine profiles itself (the small browser entry needs useEngineProfiles()).
    expect(planFetch(PAGE, { url: API }, { profile: 'firefox' }).error).toBeNull();
  });
});

describe('planFetch: main fetch branches', () => {
  check('same origin: basic, never a preflight', PAGE, { url: `${PAGE}/x`, method: 'DELETE', headers: { 'X-A': '1' } }, { sameOrigin: true, sameSite: true, needsPreflight: false, error: null });
  check('same origin with the default port written out', PAGE, { url: 'https://app.example.com:443/x' }, { sameOrigin: true });
  check('a relative path is same origin', `${PAGE}/dir/page.html`, { url: 'other', method: 'PUT' }, { sameOrigin: true, needsPreflight: false });
  check('a scheme-relative URL takes the page scheme', PAGE, { url: '//api.example.net/x', method: 'PUT' }, { sameOrigin: false, needsPreflight: true });
  check('mode same-origin to another origin: network error', PAGE, { url: API, mode: 'same-origin' }, { error: 'disallowed-by-mode' });
  check('mode same-origin to the same origin', PAGE, { url: `${PAGE}/x`, mode: 'same-origin' }, { error: null, sameOrigin: true });
  check('a data: URL is basic in every mode', PAGE, { url: 'data:,x', mode: 'same-origin', method: 'PUT' }, { error: null, needsPreflight: false });
  check('no-cors: no preflight whatever the headers', PAGE, { url: API, mode: 'no-cors', headers: { 'X-A': '1', 'Content-Type': 'application/json' } }, { needsPreflight: false, error: null });
  check('an ftp: URL in cors mode', PAGE, { url: 'ftp://example.net/x' }, { error: 'cors-disabled-scheme' });
  check('a ws: URL in no-cors mode', PAGE, { url: 'ws://example.net/x', mode: 'no-cors' }, { error: 'cors-disabled-scheme' });
  check('http page, https API: cross-origin and cross-site', 'http://app.example.com', { url: 'https://app.example.com/x' }, { sameOrigin: false, sameSite: false });
  check('another subdomain: same site (PSL)', PAGE, { url: 'https://api.example.com/x' }, { sameOrigin: false, sameSite: true });
  check('two github.io sites: not same site (PSL private section)', 'https://a.github.io', { url: 'https://b.github.io/x' }, { sameSite: false });
  check('an opaque page origin is never same origin', 'null', { url: `${PAGE}/x` }, { sameOrigin: false, sameSite: false, needsPreflight: false });
  check('an opaque page origin with a relative URL: no base', 'null', { url: '/x' }, { error: 'invalid-url' });
});

describe('planFetch: the preflight decision and Access-Control-Request-*', () => {
  check('GET: simple', PAGE, { url: API }, { needsPreflight: false, preflightReasons: [] });
  check('get in lower case is normalised to GET', PAGE, { url: API, method: 'get' }, { needsPreflight: false });
  check('pOsT is normalised', PAGE, { url: API, method: 'pOsT' }, { needsPreflight: false });
  check('delete is normalised to DELETE', PAGE, { url: API, method: 'delete' }, { acrm: 'DELETE', preflightReasons: ['method-not-safelisted:DELETE'] });
  check('patch stays patch', PAGE, { url: API, method: 'patch' }, { acrm: 'patch' });
  check('an unknown token stays as written', PAGE, { url: API, method: 'Query' }, { acrm: 'Query' });
  check('ACRH is sorted, lower-case, unique, comma-joined without spaces', PAGE, { url: API, headers: [['X-B', '1'], ['x-a', '2'], ['X-b', '3'], ['Content-Type', 'application/json']] }, { acrh: 'content-type,x-a,x-b' });
  check('no ACRH for a method-only preflight', PAGE, { url: API, method: 'PUT', headers: { Accept: 'x' } }, { acrh: null });
  check('forbidden request headers are dropped, not preflighted', PAGE, { url: API, headers: { Cookie: 'a', Origin: 'x', 'Sec-X': '1', 'Proxy-X': '1', Host: 'h', 'X-HTTP-Method-Override': 'TRACE' } }, { needsPreflight: false });
  check('X-HTTP-Method-Override: PATCH is kept (unsafe)', PAGE, { url: API, headers: { 'X-HTTP-Method-Override': 'PATCH' } }, { acrh: 'x-http-method-override' });
  check('header values are normalised before the checks', PAGE, { url: API, headers: { 'Content-Type': '  text/plain\t' } }, { needsPreflight: false });
  check('Authorization is preflighted', PAGE, { url: API, headers: { Authorization: 'Bearer x' } }, { acrh: 'authorization', preflightReasons: ['header-not-safelisted:authorization'] });
  check('1024 bytes of safelisted values: no preflight', PAGE, { url: API, headers: Array.from({ length: 8 }, () => ['Accept', 'x'.repeat(128)] as [string, string]) }, { needsPreflight: false });
  check('1025 bytes: every safelisted name is preflighted', PAGE, { url: API, headers: [...Array.from({ length: 8 }, () => ['Accept', 'x'.repeat(128)] as [string, string]), ['Content-Language', 'x']] }, { acrh: 'accept,content-language', preflightReasons: ['safelisted-total-over-1024:accept', 'safelisted-total-over-1024:content-language'] });
  check('a 129-byte Accept', PAGE, { url: API, headers: { Accept: 'a'.repeat(129) } }, { acrh: 'accept' });
  check('User-Agent is preflighted by the standard', PAGE, { url: API, headers: { 'User-Agent': 'x' } }, { acrh: 'user-agent' });
  check('DPR is preflighted by the standard', PAGE, { url: API, headers: { DPR: '2' } }, { acrh: 'dpr' });
  check('Range bytes=0- is safelisted', PAGE, { url: API, headers: { Range: 'bytes=0-' } }, { needsPreflight: false });
  check('Range bytes=-5 is not', PAGE, { url: API, headers: { Range: 'bytes=-5' } }, { acrh: 'range' });
  it('the preflight request carries Accept, ACRM, ACRH and Origin, at the URL without its fragment', () => {
    const plan = planFetch(PAGE, { url: `${API}?q=1#frag`, method: 'PUT', headers: { 'X-A': '1' } });
    expect(plan.preflight).toEqual({
      method: 'OPTIONS',
      url: `${API}?q=1`,
      headers: { accept: '*/*', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-a', origin: PAGE },
    });
  });
  it('from an opaque origin the preflight carries Origin: null', () => {
    expect(planFetch('null', { url: API, method: 'PUT' }).preflight?.headers['origin']).toBe('null');
  });
  it('plans are frozen', () => {
    const plan = planFetch(PAGE, { url: API, method: 'PUT' });
    expect(Object.isFrozen(plan) && Object.isFrozen(plan.preflightReasons) && Object.isFrozen(plan.preflight)).toBe(true);
  });
});

describe("planFetch, profile 'chromium' (each deviation)", () => {
  check('repeated headers are safelisted on their combined value', PAGE, { url: API, headers: [['Accept', 'a'.repeat(100)], ['Accept', 'b'.repeat(100)]] }, { acrh: 'accept' }, 'chromium');
  check('the standard reads them one by one', PAGE, { url: API, headers: [['Accept', 'a'.repeat(100)], ['Accept', 'b'.repeat(100)]] }, { needsPreflight: false }, 'spec');
  check('two text/plain Content-Types combined are no MIME type', PAGE, { url: API, headers: [['Content-Type', 'text/plain'], ['Content-Type', 'text/plain']] }, { acrh: 'content-type' }, 'chromium');
  check('DPR 2 is safelisted', PAGE, { url: API, headers: { DPR: '2' } }, { needsPreflight: false }, 'chromium');
  check('DPR 2. is not', PAGE, { url: API, headers: { DPR: '2.' } }, { acrh: 'dpr' }, 'chromium');
  check('ECT slow-2g is safelisted', PAGE, { url: API, headers: { ECT: 'slow-2g' } }, { needsPreflight: false }, 'chromium');
  check('ECT 5g is not', PAGE, { url: API, headers: { ECT: '5g' } }, { acrh: 'ect' }, 'chromium');
  check('Save-Data ON is safelisted', PAGE, { url: API, headers: { 'Save-Data': 'ON' } }, { needsPreflight: false }, 'chromium');
  check('Width of 129 digits is not', PAGE, { url: API, headers: { Width: '1'.repeat(129) } }, { acrh: 'width' }, 'chromium');
  check('Range at 2^63 - 2 is safelisted', PAGE, { url: API, headers: { Range: 'bytes=9223372036854775806-' } }, { needsPreflight: false }, 'chromium');
  check('Range at 2^63 - 1 is not', PAGE, { url: API, headers: { Range: 'bytes=9223372036854775807-' } }, { acrh: 'range' }, 'chromium');
  check('User-Agent is dropped', PAGE, { url: API, headers: { 'User-Agent': 'x' } }, { needsPreflight: false }, 'chromium');
});

describe("planFetch, profile 'firefox' (each deviation; test/browser/scenarios.ts shows Firefox 153 doing it)", () => {
  check('non-ascii-value-unsafe: Accept with é', PAGE, { url: API, headers: { Accept: 'caf\u00e9' } }, { acrh: 'accept' }, 'firefox');
  check('the standard safelists it', PAGE, { url: API, headers: { Accept: 'caf\u00e9' } }, { needsPreflight: false }, 'spec');
  check('non-ascii-value-unsafe: Content-Type with a byte 0x80', PAGE, { url: API, headers: { 'Content-Type': 'text/plain;x=\u0080' } }, { acrh: 'content-type' }, 'firefox');
  check('ASCII Accept stays safelisted', PAGE, { url: API, headers: { Accept: 'text/html' } }, { needsPreflight: false }, 'firefox');
  check('range-bound-limit: 2^64 - 1 is safelisted', PAGE, { url: API, headers: { Range: 'bytes=18446744073709551615-' } }, { needsPreflight: false }, 'firefox');
  check('range-bound-limit: 2^64 is not', PAGE, { url: API, headers: { Range: 'bytes=18446744073709551616-' } }, { acrh: 'range' }, 'firefox');
  check('range-bound-limit: leading zeros do not count', PAGE, { url: API, headers: { Range: 'bytes=000018446744073709551615-' } }, { needsPreflight: false }, 'firefox');
  check('no-safelisted-total-limit: nine Accept values of 120 bytes', PAGE, { url: API, headers: Array.from({ length: 9 }, () => ['Accept', 'x'.repeat(120)] as [string, string]) }, { needsPreflight: false }, 'firefox');
  check('the standard preflights them (1080 > 1024)', PAGE, { url: API, headers: Array.from({ length: 9 }, () => ['Accept', 'x'.repeat(120)] as [string, string]) }, { acrh: 'accept', preflightReasons: ['safelisted-total-over-1024:accept'] }, 'spec');
  check('repeated-names-in-request-headers: one name per entry, sorted', PAGE, { url: API, headers: [['X-B', '1'], ['x-a', '2'], ['X-A', '3']] }, { acrh: 'x-a,x-a,x-b' }, 'firefox');
  check('the standard makes a set', PAGE, { url: API, headers: [['X-B', '1'], ['x-a', '2'], ['X-A', '3']] }, { acrh: 'x-a,x-b' }, 'spec');
  check('User-Agent is an unsafe header (as the standard)', PAGE, { url: API, headers: { 'User-Agent': 'x' } }, { acrh: 'user-agent' }, 'firefox');
  check('client hints are not safelisted (as the standard)', PAGE, { url: API, headers: { DPR: '2' } }, { acrh: 'dpr' }, 'firefox');
});

describe('planFetch: a body (Request constructor step 34, extract step 36)', () => {
  check('GET with a body is a TypeError', PAGE, { url: API, body: 'x' }, { error: 'body-with-get-or-head' });
  check('HEAD with a body is a TypeError', PAGE, { url: API, method: 'head', body: new Blob(['x']) }, { error: 'body-with-get-or-head' });
  check('GET with body null is fine', PAGE, { url: API, body: null }, { error: null, needsPreflight: false });
  check('POST with a string: text/plain;charset=UTF-8 is added, safelisted', PAGE, { url: API, method: 'POST', body: 'x' }, { needsPreflight: false });
  check('POST with URLSearchParams: safelisted', PAGE, { url: API, method: 'POST', body: new URLSearchParams('a=1') }, { needsPreflight: false });
  check('POST with a JSON Blob: its type is added, unsafe', PAGE, { url: API, method: 'POST', body: new Blob(['{}'], { type: 'application/json' }) }, { acrh: 'content-type' });
  check('POST with a string and a JSON Content-Type: the given one stays', PAGE, { url: API, method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }, { acrh: 'content-type' });
  check('POST with an ArrayBuffer: no type, nothing added', PAGE, { url: API, method: 'POST', body: new ArrayBuffer(2) }, { needsPreflight: false });
});

describe('planFetch from the small entry (no PSL)', () => {
  const rows: { desc: string; page: string; url: string; want: boolean }[] = [
    { desc: 'same host, other port', page: 'http://127.0.0.1:1', url: 'http://127.0.0.1:2/', want: true },
    { desc: 'IP against a name', page: 'http://127.0.0.1', url: 'http://localhost/', want: false },
    { desc: 'other scheme', page: 'http://a.example.com', url: 'https://a.example.com/', want: false },
    { desc: 'other registrable domains (last two labels differ)', page: 'https://a.example.com', url: 'https://b.example.net/', want: false },
    { desc: 'opaque page', page: 'null', url: 'https://a.example.com/', want: false },
  ];
  for (const { desc, page, url, want } of rows) {
    it(desc, () => expect(planFetchLite(page, { url }).sameSite, `planFetchLite(${show(page)}, ${show(url)}).sameSite`).toBe(want));
  }
  it('a pair that needs the PSL answers false and warns once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(planFetchLite('https://a.example.com', { url: 'https://b.example.com/' }).sameSite).toBe(false);
    planFetchLite('https://a.example.com', { url: 'https://c.example.com/' });
    expect(warn.mock.calls.length).toBeLessThanOrEqual(1);
    warn.mockRestore();
  });
  it('with registrableDomain the pair is exact', () => {
    const registrableDomain = (host: string): string => host.split('.').slice(-2).join('.');
    expect(planFetchLite('https://a.example.com', { url: 'https://b.example.com/' }, { registrableDomain }).sameSite).toBe(true);
  });
  it('agrees with the full entry on every non-sameSite field', () => {
    const init: FetchInit = { url: API, method: 'patch', headers: { 'X-A': '1' }, credentials: 'include' };
    const { sameSite: _a, ...full } = planFetch(PAGE, init);
    const { sameSite: _b, ...lite } = planFetchLite(PAGE, init);
    expect(lite).toEqual(full);
  });
});

describe('planFetch is total', () => {
  const inputs = ['', 'a'.repeat(100_000), '\u0000', 'https://\u00e9xample.com', '\ud800', 'https://a.example/\udfff', 'null', 'javascript:alert(1)'];
  it('never throws on odd strings as page origin, URL, method, header name or value', () => {
    for (const s of inputs) {
      for (const init of [{ url: s }, { url: API, method: s }, { url: API, headers: { [s || 'x']: s } }, { url: API, headers: [[s, s]] as [string, string][] }]) {
        expect(() => planFetch(s, init), `planFetch(${show(s.slice(0, 20))}, ...)`).not.toThrow();
        expect(() => planFetch(PAGE, init), `planFetch(PAGE, ${show(init).slice(0, 60)})`).not.toThrow();
      }
    }
  });
  it('a 100 KB URL is refused, not parsed', () => {
    expect(planFetch(PAGE, { url: `https://api.example.net/${'a'.repeat(100_000)}` }).error).toBe('invalid-url');
  });
  it('TypeErrors name the argument for non-string input', () => {
    expect(() => planFetch(1 as unknown as string, { url: API })).toThrow(/planFetch\(pageOrigin\)/);
    expect(() => planFetch(PAGE, null as unknown as FetchInit)).toThrow(/planFetch\(init\)/);
    expect(() => planFetch(PAGE, { url: 5 } as unknown as FetchInit)).toThrow(/init\.url/);
  });
  it('throwing headers getters deny instead of throwing', () => {
    const headers = { get x(): string { throw new Error('boom'); } } as unknown as Record<string, string>;
    expect(planFetch(PAGE, { url: API, headers }).error).toBe('invalid-headers');
  });
});
