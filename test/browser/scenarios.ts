// The real-browser matrix: each row is a fetch() a page makes and the answers the servers give.
// The suite predicts each with the bundle inside the page (both profiles), performs the fetch in
// Chromium, and compares. Templates, filled in per run:
//   {{origin}}  the requesting page's serialized origin (`null` from the sandboxed frame)
//   {{A}}       the page's own origin (http://127.0.0.1:<A>)
//   {{B}}       another origin, same site (http://127.0.0.1:<B>)
//   {{L}}       another site (http://localhost:<B>, the same server as {{B}})
//   {{acrm}}, {{acrh}}  in a preflight answer: the Access-Control-Request-Method/-Headers received
import type { EngineName } from './driver.js';
import type { RawResponse } from './raw-server.js';
import { WEBKIT_DEVIATIONS, WEBKIT_ROWS } from './webkit-scenarios.js';

export type Target = 'A' | 'B' | 'L';

export interface Scenario {
  id: string;
  desc: string;
  /** The requesting document: the main page, or the sandboxed (opaque-origin) frame inside it. */
  from?: 'page' | 'sandbox';
  /** Which server the URL names; or `url` gives the whole URL (templates allowed, `{{path}}` = /s/<id>). */
  target?: Target;
  url?: string;
  init?: {
    method?: string;
    headers?: Record<string, string> | [string, string][];
    mode?: 'cors' | 'no-cors' | 'same-origin';
    credentials?: 'omit' | 'same-origin' | 'include';
    redirect?: 'follow' | 'manual' | 'error';
    cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached';
    body?: string;
  };
  preflight?: RawResponse;
  response?: RawResponse;
  /**
   * A redirect chain: step i answers the request to hop i (`{{path}}` for hop 0, `{{path}}/<i>`
   * after it; `{{next}}` in a value is the next hop's path). Without it, one step of
   * `preflight` and `response`.
   */
  chain?: { preflight?: RawResponse; response: RawResponse }[];
  /** A second fetch of the same URL (its init over the first's), after waitMs: the preflight cache. */
  repeat?: { init?: Scenario['init']; waitMs?: number };
  /** The part of the matrix the row belongs to (for the per-category figures). */
  category: string;
  /**
   * Set for each engine that departs from the standard on this row: the 'spec' prediction must then
   * differ from what that engine did (and the engine's own profile must match). The name is the
   * deviation's, as its profile documents it.
   */
  deviations?: Partial<Record<EngineName, string>>;
}

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const ACEH = 'Access-Control-Expose-Headers';

/** A preflight answer that allows exactly what was asked, credentials included. */
export const ALLOW_PREFLIGHT: RawResponse = {
  status: 204,
  headers: [
    [ACAO, '{{origin}}'],
    [ACAC, 'true'],
    [ACAM, '{{acrm}}'],
    [ACAH, '{{acrh}}'],
  ],
};

/** An actual response that passes the CORS check, credentials included. */
export const ALLOW_RESPONSE: RawResponse = {
  status: 200,
  headers: [
    [ACAO, '{{origin}}'],
    [ACAC, 'true'],
    ['Content-Type', 'text/plain'],
  ],
};

const rows: Scenario[] = [];
let counter = 0;
let category = '';
function add(s: Omit<Scenario, 'id' | 'category'>): void {
  counter++;
  rows.push({ id: `s${String(counter).padStart(3, '0')}`, category, ...s });
}
/** A row's Chromium deviation, where its table gives one inline (sections 1-9). */
function marks(chromium?: string): Pick<Scenario, 'deviations'> {
  return chromium ? { deviations: { chromium } } : {};
}

// ---------------------------------------------------------------------------------------------
// 1. Same origin: basic responses, no preflight whatever the method or headers.
// ---------------------------------------------------------------------------------------------
category = 'same-origin';
const BASIC_RESPONSE: RawResponse = {
  status: 200,
  headers: [
    ['Content-Type', 'text/plain'],
    ['X-Secret', '1'],
    ['Set-Cookie', 'a=b'],
    ['Cache-Control', 'no-store'],
  ],
};
add({ desc: 'same origin GET', target: 'A', response: BASIC_RESPONSE });
add({ desc: 'same origin PUT with a custom header', target: 'A', init: { method: 'PUT', headers: { 'X-Custom': '1' } }, response: BASIC_RESPONSE });
add({ desc: 'same origin lower-case patch', target: 'A', init: { method: 'patch' }, response: BASIC_RESPONSE });
add({ desc: 'same origin, mode same-origin', target: 'A', init: { mode: 'same-origin' }, response: BASIC_RESPONSE });
add({ desc: 'same origin, mode no-cors: basic', target: 'A', init: { mode: 'no-cors', headers: { 'X-Custom': '1' } }, response: BASIC_RESPONSE });
add({ desc: 'same origin, credentials include, no ACAO', target: 'A', init: { credentials: 'include' }, response: BASIC_RESPONSE });
add({ desc: 'same origin, relative URL', url: '{{path}}', response: BASIC_RESPONSE });
add({ desc: 'same origin, DELETE with Authorization', target: 'A', init: { method: 'DELETE', headers: { Authorization: 'Bearer t' } }, response: BASIC_RESPONSE });

// ---------------------------------------------------------------------------------------------
// 2. The CORS check on a simple request: Access-Control-Allow-Origin and -Credentials.
// ---------------------------------------------------------------------------------------------
category = 'cors-check';
const acaoValues: [string, [string, string][]][] = [
  ['absent', []],
  ['*', [[ACAO, '*']]],
  ['the origin', [[ACAO, '{{origin}}']]],
  ['the origin with whitespace around it', [[ACAO, '   {{origin}}\t']]],
  ['the origin with a trailing slash', [[ACAO, '{{origin}}/']]],
  ['another origin', [[ACAO, '{{B}}']]],
  ['null', [[ACAO, 'null']]],
  ['the origin in upper case', [[ACAO, 'HTTP://127.0.0.1']]],
  ['two values in one field', [[ACAO, '{{origin}}, {{origin}}']]],
  ['the same value in two fields', [[ACAO, '{{origin}}'], [ACAO, '{{origin}}']]],
  ['not a URL', [[ACAO, 'foo']]],
  ['empty', [[ACAO, '']]],
  ['* and the origin', [[ACAO, '*'], [ACAO, '{{origin}}']]],
];
for (const [what, headers] of acaoValues) {
  for (const credentials of ['same-origin', 'include'] as const) {
    add({
      desc: `GET, credentials ${credentials}, ACAO ${what}${credentials === 'include' ? ', ACAC true' : ''}`,
      target: 'B',
      init: { credentials },
      response: { status: 200, headers: [...headers, ...(credentials === 'include' ? [[ACAC, 'true'] as [string, string]] : []), ['Content-Type', 'text/plain']] },
    });
  }
}
const acacValues: [string, [string, string][]][] = [
  ['absent', []],
  ['true', [[ACAC, 'true']]],
  ['TRUE', [[ACAC, 'TRUE']]],
  ['false', [[ACAC, 'false']]],
  ['true with whitespace', [[ACAC, '  true ']]],
  ['true twice', [[ACAC, 'true'], [ACAC, 'true']]],
];
for (const [what, headers] of acacValues) {
  add({
    desc: `GET with credentials, ACAO the origin, ACAC ${what}`,
    target: 'B',
    init: { credentials: 'include' },
    response: { status: 200, headers: [[ACAO, '{{origin}}'], ...headers] },
  });
}
add({ desc: 'GET, credentials omit, ACAO *, ACAC true', target: 'B', init: { credentials: 'omit' }, response: { status: 200, headers: [[ACAO, '*'], [ACAC, 'true']] } });
add({ desc: 'GET, the CORS check ignores a 404', target: 'B', response: { status: 404, headers: [[ACAO, '*']] } });
add({ desc: 'GET, the CORS check ignores a 500 without ACAO', target: 'B', response: { status: 500, headers: [] } });

