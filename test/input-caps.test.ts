// Every untrusted input is capped before any work. One row per cap, through the public API: a
// value at the cap is read and decided on its merits, one character past it is refused without
// being read, and a megabyte is refused the same way. (The caps' own modules test their edges
// in detail: test/header-list, test/decide-protocol, test/policy-pattern, test/matcher-export,
// test/cli-audit, test/adapters/options, test/decide-url-cap.)
import { describe, expect, it } from 'vitest';
import { ownUrlFor, MAX_HOST_HEADER_LENGTH } from '../src/adapters/options.js';
import { compilePolicy, lintPolicy } from '../src/compile/compile-policy.js';
import { MAX_METHOD_LENGTH } from '../src/decide/decide.js';
import { MAX_REQUEST_HEADER_NAMES, MAX_REQUEST_HEADERS_LENGTH } from '../src/fetch/header-list.js';
import { createLivePolicy } from '../src/live/live-policy.js';
import { MAX_ORIGIN_LENGTH } from '../src/origin/limits.js';
import { MAX_ORIGIN_PART_LENGTH } from '../src/origin/origin.js';
import { MAX_PATTERN_LENGTH } from '../src/policy/pattern.js';
import { MAX_REGEXP_SOURCE_LENGTH } from '../src/policy/regexp-rule.js';
import type { CorsRequest } from '../src/types.js';

const MB = 1 << 20;
/** The longest serialized origin: four labels at DNS limits, a trailing dot, the largest port. */
const LONGEST = `https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.:65535`;
const policy = compilePolicy({ origins: [LONGEST.replace(':65535', ':*')], methods: '*', allowHeaders: '*' });
const reason = (req: CorsRequest): string => policy.decide(req).reason;
const preflight = (requestMethod: string, requestHeaders: string | null = null): CorsRequest => ({ method: 'OPTIONS', origin: LONGEST, requestMethod, requestHeaders });
const headerNames = (n: number): string => Array.from({ length: n }, (_, i) => `x-h${i}`).join(',');
/** A URL whose authority (userinfo + host) is `length` characters, same-origin with LONGEST's host when read. */
const urlWithAuthority = (length: number): string => {
  const host = 'app.example.com';
  return `https://${'u'.repeat(length - host.length - 1)}@${host}/`;
};

interface CapRow {
  input: string;
  cap: number;
  /** The value `length` characters long (or with `length` units of the capped thing). */
  make: (length: number) => string;
  /** What happens at the cap, and past it. */
  at: (value: string) => unknown;
  wantAt: unknown;
  wantPast: unknown;
}

