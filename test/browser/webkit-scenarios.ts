// WebKit's part of the real-browser matrix (./scenarios.ts applies it): the rows of the shared
// matrix on which WebKit departs from the standard, by their description, with the deviation's name
// (src/precheck/profile-webkit.ts and src/precheck/engine-parameters.ts document each one), and the
// probe rows added for WebKit's own limits. Every engine runs the probe rows; the marks they carry
// for the other engines are what Chromium 156 and Firefox 153 did on them (names from their
// profiles; `max-age-plus-sign-read` and `max-age-int64-limit` are Chromium's, new with these rows).
import type { RawResponse } from './raw-server.js';
import type { Scenario } from './scenarios.js';

/** WebKit's deviations on rows of the matrix, by name: the descriptions of the rows that show each one. */
export const WEBKIT_DEVIATIONS: Readonly<Record<string, readonly string[]>> = {
  'range-unit-case-insensitive': ['GET with Range Bytes=0-', 'GET with Range BYTES=0-5 (the unit in upper case)'],
  'range-bound-uint64': ['GET with Range with a 30-digit start', 'GET with Range starting at 2^64', 'GET with Range starting at 10^20'],
  'repeated-headers-combined': [
    'GET with two Accept values of 100 bytes',
    'GET with two Content-Type text/plain',
    'GET with eight Accept values of 128 bytes (1024 in total)',
    'GET with Accept, Accept-Language and Content-Language of 128 bytes and more (over 1024 in total)',
  ],
  'authorization-covered-by-wildcard': ['GET + Authorization, preflight ACAH * (the standard: * never covers Authorization)', 'GET + Authorization and X-Custom, preflight ACAH *'],
  'preflight-repeated-after-redirect': [
    'PUT, 303 to the same server (303 makes it a GET without a preflight; the others preflight again)',
    'PUT, 303 to the same server twice, the target answering Max-Age 0',
  ],
  'request-body-headers-kept': ['POST json, 302: a GET at the target, Content-Type dropped, no preflight there'],
  'authorization-kept-across-origins': ['GET with Authorization, 307 to another site: Authorization dropped, no preflight there'],
  'max-age-signed-int64': [
    'PUT + X-Custom twice, Max-Age -1',
    'PUT + X-Custom twice, Max-Age -0',
    'PUT + X-Custom twice, Max-Age +3, the second 3.5 s later',
    'PUT + X-Custom twice, Max-Age 2^63, the second 5.5 s later',
  ],
  'credentialed-entry-serves-uncredentialed': ['cache, credentials include then omit'],
  'cached-wildcard-covers-authorization': ['cache, ACAH * without credentials, the second adds Authorization'],
  'tainted-preflight-not-cached': ['cache, PUT 307 to another site twice: the tainted preflight again'],
};

const ACAO = 'Access-Control-Allow-Origin';
const ACAC = 'Access-Control-Allow-Credentials';
const ACAM = 'Access-Control-Allow-Methods';
const ACAH = 'Access-Control-Allow-Headers';
const MAX_AGE = 'Access-Control-Max-Age';

const allowPreflight: RawResponse = { status: 204, headers: [[ACAO, '{{origin}}'], [ACAC, 'true'], [ACAM, '{{acrm}}'], [ACAH, '{{acrh}}']] };
const allowResponse: RawResponse = { status: 200, headers: [[ACAO, '{{origin}}'], [ACAC, 'true'], ['Content-Type', 'text/plain']] };
const cachePre = (maxAge: string): RawResponse => ({ status: 204, headers: [[ACAO, '{{origin}}'], [ACAC, 'true'], [ACAM, 'PUT'], [ACAH, 'x-custom'], [MAX_AGE, maxAge]] });
const putX = { method: 'PUT', headers: { 'X-Custom': '1' }, credentials: 'include' as const };
const to = (status: number, location: string): RawResponse => ({ status, headers: [[ACAO, '{{origin}}'], ['Location', location]] });

/** Rows added for WebKit's limits, with the category each belongs to (no id: ./scenarios.ts numbers them). */
export const WEBKIT_ROWS: readonly (Omit<Scenario, 'id' | 'category'> & { category: string })[] = [
  { category: 'request-headers', desc: 'GET with Range BYTES=0-5 (the unit in upper case)', target: 'B', init: { headers: { Range: 'BYTES=0-5' }, credentials: 'include' }, preflight: allowPreflight, response: allowResponse },
  { category: 'preflight-cache', desc: 'PUT + X-Custom twice, Max-Age -0', target: 'B', init: putX, preflight: cachePre('-0'), response: allowResponse, repeat: {}, deviations: { chromium: 'negative-max-age-expires', firefox: 'max-age-failure-not-stored' } },
  // Max-Age +3: a signed integer in WebKit (gone after 3 s), not digits for the standard (5 s).
  { category: 'preflight-cache', desc: 'PUT + X-Custom twice, Max-Age +3, the second 3.5 s later', target: 'B', init: putX, preflight: cachePre('+3'), response: allowResponse, repeat: { waitMs: 3500 }, deviations: { chromium: 'max-age-plus-sign-read', firefox: 'max-age-failure-not-stored' } },
  // 2^63 does not fit WebKit's signed 64-bit parse: the 5 s default; the standard has no limit.
  { category: 'preflight-cache', desc: 'PUT + X-Custom twice, Max-Age 2^63, the second 5.5 s later', target: 'B', init: putX, preflight: cachePre('9223372036854775808'), response: allowResponse, repeat: { waitMs: 5500 }, deviations: { chromium: 'max-age-int64-limit' } },
  // The first hop spared by the cache still makes WebKit preflight the next one.
  {
    category: 'redirects',
    desc: 'PUT, 303 to the same server twice, the target answering Max-Age 0',
    target: 'B',
    init: { method: 'PUT' },
    chain: [
      { preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [MAX_AGE, '60']] }, response: to(303, '{{next}}') },
      { preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [MAX_AGE, '0']] }, response: allowResponse },
    ],
    repeat: {},
    deviations: { firefox: 'preflight-repeated-after-redirect' },
  },
  // After a cross-origin hop WebKit's request origin is a fresh opaque origin: its preflight is never found again.
  {
    category: 'preflight-cache',
    desc: 'cache, PUT 307 to another site twice: the tainted preflight again',
    target: 'B',
    init: { method: 'PUT' },
    chain: [
      { preflight: { status: 204, headers: [[ACAO, '{{origin}}'], [ACAM, 'PUT'], [MAX_AGE, '60']] }, response: to(307, '{{L}}{{next}}') },
      { preflight: { status: 204, headers: [[ACAO, 'null'], [ACAM, 'PUT'], [MAX_AGE, '60']] }, response: { status: 200, headers: [[ACAO, 'null']] } },
    ],
    repeat: {},
    deviations: { chromium: 'tainted-preflight-not-cached', firefox: 'redirect-preflight-sends-request-origin' },
  },
];