// ---------------------------------------------------------------------------------------------
// 3. Methods: normalisation, safelisting, and Access-Control-Allow-Methods.
// ---------------------------------------------------------------------------------------------
category = 'methods';
for (const method of ['GET', 'get', 'HEAD', 'head', 'POST', 'pOsT', 'PUT', 'put', 'DELETE', 'delete', 'OPTIONS', 'options', 'PATCH', 'patch', 'Patch', 'QUERY', 'custom-token']) {
  add({ desc: `method ${method}, preflight allows what it is asked`, target: 'B', init: { method, credentials: 'include' }, preflight: ALLOW_PREFLIGHT, response: ALLOW_RESPONSE });
}
for (const method of ['TRACE', 'connect', 'Track', 'BAD METHOD', '', 'GET\u00e9']) {
  add({ desc: `method ${JSON.stringify(method)} is refused by the Request constructor`, target: 'B', init: { method }, response: ALLOW_RESPONSE });
}
const methodAnswers: [string, string, [string, string][], string?][] = [
  ['patch', 'ACAM patch', [[ACAM, 'patch']]],
  ['patch', 'ACAM PATCH (methods compare byte for byte)', [[ACAM, 'PATCH']]],
  ['PATCH', 'ACAM patch', [[ACAM, 'patch']]],
  ['Patch', 'ACAM Patch', [[ACAM, 'Patch']]],
  ['put', 'ACAM put (the method was normalised to PUT)', [[ACAM, 'put']]],
  ['custom-token', 'ACAM custom-token', [[ACAM, 'custom-token']]],
  ['custom-token', 'ACAM CUSTOM-TOKEN', [[ACAM, 'CUSTOM-TOKEN']]],
  ['PUT', 'ACAM absent', []],
  ['PUT', 'ACAM PUT', [[ACAM, 'PUT']]],
  ['PUT', 'ACAM GET, POST', [[ACAM, 'GET, POST']]],
  ['PUT', 'ACAM with empty elements', [[ACAM, ' , PUT ,, ']]],
  ['PUT', 'ACAM in two fields', [[ACAM, 'GET'], [ACAM, 'PUT']]],
  ['PUT', 'ACAM space-separated (not a list)', [[ACAM, 'GET PUT']]],
  ['PUT', 'ACAM not a token', [[ACAM, 'PU(T']]],
  ['PUT', 'ACAM *', [[ACAM, '*']]],
  ['DELETE', 'ACAM * and credentials', [[ACAM, '*']]],
  ['PUT', 'ACAM empty', [[ACAM, '']]],
];
for (const [method, what, acam, deviation] of methodAnswers) {
  const credentials = what.includes('credentials') ? 'include' : 'omit';
  add({
    desc: `method ${method}, ${what}`,
    target: 'B',
    init: { method, credentials },
    preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAC, 'true'], ...acam] },
    response: ALLOW_RESPONSE,
    ...marks(deviation),
  });
}
add({ desc: 'POST with a custom header, ACAM absent (a safelisted method needs no ACAM)', target: 'B', init: { method: 'POST', headers: { 'X-Custom': '1' } }, preflight: { status: 204, headers: [[ACAO, '*'], [ACAH, 'x-custom']] }, response: ALLOW_RESPONSE });