const ROWS: CapRow[] = [
  {
    input: 'Origin',
    cap: MAX_ORIGIN_LENGTH,
    make: (n) => (n === MAX_ORIGIN_LENGTH ? LONGEST : `${LONGEST}${'5'.repeat(n - MAX_ORIGIN_LENGTH)}`),
    at: (origin) => reason({ method: 'GET', origin: origin as string }),
    wantAt: 'ok',
    wantPast: 'invalid-origin',
  },
  {
    input: 'method of an actual request',
    cap: MAX_METHOD_LENGTH,
    make: (n) => 'X'.repeat(n),
    at: (method) => reason({ method: method as string, origin: LONGEST }),
    wantAt: 'ok',
    wantPast: 'invalid-method',
  },
  {
    input: 'Access-Control-Request-Method',
    cap: MAX_METHOD_LENGTH,
    make: (n) => 'X'.repeat(n),
    at: (acrm) => reason(preflight(acrm as string)),
    wantAt: 'ok',
    wantPast: 'invalid-method',
  },
  {
    input: 'Access-Control-Request-Headers (characters)',
    cap: MAX_REQUEST_HEADERS_LENGTH,
    make: (n) => 'x'.repeat(n),
    at: (acrh) => reason(preflight('GET', acrh as string)),
    wantAt: 'ok',
    wantPast: 'request-headers-too-long',
  },
  {
    input: 'Access-Control-Request-Headers (names)',
    cap: MAX_REQUEST_HEADER_NAMES,
    make: headerNames,
    at: (acrh) => reason(preflight('GET', acrh as string)),
    wantAt: 'ok',
    wantPast: 'request-headers-too-long',
  },
  {
    input: "the request's url (its authority)",
    cap: MAX_ORIGIN_PART_LENGTH,
    make: urlWithAuthority,
    at: (url) => compilePolicy({ origins: ['https://other.example'] }).decide({ method: 'GET', origin: 'https://app.example.com', url: url as string }).kind,
    wantAt: 'same-origin',
    wantPast: 'actual', // not read: cross-origin, and the policy decides
  },
  {
    input: 'Host header (the adapters build the own URL from it)',
    cap: MAX_HOST_HEADER_LENGTH,
    make: (n) => `${'a'.repeat(n - ':65535'.length)}:65535`,
    at: (host) => ownUrlFor(`http://${host as string}`, 'http', host as string) !== undefined,
    wantAt: true,
    wantPast: false,
  },
  {
    input: 'an origin pattern in a policy',
    cap: MAX_PATTERN_LENGTH,
    make: (n) => `https://${'a'.repeat(n - 'https://'.length)}`,
    at: (pattern) => lintPolicy({ origins: [pattern as string] }).map((i) => i.code).includes('pattern-too-long'),
    wantAt: false, // read, and refused for what it is (a host past DNS limits)
    wantPast: true,
  },
  {
    input: "a RegExp rule's source",
    cap: MAX_REGEXP_SOURCE_LENGTH,
    make: (n) => `^https:\\/\\/(${'a'.repeat(n - '^https:\\/\\/()\\.example\\.com$'.length)})\\.example\\.com$`,
    at: (source) => lintPolicy({ origins: [new RegExp(source as string)] }).filter((i) => i.severity === 'error').map((i) => i.code),
    wantAt: [],
    wantPast: ['regexp-too-long'],
  },
];

describe('every untrusted input is capped before any work', () => {
  for (const row of ROWS) {
    describe(row.input, () => {
      it(`at the cap (${row.cap})`, () => {
        const value = row.make(row.cap);
        expect(countOf(row, value)).toBe(row.cap);
        expect(row.at(value)).toEqual(row.wantAt);
      });
      it('one past the cap', () => {
        const value = row.make(row.cap + 1);
        expect(countOf(row, value)).toBe(row.cap + 1);
        expect(row.at(value)).toEqual(row.wantPast);
      });
      it('a megabyte', () => {
        const value = row.make(row.input.includes('(names)') ? MB / 8 : MB);
        expect(row.at(value)).toEqual(row.wantPast);
      });
    });
  }
});

/** The measure the cap is on: characters, or names for the name-count cap, or the url's authority. */
function countOf(row: CapRow, value: string): number {
  if (row.input.includes('(names)')) return value.split(',').length;
  if (row.input.includes('url')) return value.slice('https://'.length, value.indexOf('/', 'https://'.length)).length;
  if (row.input.includes('RegExp')) return new RegExp(value).source.length;
  return value.length;
}

describe('a live policy asks its resolver only about origins within the cap', () => {
  it('never calls resolveOrigin with an Origin past MAX_ORIGIN_LENGTH, and calls it at the cap', async () => {
    const asked: string[] = [];
    const live = createLivePolicy({ origins: ['https://app.example.com'] }, { resolveOrigin: (o) => (asked.push(o), true) });
    const past = `${LONGEST}5`;
    expect((await live.decideAsync({ method: 'GET', origin: past })).reason).toBe('invalid-origin');
    expect((await live.decideAsync({ method: 'GET', origin: `https://${'a'.repeat(MB)}.example` })).reason).toBe('invalid-origin');
    expect(asked).toEqual([]);
    expect((await live.decideAsync({ method: 'GET', origin: LONGEST })).allowed).toBe(true);
    expect(asked).toEqual([LONGEST]);
  });
});