// ---------------------------------------------------------------------------------------------
// 4. Request headers: the safelist, its value rules and limits, forbidden headers, the ACRH value.
// ---------------------------------------------------------------------------------------------
category = 'request-headers';
const headerRows: [string, Record<string, string> | [string, string][], string?][] = [
  ['Accept text/html', { Accept: 'text/html' }],
  ['Accept with a quote (unsafe byte)', { Accept: 'a"b' }],
  ['Accept with {', { Accept: 'a{b' }],
  ['Accept with DEL', { Accept: 'a\u007fb' }],
  ['Accept with a tab inside', { Accept: 'a\tb' }],
  ['Accept of 128 bytes', { Accept: 'a'.repeat(128) }],
  ['Accept of 129 bytes', { Accept: 'a'.repeat(129) }],
  ['Accept with a Latin-1 byte', { Accept: 'caf\u00e9' }],
  ['Accept-Language en-US,en;q=0.9', { 'Accept-Language': 'en-US,en;q=0.9' }],
  ['Accept-Language with _', { 'Accept-Language': 'en_US' }],
  ['Accept-Language *', { 'Accept-Language': '*' }],
  ['Content-Language de-DE', { 'Content-Language': 'de-DE' }],
  ['Content-Language with /', { 'Content-Language': 'de/DE' }],
  ['Content-Type text/plain', { 'Content-Type': 'text/plain' }],
  ['Content-Type TEXT/PLAIN', { 'Content-Type': 'TEXT/PLAIN' }],
  ['Content-Type text/plain;charset=utf-8', { 'Content-Type': 'text/plain;charset=utf-8' }],
  ['Content-Type multipart/form-data; boundary=x', { 'Content-Type': 'multipart/form-data; boundary=x' }],
  ['Content-Type application/x-www-form-urlencoded', { 'Content-Type': 'application/x-www-form-urlencoded' }],
  ['Content-Type application/json', { 'Content-Type': 'application/json' }],
  ['Content-Type text/plain garbage', { 'Content-Type': 'text/plain garbage' }],
  ['Content-Type with a quoted parameter', { 'Content-Type': 'text/plain; charset="utf-8"' }],
  ['Content-Type with whitespace around it', { 'Content-Type': '  text/plain  ' }],
  ['Content-Type text/plain; (empty parameter)', { 'Content-Type': 'text/plain;' }],
  ['Content-Type text/plain ;charset=x', { 'Content-Type': 'text/plain ;charset=x' }],
  ['Content-Type empty', { 'Content-Type': '' }],
  ['Content-Type text/', { 'Content-Type': 'text/' }],
  ['Content-Type text/plain,text/html', { 'Content-Type': 'text/plain,text/html' }],
  ['Content-Type of 129 bytes', { 'Content-Type': `text/plain;a=${'b'.repeat(129 - 13)}` }],
  ['Range bytes=0-', { Range: 'bytes=0-' }],
  ['Range bytes=0-10', { Range: 'bytes=0-10' }],
  ['Range bytes=-5 (a suffix range)', { Range: 'bytes=-5' }],
  ['Range bytes=5-1', { Range: 'bytes=5-1' }],
  ['Range bytes = 0-1', { Range: 'bytes = 0-1' }],
  ['Range bytes=0-1,2-3', { Range: 'bytes=0-1,2-3' }],
  ['Range Bytes=0-', { Range: 'Bytes=0-' }, 'range-unit-case-insensitive'],
  ['Range with a 30-digit start', { Range: `bytes=${'9'.repeat(30)}-` }, 'range-bound-limit'],
  ['Range starting at 2^63 - 2', { Range: 'bytes=9223372036854775806-' }],
  ['Range starting at 2^63 - 1', { Range: 'bytes=9223372036854775807-' }, 'range-bound-one-past'],
  ['Range starting at 2^63', { Range: 'bytes=9223372036854775808-' }, 'range-bound-limit'],
  ['Range ending at 2^63 - 2', { Range: 'bytes=0-9223372036854775806' }],
  ['Range ending at 2^63 - 1', { Range: 'bytes=0-9223372036854775807' }, 'range-bound-one-past'],
  ['Range with a leading zero', { Range: 'bytes=00-1' }],
  ['Range bytes=5-5', { Range: 'bytes=5-5' }],
  ['two Accept values', [['Accept', 'a'], ['Accept', 'b']]],
  ['two Accept values of 100 bytes', [['Accept', 'a'.repeat(100)], ['Accept', 'b'.repeat(100)]], 'repeated-headers-combined'],
  ['two Content-Type text/plain', [['Content-Type', 'text/plain'], ['Content-Type', 'text/plain']], 'repeated-headers-combined'],
  ['nine Accept values of 120 bytes (over 1024 in total)', Array.from({ length: 9 }, () => ['Accept', 'x'.repeat(120)] as [string, string])],
  ['eight Accept values of 128 bytes (1024 in total)', Array.from({ length: 8 }, () => ['Accept', 'x'.repeat(128)] as [string, string]), 'repeated-headers-combined'],
  ['X-Custom, x-a and Content-Type json: sorted lower-case ACRH', { 'X-Custom': '1', 'x-a': '2', 'Content-Type': 'application/json' }],
  ['Authorization', { Authorization: 'Bearer t' }],
  ['the same custom header in two cases', [['X-Dup', '1'], ['x-dup', '2']]],
  ['DPR 2 (a client hint)', { DPR: '2' }, 'client-hints-safelisted'],
  ['DPR 1.5', { DPR: '1.5' }, 'client-hints-safelisted'],
  ['DPR 2. (not a number)', { DPR: '2.' }],
  ['DPR .5 (not a number)', { DPR: '.5' }],
  ['DPR abc', { DPR: 'abc' }],
  ['Device-Memory 8', { 'Device-Memory': '8' }, 'client-hints-safelisted'],
  ['Device-Memory 0.25', { 'Device-Memory': '0.25' }, 'client-hints-safelisted'],
  ['Width 100', { Width: '100' }, 'client-hints-safelisted'],
  ['Width 1.5 (not digits)', { Width: '1.5' }],
  ['Viewport-Width 100', { 'Viewport-Width': '100' }, 'client-hints-safelisted'],
  ['Viewport-Width of 129 digits', { 'Viewport-Width': '1'.repeat(129) }],
  ['Save-Data on', { 'Save-Data': 'on' }, 'client-hints-safelisted'],
  ['Save-Data ON', { 'Save-Data': 'ON' }, 'client-hints-safelisted'],
  ['Save-Data off', { 'Save-Data': 'off' }],
  ['RTT 50', { RTT: '50' }, 'client-hints-safelisted'],
  ['RTT 1.5 (not digits)', { RTT: '1.5' }],
  ['Downlink 10', { Downlink: '10' }, 'client-hints-safelisted'],
  ['Downlink 1.5', { Downlink: '1.5' }, 'client-hints-safelisted'],
  ['Downlink abc', { Downlink: 'abc' }],
  ['ECT 4g', { ECT: '4g' }, 'client-hints-safelisted'],
  ['ECT slow-2g', { ECT: 'slow-2g' }, 'client-hints-safelisted'],
  ['ECT 5g', { ECT: '5g' }],
  ['Save-Data on;x', { 'Save-Data': 'on;x' }],
  ['Device-Memory 1. (not a number)', { 'Device-Memory': '1.' }],
  ['Width empty', { Width: '' }],
  ['User-Agent', { 'User-Agent': 'corset-test' }, 'user-agent-forbidden'],
  ['User-Agent and X-Custom', { 'User-Agent': 'corset-test', 'X-Custom': '1' }, 'user-agent-forbidden'],
  ['Cookie (forbidden)', { Cookie: 'a=b' }],
  ['Origin (forbidden)', { Origin: 'http://evil.example' }],
  ['Referer (forbidden)', { Referer: 'http://evil.example/' }],
  ['Host (forbidden)', { Host: 'evil.example' }],
  ['Sec-Custom (forbidden prefix)', { 'Sec-Custom': '1' }],
  ['Proxy-Custom (forbidden prefix)', { 'Proxy-Custom': '1' }],
  ['Accept-Encoding (forbidden)', { 'Accept-Encoding': 'identity' }],
  ['Connection (forbidden)', { Connection: 'close' }],
  ['DNT (forbidden)', { DNT: '1' }],
  ['Date (forbidden)', { Date: 'x' }],
  ['Keep-Alive (forbidden)', { 'Keep-Alive': '1' }],
  ['X-HTTP-Method-Override: TRACE (forbidden)', { 'X-HTTP-Method-Override': 'TRACE' }],
  ['X-HTTP-Method-Override: PATCH (allowed, unsafe)', { 'X-HTTP-Method-Override': 'PATCH' }],
  ['X-Method-Override: get, track', { 'X-Method-Override': 'get, track' }],
  ['Access-Control-Request-Private-Network', { 'Access-Control-Request-Private-Network': 'true' }, 'private-network-header-forbidden'],
  ['Priority', { Priority: 'u=1' }],
  ['a custom header with whitespace around its value', { 'X-Custom': '  v  ' }],
  ['a header name with a space (TypeError)', { 'Bad Name': '1' }],
  ['a header value with a line feed (TypeError)', { 'X-Custom': 'a\nb' }],
  ['a header value beyond Latin-1 (TypeError)', { 'X-Custom': '\u20ac' }],
  ['an empty header name (TypeError)', { '': '1' }],
];
for (const [what, headers, deviation] of headerRows) {
  add({
    desc: `GET with ${what}`,
    target: 'B',
    init: { headers, credentials: 'include' },
    preflight: ALLOW_PREFLIGHT,
    response: ALLOW_RESPONSE,
    ...marks(deviation),
  });
}

// ---------------------------------------------------------------------------------------------
// 5. The preflight answer: status, CORS check, Access-Control-Allow-Headers.
// ---------------------------------------------------------------------------------------------
category = 'preflight-answer';
const putCustom = { method: 'PUT', headers: { 'X-Custom': '1' } };
const okPre: [string, string][] = [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'x-custom']];
for (const status of [200, 201, 204, 299, 300, 404, 500]) {
  add({ desc: `preflight status ${status}`, target: 'B', init: putCustom, preflight: { status, headers: okPre }, response: ALLOW_RESPONSE });
}
add({ desc: 'preflight status 500 without ACAO', target: 'B', init: putCustom, preflight: { status: 500, headers: [] }, response: ALLOW_RESPONSE });
const prePassOrFail: [string, [string, string][], ('omit' | 'include')?][] = [
  ['ACAO absent', [[ACAM, 'PUT'], [ACAH, 'x-custom']]],
  ['ACAO *', [[ACAO, '*'], [ACAM, 'PUT'], [ACAH, 'x-custom']]],
  ['ACAO * with credentials', [[ACAO, '*'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'x-custom']], 'include'],
  ['ACAO another origin', [[ACAO, '{{B}}'], [ACAM, 'PUT'], [ACAH, 'x-custom']]],
  ['ACAO two values', [[ACAO, '{{origin}}, {{B}}'], [ACAM, 'PUT'], [ACAH, 'x-custom']]],
  ['ACAO not a URL', [[ACAO, 'foo'], [ACAM, 'PUT'], [ACAH, 'x-custom']]],
  ['credentials, ACAC absent', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'x-custom']], 'include'],
  ['credentials, ACAC yes', [[ACAO, '{{origin}}'], [ACAC, 'yes'], [ACAM, 'PUT'], [ACAH, 'x-custom']], 'include'],
  ['credentials, ACAC true', [[ACAO, '{{origin}}'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'x-custom']], 'include'],
  ['ACAH absent', [[ACAO, '{{origin}}'], [ACAM, 'PUT']]],
  ['ACAH in upper case', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'X-CUSTOM']]],
  ['ACAH another name', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'x-other']]],
  ['ACAH *', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, '*']]],
  ['ACAH * with credentials', [[ACAO, '{{origin}}'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, '*']], 'include'],
  ['ACAH space-separated (not a list)', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'x-other x-custom']]],
  ['ACAH with empty elements', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, ',x-custom , ,']]],
  ['ACAH in two fields', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'x-other'], [ACAH, 'x-custom']]],
  ['ACAH not a token', [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [ACAH, 'x-custom, x(y']]],
  ['ACAM * and ACAH * without credentials', [[ACAO, '*'], [ACAM, '*'], [ACAH, '*']]],
];
for (const [what, headers, credentials] of prePassOrFail) {
  add({ desc: `PUT + X-Custom, preflight ${what}`, target: 'B', init: { ...putCustom, credentials: credentials ?? 'same-origin' }, preflight: { status: 204, headers }, response: ALLOW_RESPONSE });
}
const authRows: [string, string][] = [
  ['ACAH authorization', 'authorization'],
  ['ACAH Authorization', 'Authorization'],
  ['ACAH *, authorization', '*, authorization'],
  ['ACAH x-custom', 'x-custom'],
];
add({
  desc: 'GET + Authorization, preflight ACAH * (the standard: * never covers Authorization)',
  target: 'B',
  init: { headers: { Authorization: 'Bearer t' } },
  preflight: { status: 204, headers: [[ACAO, '*'], [ACAH, '*']] },
  response: { status: 200, headers: [[ACAO, '*']] },
  ...marks('authorization-covered-by-wildcard'),
});
add({
  desc: 'GET + Authorization and X-Custom, preflight ACAH *',
  target: 'B',
  init: { headers: { Authorization: 'Bearer t', 'X-Custom': '1' } },
  preflight: { status: 204, headers: [[ACAO, '*'], [ACAH, '*']] },
  response: { status: 200, headers: [[ACAO, '*']] },
  ...marks('authorization-covered-by-wildcard'),
});
add({
  desc: 'GET + Authorization with credentials, preflight ACAH * (a literal name with credentials)',
  target: 'B',
  init: { headers: { Authorization: 'Bearer t' }, credentials: 'include' },
  preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAC, 'true'], [ACAH, '*']] },
  response: ALLOW_RESPONSE,
});
for (const [what, acah] of authRows) {
  add({
    desc: `GET + Authorization, preflight ${what} (Authorization is never covered by *)`,
    target: 'B',
    init: { headers: { Authorization: 'Bearer t' } },
    preflight: { status: 204, headers: [[ACAO, '*'], [ACAH, acah]] },
    response: { status: 200, headers: [[ACAO, '*']] },
  });
}

// ---------------------------------------------------------------------------------------------
// 6. The headers a script may read (Access-Control-Expose-Headers).
// ---------------------------------------------------------------------------------------------
category = 'exposed-headers';
const exposeBase: [string, string][] = [
  ['Content-Type', 'text/plain'],
  ['Cache-Control', 'no-cache'],
  ['Content-Language', 'en'],
  ['Expires', '0'],
  ['Last-Modified', 'Mon, 01 Jan 2024 00:00:00 GMT'],
  ['Pragma', 'no-cache'],
  ['X-A', '1'],
  ['X-B', '2'],
  ['Set-Cookie', 'a=b'],
  ['Date', 'Mon, 01 Jan 2024 00:00:00 GMT'],
];
const exposeRows: [string, [string, string][], 'include'?][] = [
  ['ACEH absent', []],
  ['ACEH x-a', [[ACEH, 'x-a']]],
  ['ACEH X-A, x-b', [[ACEH, 'X-A, x-b']]],
  ['ACEH *', [[ACEH, '*']]],
  ['ACEH * with credentials', [[ACEH, '*']], 'include'],
  ['ACEH x-a, * with credentials', [[ACEH, 'x-a, *']], 'include'],
  ['ACEH Set-Cookie', [[ACEH, 'Set-Cookie, x-b']]],
  ['ACEH space-separated (not a list)', [[ACEH, 'x-a x-b']]],
  ['ACEH with a non-token element', [[ACEH, 'x-a, x(b']]],
  ['ACEH in two fields', [[ACEH, 'x-a'], [ACEH, 'x-b']]],
  ['ACEH naming itself and Date', [[ACEH, 'access-control-expose-headers, date']]],
];
for (const [what, aceh, credentials] of exposeRows) {
  add({
    desc: `exposed headers, ${what}`,
    target: 'B',
    init: { credentials: credentials ?? 'same-origin' },
    response: { status: 200, headers: [[ACAO, '{{origin}}'], ...(credentials ? [[ACAC, 'true'] as [string, string]] : []), ...exposeBase, ...aceh] },
  });
}

// ---------------------------------------------------------------------------------------------
// 7. Modes, schemes and URLs.
// ---------------------------------------------------------------------------------------------
category = 'modes-schemes-urls';
add({ desc: 'no-cors GET with a custom header: dropped, opaque', target: 'B', init: { mode: 'no-cors', headers: { 'X-Custom': '1' } }, response: { status: 200, headers: [] } });
add({ desc: 'no-cors POST with Content-Type json: dropped, opaque', target: 'B', init: { mode: 'no-cors', method: 'POST', headers: { 'Content-Type': 'application/json' } }, response: { status: 200, headers: [] } });
add({ desc: 'no-cors GET with Range: dropped', target: 'B', init: { mode: 'no-cors', headers: { Range: 'bytes=0-' } }, response: { status: 200, headers: [] } });
add({ desc: 'no-cors GET with two Accept values over 128 bytes together', target: 'B', init: { mode: 'no-cors', headers: [['Accept', 'a'.repeat(100)], ['Accept', 'b'.repeat(100)]] }, response: { status: 200, headers: [] } });
add({ desc: 'no-cors PUT: TypeError', target: 'B', init: { mode: 'no-cors', method: 'PUT' }, response: { status: 200, headers: [] } });
add({ desc: 'no-cors to another site', target: 'L', init: { mode: 'no-cors', credentials: 'include' }, response: { status: 200, headers: [] } });
add({ desc: 'same-origin mode to another origin: network error', target: 'B', init: { mode: 'same-origin' }, response: ALLOW_RESPONSE });
const DATA_RESPONSE: RawResponse = { status: 200, headers: [['Content-Type', 'text/plain']] };
add({ desc: 'data: URL in cors mode: basic', url: 'data:text/plain,hello', response: DATA_RESPONSE });
add({ desc: 'data: URL in same-origin mode: basic', url: 'data:text/plain,hello', init: { mode: 'same-origin' }, response: DATA_RESPONSE });
add({ desc: 'data: URL with PUT and a custom header: no preflight', url: 'data:text/plain,hello', init: { method: 'PUT', headers: { 'X-Custom': '1' } }, response: DATA_RESPONSE });
add({ desc: 'ftp: URL: network error', url: 'ftp://127.0.0.1/x', response: ALLOW_RESPONSE });
add({ desc: 'URL with credentials: TypeError', url: 'http://user:pass@127.0.0.1:{{Bport}}{{path}}', response: ALLOW_RESPONSE });
add({ desc: 'URL with an empty userinfo: fetched', url: 'http://:@127.0.0.1:{{Bport}}{{path}}', response: ALLOW_RESPONSE });
add({ desc: 'unparsable URL: TypeError', url: 'http://[::1/x', response: ALLOW_RESPONSE });
add({ desc: 'scheme-relative URL to another origin', url: '//127.0.0.1:{{Bport}}{{path}}', response: ALLOW_RESPONSE });
add({ desc: 'URL with a fragment', url: '{{B}}{{path}}#frag', init: { method: 'PUT' }, preflight: ALLOW_PREFLIGHT, response: ALLOW_RESPONSE });
add({ desc: 'credentials omit, ACAO *', target: 'B', init: { credentials: 'omit' }, response: { status: 200, headers: [[ACAO, '*']] } });

// ---------------------------------------------------------------------------------------------
// 8. Another site (localhost): same answers, sameSite false.
// ---------------------------------------------------------------------------------------------
category = 'cross-site';
add({ desc: 'cross-site GET, ACAO the origin', target: 'L', response: ALLOW_RESPONSE });
add({ desc: 'cross-site PUT, preflight allows', target: 'L', init: { method: 'PUT', credentials: 'include' }, preflight: ALLOW_PREFLIGHT, response: ALLOW_RESPONSE });
add({ desc: 'cross-site GET, ACAO *', target: 'L', response: { status: 200, headers: [[ACAO, '*']] } });

// ---------------------------------------------------------------------------------------------
// 9. An opaque origin (a sandboxed frame): `Origin: null`.
// ---------------------------------------------------------------------------------------------
category = 'opaque-origin';
const sandboxRows: [string, Scenario['init'], RawResponse, RawResponse?][] = [
  ['GET, ACAO null', {}, { status: 200, headers: [[ACAO, 'null']] }],
  ['GET, ACAO *', {}, { status: 200, headers: [[ACAO, '*']] }],
  ['GET, ACAO the parent page origin', {}, { status: 200, headers: [[ACAO, '{{A}}']] }],
  ['GET with credentials, ACAO null, ACAC true', { credentials: 'include' }, { status: 200, headers: [[ACAO, 'null'], [ACAC, 'true']] }],
  ['GET with credentials, ACAO *', { credentials: 'include' }, { status: 200, headers: [[ACAO, '*'], [ACAC, 'true']] }],
  ['PUT, preflight ACAO null', { method: 'PUT' }, { status: 200, headers: [[ACAO, 'null']] }, { status: 204, headers: [[ACAO, 'null'], [ACAM, 'PUT']] }],
  ['PUT, preflight without ACAO', { method: 'PUT' }, { status: 200, headers: [[ACAO, 'null']] }, { status: 204, headers: [[ACAM, 'PUT']] }],
  ['no-cors GET', { mode: 'no-cors' }, { status: 200, headers: [] }],
  ['same-origin mode', { mode: 'same-origin' }, { status: 200, headers: [[ACAO, 'null']] }],
];
for (const [what, init, response, preflight] of sandboxRows) {
  add({ desc: `sandboxed frame to its parent's server: ${what}`, from: 'sandbox', target: 'A', init, response, ...(preflight ? { preflight } : {}) });
  add({ desc: `sandboxed frame to another server: ${what}`, from: 'sandbox', target: 'B', init, response, ...(preflight ? { preflight } : {}) });
}

// ---------------------------------------------------------------------------------------------
// 10. Probes of each engine's header rules beyond the rows above (value bytes, Range bounds, the
//     1024-byte total, repeated names in Access-Control-Request-Headers).
// ---------------------------------------------------------------------------------------------
category = 'request-headers';
const probeRows: [string, Record<string, string> | [string, string][]][] = [
  ['Accept with byte 0x80', { Accept: 'a\u0080' }],
  ['Accept with byte 0xFF', { Accept: '\u00ff' }],
  ['Content-Type text/plain with a Latin-1 parameter', { 'Content-Type': 'text/plain;x=\u00e9' }],
  ['Content-Language with a Latin-1 byte', { 'Content-Language': 'd\u00e9' }],
  ['Range ending at 2^64 - 1', { Range: 'bytes=0-18446744073709551615' }],
  ['Range starting at 2^64 - 1', { Range: 'bytes=18446744073709551615-' }],
  ['Range starting at 2^64', { Range: 'bytes=18446744073709551616-' }],
  ['Range starting at 10^20', { Range: 'bytes=100000000000000000000-' }],
  ['twenty Accept values of 120 bytes (2400 in total)', Array.from({ length: 20 }, () => ['Accept', 'x'.repeat(120)] as [string, string])],
  ['Accept, Accept-Language and Content-Language of 128 bytes and more (over 1024 in total)', [
    ...Array.from({ length: 4 }, () => ['Accept', 'y'.repeat(128)] as [string, string]),
    ...Array.from({ length: 4 }, () => ['Accept-Language', 'e'.repeat(128)] as [string, string]),
    ['Content-Language', 'f'.repeat(10)],
  ]],
  ['X-B, x-a and X-A (a repeated name in two cases)', [['X-B', '1'], ['x-a', '2'], ['X-A', '3']]],
  ['the same custom header twice, same case', [['X-Dup', '1'], ['X-Dup', '2']]],
];
for (const [what, headers] of probeRows) {
  add({ desc: `GET with ${what}`, target: 'B', init: { headers, credentials: 'include' }, preflight: ALLOW_PREFLIGHT, response: ALLOW_RESPONSE });
}
add({ desc: 'GET with a body: TypeError', target: 'B', init: { body: 'x' }, response: ALLOW_RESPONSE });
add({ desc: 'HEAD with a body: TypeError', target: 'B', init: { method: 'HEAD', body: 'x' }, response: ALLOW_RESPONSE });
add({ desc: 'POST with a text body (Content-Type text/plain is added)', target: 'B', init: { method: 'POST', body: 'x' }, response: ALLOW_RESPONSE });

// ---------------------------------------------------------------------------------------------
// 11. Redirects (Fetch §4.3 step 4.4 and 6, §4.4 "HTTP-redirect fetch").
// ---------------------------------------------------------------------------------------------
category = 'redirects';
const ok = (origin = '{{origin}}', extra: [string, string][] = []): RawResponse => ({ status: 200, headers: [[ACAO, origin], ['Content-Type', 'text/plain'], ...extra] });
const to = (status: number, location: string, headers: [string, string][] = [[ACAO, '{{origin}}']]): RawResponse => ({ status, headers: [...headers, ['Location', location]] });
for (const status of [301, 302, 303, 307, 308]) {
  add({ desc: `GET, ${status} to the same server`, target: 'B', chain: [{ response: to(status, '{{next}}') }, { response: ok() }] });
  add({ desc: `POST text/plain, ${status} to the same server (301/302/303 make it a GET)`, target: 'B', init: { method: 'POST', headers: { 'Content-Type': 'text/plain' } }, chain: [{ response: to(status, '{{next}}') }, { response: ok() }] });
  add({ desc: `PUT, ${status} to the same server (303 makes it a GET without a preflight; the others preflight again)`, target: 'B', init: { method: 'PUT' }, chain: [{ preflight: ALLOW_PREFLIGHT, response: to(status, '{{next}}') }, { preflight: ALLOW_PREFLIGHT, response: ok() }] });
}
add({ desc: 'POST json, 302: a GET at the target, Content-Type dropped, no preflight there', target: 'B', init: { method: 'POST', headers: { 'Content-Type': 'application/json' } }, chain: [{ preflight: ALLOW_PREFLIGHT, response: to(302, '{{next}}') }, { preflight: ALLOW_PREFLIGHT, response: ok() }] });
add({ desc: 'POST json, 307: preflighted again at the target', target: 'B', init: { method: 'POST', headers: { 'Content-Type': 'application/json' } }, chain: [{ preflight: ALLOW_PREFLIGHT, response: to(307, '{{next}}') }, { preflight: ALLOW_PREFLIGHT, response: ok() }] });
add({ desc: 'GET, 302 without ACAO: the redirect fails the CORS check', target: 'B', chain: [{ response: to(302, '{{next}}', []) }, { response: ok() }] });
add({ desc: 'GET, 302 with ACAO another origin', target: 'B', chain: [{ response: to(302, '{{next}}', [[ACAO, '{{L}}']]) }, { response: ok() }] });
// Cross-origin redirects: the origin is tainted, the target sees Origin: null.
add({ desc: 'GET, 302 to another site: Origin null there, ACAO the page origin fails', target: 'B', chain: [{ response: to(302, '{{L}}{{next}}') }, { response: ok() }] });
add({ desc: 'GET, 302 to another site, target ACAO null', target: 'B', chain: [{ response: to(302, '{{L}}{{next}}') }, { response: ok('null') }] });
add({ desc: 'GET, 302 to another site, target ACAO *', target: 'B', chain: [{ response: to(302, '{{L}}{{next}}') }, { response: ok('*') }] });
add({ desc: 'GET with credentials, 302 to another site, target ACAO null and ACAC', target: 'B', init: { credentials: 'include' }, chain: [{ response: to(302, '{{L}}{{next}}', [[ACAO, '{{origin}}'], [ACAC, 'true']]) }, { response: ok('null', [[ACAC, 'true']]) }] });
add({ desc: 'GET with credentials, 302 to another site, target ACAO *', target: 'B', init: { credentials: 'include' }, chain: [{ response: to(302, '{{L}}{{next}}', [[ACAO, '{{origin}}'], [ACAC, 'true']]) }, { response: ok('*', [[ACAC, 'true']]) }] });
add({ desc: 'PUT, 307 to another site: preflighted there with Origin null', target: 'B', init: { method: 'PUT' }, chain: [{ preflight: ALLOW_PREFLIGHT, response: to(307, '{{L}}{{next}}') }, { preflight: { status: 204, headers: [[ACAO, 'null'], [ACAM, 'PUT']] }, response: ok('null') }] });
add({ desc: 'PUT, 307 to another site, its preflight answers the page origin', target: 'B', init: { method: 'PUT' }, chain: [{ preflight: ALLOW_PREFLIGHT, response: to(307, '{{L}}{{next}}') }, { preflight: ALLOW_PREFLIGHT, response: ok('null') }] });
add({ desc: 'same origin 302 to another origin: not tainted (the page origin sends)', target: 'A', chain: [{ response: to(302, '{{B}}{{next}}', []) }, { response: ok() }] });
add({ desc: 'same origin 302 to another origin that answers null: fails', target: 'A', chain: [{ response: to(302, '{{B}}{{next}}', []) }, { response: ok('null') }] });
add({ desc: 'another origin 302 back to the page origin: tainted, ACAO null needed there', target: 'B', chain: [{ response: to(302, '{{A}}{{next}}') }, { response: ok('null') }] });
add({ desc: 'another origin 302 back to the page origin, answered without ACAO: fails', target: 'B', chain: [{ response: to(302, '{{A}}{{next}}') }, { response: { status: 200, headers: [['Content-Type', 'text/plain']] } }] });
add({ desc: 'GET with Authorization, 307 to another site: Authorization dropped, no preflight there', target: 'B', init: { headers: { Authorization: 'Bearer t' } }, chain: [{ preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAH, 'authorization']] }, response: to(307, '{{L}}{{next}}') }, { preflight: { status: 204, headers: [[ACAO, 'null'], [ACAH, 'authorization']] }, response: ok('null') }] });
add({ desc: 'GET with Authorization, 307 to the same server: kept, preflighted again', target: 'B', init: { headers: { Authorization: 'Bearer t' } }, chain: [{ preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAH, 'authorization']] }, response: to(307, '{{next}}') }, { preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAH, 'authorization']] }, response: ok() }] });
add({ desc: 'GET, 302 with credentials in the Location', target: 'B', chain: [{ response: to(302, 'http://u:p@127.0.0.1:{{Bport}}{{next}}') }, { response: ok() }] });
add({ desc: 'same origin GET, 302 with credentials in a same-origin Location', target: 'A', chain: [{ response: to(302, 'http://u:p@127.0.0.1:{{Bport}}{{next}}', []) }, { response: ok() }] });
add({ desc: 'GET, 302 to a data: URL', target: 'B', chain: [{ response: to(302, 'data:text/plain,x') }, { response: ok() }] });
add({ desc: 'GET, 302 without Location: the 3xx is the response', target: 'B', chain: [{ response: { status: 302, headers: [[ACAO, '{{origin}}']] } }] });
add({ desc: 'GET, 302 with an unparsable Location', target: 'B', chain: [{ response: to(302, 'http://[::1') }, { response: ok() }] });
add({ desc: 'GET, a relative Location', target: 'B', chain: [{ response: to(302, '{{next}}?q=1') }, { response: ok() }] });
add({ desc: 'redirect manual: an opaque redirect', target: 'B', init: { redirect: 'manual' }, chain: [{ response: to(302, '{{next}}') }, { response: ok() }] });
add({ desc: 'redirect manual, the 3xx without ACAO', target: 'B', init: { redirect: 'manual' }, chain: [{ response: to(302, '{{next}}', []) }, { response: ok() }] });
add({ desc: 'redirect manual, same origin', target: 'A', init: { redirect: 'manual' }, chain: [{ response: to(302, '{{next}}', []) }, { response: ok() }] });
add({ desc: 'redirect error: a network error', target: 'B', init: { redirect: 'error' }, chain: [{ response: to(302, '{{next}}') }, { response: ok() }] });
add({ desc: 'redirect error, same origin', target: 'A', init: { redirect: 'error' }, chain: [{ response: to(302, '{{next}}', []) }, { response: ok() }] });
add({ desc: 'no-cors with redirect manual: TypeError', target: 'B', init: { mode: 'no-cors', redirect: 'manual' }, chain: [{ response: to(302, '{{next}}') }, { response: ok() }] });
add({ desc: 'no-cors, 302 to another site: opaque', target: 'B', init: { mode: 'no-cors' }, chain: [{ response: to(302, '{{L}}{{next}}', []) }, { response: { status: 200, headers: [] } }] });
const hops = (n: number): { response: RawResponse }[] => [...Array.from({ length: n }, () => ({ response: to(302, '{{next}}') })), { response: ok() }];
add({ desc: 'GET, 20 redirects: followed', target: 'B', chain: hops(20) });
add({ desc: 'GET, 21 redirects: a network error', target: 'B', chain: hops(21) });
add({ desc: 'same origin GET, 21 redirects: a network error', target: 'A', chain: Array.from({ length: 22 }, (_, i) => ({ response: i < 21 ? to(302, '{{next}}', []) : ok() })) });

// ---------------------------------------------------------------------------------------------
// 12. Repeat fetches: the CORS-preflight cache (Fetch §4.9) with each engine's max-age parsing and
//     keying. The second fetch goes right after the first (or waitMs later).
// ---------------------------------------------------------------------------------------------
category = 'preflight-cache';
const MAX_AGE = 'Access-Control-Max-Age';
const cachePre = (maxAge: [string, string][], extra: [string, string][] = [[ACAM, 'PUT'], [ACAH, 'x-custom']]): RawResponse => ({
  status: 204,
  headers: [[ACAO, '{{origin}}'], [ACAC, 'true'], ...extra, ...maxAge],
});
const putX = { method: 'PUT', headers: { 'X-Custom': '1' } };
const maxAges: [string, [string, string][]][] = [
  ['absent (5 s)', []],
  ['60', [[MAX_AGE, '60']]],
  ['0', [[MAX_AGE, '0']]],
  ['-1', [[MAX_AGE, '-1']]],
  ['1.5', [[MAX_AGE, '1.5']]],
  ['abc', [[MAX_AGE, 'abc']]],
  ['+5', [[MAX_AGE, '+5']]],
  ['empty', [[MAX_AGE, '']]],
  ['with whitespace around it', [[MAX_AGE, '  60 ']]],
  ['60, 60 (two values in one field)', [[MAX_AGE, '60, 60']]],
  ['in two fields', [[MAX_AGE, '60'], [MAX_AGE, '60']]],
  ['20 digits (above 2^64)', [[MAX_AGE, '99999999999999999999']]],
  ['86401 (above every cap)', [[MAX_AGE, '86401']]],
];
for (const [what, maxAge] of maxAges) {
  add({ desc: `PUT + X-Custom twice, Max-Age ${what}`, target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre(maxAge), response: ALLOW_RESPONSE, repeat: {} });
}
add({ desc: 'PUT + X-Custom twice, Max-Age 1, the second 2.2 s later: expired', target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '1']]), response: ALLOW_RESPONSE, repeat: { waitMs: 2200 } });
for (const cache of ['no-store', 'reload', 'no-cache', 'force-cache'] as const) {
  add({ desc: `PUT + X-Custom twice, Max-Age 60, the second with cache ${cache}`, target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']]), response: ALLOW_RESPONSE, repeat: { init: { cache } } });
}
add({ desc: 'cache, credentials include then omit', target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']]), response: ALLOW_RESPONSE, repeat: { init: { credentials: 'omit' } } });
add({ desc: 'cache, credentials omit then include', target: 'B', init: { ...putX, credentials: 'omit' }, preflight: cachePre([[MAX_AGE, '60']]), response: ALLOW_RESPONSE, repeat: { init: { credentials: 'include' } } });
add({ desc: 'cache, the second adds a header name not allowed', target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']], [[ACAM, 'PUT'], [ACAH, '{{acrh}}']]), response: ALLOW_RESPONSE, repeat: { init: { headers: { 'X-Custom': '1', 'X-Other': '2' } } } });
add({ desc: 'cache, the second has fewer header names', target: 'B', init: { method: 'PUT', headers: { 'X-Custom': '1', 'X-Other': '2' }, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']], [[ACAM, 'PUT'], [ACAH, '{{acrh}}']]), response: ALLOW_RESPONSE, repeat: { init: { headers: { 'X-Other': '2' } } } });
add({ desc: 'cache, the second uses another method', target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']], [[ACAM, '{{acrm}}'], [ACAH, 'x-custom']]), response: ALLOW_RESPONSE, repeat: { init: { method: 'DELETE' } } });
add({ desc: 'cache, the second uses another method the first preflight allowed', target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']], [[ACAM, 'PUT, DELETE'], [ACAH, 'x-custom']]), response: ALLOW_RESPONSE, repeat: { init: { method: 'DELETE' } } });
add({ desc: 'cache, ACAM * and ACAH * without credentials, the second another method and header', target: 'B', init: { ...putX, credentials: 'omit' }, preflight: { status: 204, headers: [[ACAO, '*'], [ACAM, '*'], [ACAH, '*'], [MAX_AGE, '60']] }, response: { status: 200, headers: [[ACAO, '*']] }, repeat: { init: { method: 'DELETE', headers: { 'X-Other': '1' } } } });
add({ desc: 'cache, ACAH * without credentials, the second adds Authorization', target: 'B', init: { ...putX, credentials: 'omit' }, preflight: { status: 204, headers: [[ACAO, '*'], [ACAM, 'PUT'], [ACAH, '*'], [MAX_AGE, '60']] }, response: { status: 200, headers: [[ACAO, '*']] }, repeat: { init: { headers: { 'X-Custom': '1', Authorization: 'Bearer t' } } } });
add({ desc: 'cache, a safelisted method and an unsafe header: the second a POST with it', target: 'B', init: { headers: { 'X-Custom': '1' }, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']], [[ACAH, 'x-custom']]), response: ALLOW_RESPONSE, repeat: { init: { method: 'POST' } } });
add({ desc: 'cache, the preflight failed: the second is preflighted again', target: 'B', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']], [[ACAH, 'x-custom']]), response: ALLOW_RESPONSE, repeat: {} });
add({ desc: 'cache, from another site', target: 'L', init: { ...putX, credentials: 'include' }, preflight: cachePre([[MAX_AGE, '60']]), response: ALLOW_RESPONSE, repeat: {} });
add({ desc: 'cache, from a sandboxed frame (origin null)', from: 'sandbox', target: 'B', init: { ...putX, credentials: 'include' }, preflight: { status: 204, headers: [[ACAO, 'null'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'x-custom'], [MAX_AGE, '60']] }, response: { status: 200, headers: [[ACAO, 'null'], [ACAC, 'true']] }, repeat: {} });

// ---------------------------------------------------------------------------------------------
// 13. WebKit's probe rows (./webkit-scenarios.ts), with what each engine did on them.
// ---------------------------------------------------------------------------------------------
for (const { category: c, ...row } of WEBKIT_ROWS) {
  category = c;
  add(row);
}

// ---------------------------------------------------------------------------------------------
// Each engine's deviations on the rows above, by description (sections 10-12 for Chromium, every
// section for the other engines): the name is the one its profile documents (src/precheck/
// profile-<engine>.ts, engine-parameters.ts, docs/browser.md). Every description named must exist.
// ---------------------------------------------------------------------------------------------
const DEVIATIONS: Partial<Record<EngineName, Readonly<Record<string, readonly string[]>>>> = {
  chromium: {
    'range-bound-limit': ['GET with Range ending at 2^64 - 1', 'GET with Range starting at 2^64 - 1', 'GET with Range starting at 2^64', 'GET with Range starting at 10^20'],
    'repeated-headers-combined': ['GET with Accept, Accept-Language and Content-Language of 128 bytes and more (over 1024 in total)'],
    'negative-max-age-expires': ['PUT + X-Custom twice, Max-Age -1'],
    'cache-mode-skips-preflight-cache': [
      'PUT + X-Custom twice, Max-Age 60, the second with cache no-store',
      'PUT + X-Custom twice, Max-Age 60, the second with cache reload',
      'PUT + X-Custom twice, Max-Age 60, the second with cache no-cache',
    ],
    'credentialed-entry-serves-uncredentialed': ['cache, credentials include then omit'],
    'authorization-covered-by-wildcard': ['cache, ACAH * without credentials, the second adds Authorization'],
    'opaque-origin-not-cached': ['cache, from a sandboxed frame (origin null)'],
    'range-unit-case-insensitive': ['GET with Range BYTES=0-5 (the unit in upper case)'],
  },
  firefox: {
    'non-ascii-value-unsafe': [
      'GET with Accept with a Latin-1 byte',
      'GET with Accept with byte 0x80',
      'GET with Accept with byte 0xFF',
      'GET with Content-Type text/plain with a Latin-1 parameter',
    ],
    'range-bound-limit': ['GET with Range with a 30-digit start', 'GET with Range starting at 2^64', 'GET with Range starting at 10^20'],
    'no-safelisted-total-limit': [
      'GET with nine Accept values of 120 bytes (over 1024 in total)',
      'GET with twenty Accept values of 120 bytes (2400 in total)',
      'GET with Accept, Accept-Language and Content-Language of 128 bytes and more (over 1024 in total)',
    ],
    'repeated-names-in-request-headers': [
      'GET with the same custom header in two cases',
      'GET with X-B, x-a and X-A (a repeated name in two cases)',
      'GET with the same custom header twice, same case',
    ],
    'authorization-covered-by-wildcard': [
      'GET + Authorization, preflight ACAH * (the standard: * never covers Authorization)',
      'GET + Authorization and X-Custom, preflight ACAH *',
      'cache, ACAH * without credentials, the second adds Authorization',
    ],
    'preflight-repeated-after-redirect': [
      'PUT, 303 to the same server (303 makes it a GET without a preflight; the others preflight again)',
      'POST json, 302: a GET at the target, Content-Type dropped, no preflight there',
      'GET with Authorization, 307 to another site: Authorization dropped, no preflight there',
    ],
    'redirect-preflight-sends-request-origin': ['PUT, 307 to another site: preflighted there with Origin null', 'PUT, 307 to another site, its preflight answers the page origin'],
    'max-age-absent-not-stored': ['PUT + X-Custom twice, Max-Age absent (5 s)'],
    'max-age-failure-not-stored': [
      'PUT + X-Custom twice, Max-Age -1',
      'PUT + X-Custom twice, Max-Age 1.5',
      'PUT + X-Custom twice, Max-Age abc',
      'PUT + X-Custom twice, Max-Age +5',
      'PUT + X-Custom twice, Max-Age 60, 60 (two values in one field)',
      'PUT + X-Custom twice, Max-Age in two fields',
    ],
    'cache-mode-skips-preflight-cache': ['PUT + X-Custom twice, Max-Age 60, the second with cache no-store', 'PUT + X-Custom twice, Max-Age 60, the second with cache reload'],
    'cached-wildcard-literal': ['cache, ACAM * and ACAH * without credentials, the second another method and header'],
    'opaque-origin-not-cached': ['cache, from a sandboxed frame (origin null)'],
  },
  webkit: WEBKIT_DEVIATIONS,
};
const byDesc = new Map(rows.map((r) => [r.desc, r]));
if (byDesc.size !== rows.length) throw new Error('test/browser/scenarios.ts: two rows share a description');
for (const [engine, table] of Object.entries(DEVIATIONS) as [EngineName, Readonly<Record<string, readonly string[]>>][]) {
  for (const [name, descs] of Object.entries(table)) {
    for (const desc of descs) {
      const row = byDesc.get(desc);
      if (row === undefined) throw new Error(`test/browser/scenarios.ts: DEVIATIONS.${engine}.${name}: no row "${desc}"`);
      row.deviations = { ...row.deviations, [engine]: name };
    }
  }
}

export const SCENARIOS: readonly Scenario[] = rows;

/**
 * The deviations an engine shows in some releases only, by major version (inclusive bounds): the
 * release bands of its profile (src/precheck/profile-<engine>.ts, `'chromium@150'`). A deviation
 * not named here is shown by every release the suite ran.
 */
const DEVIATION_RELEASES: Partial<Record<EngineName, Readonly<Record<string, { since?: number; through?: number }>>>> = {
  chromium: {
    'range-bound-one-past': { since: 151 },
    'tainted-preflight-not-cached': { since: 151 },
    'range-unit-case-insensitive': { through: 150 },
    'private-network-header-forbidden': { through: 150 },
  },
  firefox: {
    'max-age-absent-not-stored': { since: 141 },
    'opaque-origin-not-cached': { since: 141 },
  },
};

/** The deviation a row shows in `engine` at major version `major` (null: none, the standard's answer). */
export function deviationAt(scenario: Scenario, engine: EngineName, major: number): string | null {
  const name = scenario.deviations?.[engine];
  if (name === undefined) return null;
  const band = DEVIATION_RELEASES[engine]?.[name];
  return band === undefined || ((band.since === undefined || major >= band.since) && (band.through === undefined || major <= band.through)) ? name : null;
}
