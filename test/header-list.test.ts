import { describe, expect, it } from 'vitest';
import {
  ACRH_INVALID,
  ACRH_NOT_ALLOWED,
  ACRH_OK,
  ACRH_TOO_LONG,
  checkRequestHeaderNames,
  compileHeaderNameSet,
  MAX_REQUEST_HEADER_NAMES,
  MAX_REQUEST_HEADERS_LENGTH,
  parseRequestHeaderNames,
  type HeaderNameSet,
} from '../src/fetch/header-list.js';

const VERDICT_NAMES = ['ok', 'too-long', 'invalid', 'not-allowed'] as const;
const name = (v: number) => VERDICT_NAMES[v] ?? String(v);

const LIST = compileHeaderNameSet(['Content-Type', 'X-Requested-With', 'x-api-key'], false);
const STAR = compileHeaderNameSet([], true);
const STAR_AND_AUTH = compileHeaderNameSet(['Authorization'], true);

/** `n` distinct valid names `h0,h1,...` joined by commas. */
function names(n: number): string {
  return Array.from({ length: n }, (_, i) => `h${i}`).join(',');
}

describe('checkRequestHeaderNames', () => {
  const rows: { desc: string; set: HeaderNameSet; input: string; want: number }[] = [
    // well-formed lists against an explicit allow-list
    { desc: 'one allowed name, as a browser sends it', set: LIST, input: 'content-type', want: ACRH_OK },
    { desc: 'sorted list, bare commas', set: LIST, input: 'content-type,x-api-key,x-requested-with', want: ACRH_OK },
    { desc: 'mixed case compares case-insensitively', set: LIST, input: 'Content-TYPE, X-API-Key', want: ACRH_OK },
    { desc: 'OWS around elements (spaces and tabs)', set: LIST, input: ' \tcontent-type \t,\t x-api-key ', want: ACRH_OK },
    { desc: 'duplicates are one name', set: LIST, input: 'x-api-key,X-API-KEY,x-api-key', want: ACRH_OK },
    { desc: 'empty elements are ignored', set: LIST, input: ',,content-type,, ,x-api-key,', want: ACRH_OK },
    { desc: 'empty value lists nothing', set: LIST, input: '', want: ACRH_OK },
    { desc: 'commas and spaces only list nothing', set: LIST, input: ' , ,, ', want: ACRH_OK },
    { desc: 'a name not in the list', set: LIST, input: 'content-type,x-other', want: ACRH_NOT_ALLOWED },
    { desc: 'a prefix of an allowed name', set: LIST, input: 'content-typ', want: ACRH_NOT_ALLOWED },
    { desc: 'an allowed name plus one character', set: LIST, input: 'x-api-keys', want: ACRH_NOT_ALLOWED },
    { desc: 'safelisted names still need allowing (accept)', set: LIST, input: 'accept', want: ACRH_NOT_ALLOWED },
    { desc: 'authorization is not in the list', set: LIST, input: 'authorization', want: ACRH_NOT_ALLOWED },
    // syntax
    { desc: 'space inside a name', set: LIST, input: 'content type', want: ACRH_INVALID },
    { desc: 'colon is not a tchar', set: LIST, input: 'content-type:', want: ACRH_INVALID },
    { desc: 'quoted string', set: LIST, input: '"content-type"', want: ACRH_INVALID },
    { desc: 'NUL', set: LIST, input: 'content-type,\u0000', want: ACRH_INVALID },
    { desc: 'CR LF inside the value', set: LIST, input: 'content-type\r\n,x-api-key', want: ACRH_INVALID },
    { desc: 'non-ASCII letter', set: STAR, input: 'x-caf\u00e9', want: ACRH_INVALID },
    { desc: 'lone high surrogate', set: STAR, input: 'x-\ud800', want: ACRH_INVALID },
    { desc: 'lone low surrogate', set: STAR, input: '\udc00', want: ACRH_INVALID },
    { desc: 'invalid wins over not-allowed that comes first', set: LIST, input: 'x-other,bad name', want: ACRH_INVALID },
    { desc: 'invalid wins over not-allowed that comes after', set: LIST, input: 'bad name,x-other', want: ACRH_INVALID },
    // wildcard
    { desc: '* covers any name', set: STAR, input: 'x-anything,content-type,x-b', want: ACRH_OK },
    { desc: '* does not cover authorization', set: STAR, input: 'x-a,authorization', want: ACRH_NOT_ALLOWED },
    { desc: '* does not cover Authorization in any case', set: STAR, input: 'AuThOrIzAtIoN', want: ACRH_NOT_ALLOWED },
    { desc: '* with authorization listed explicitly', set: STAR_AND_AUTH, input: 'authorization,x-a', want: ACRH_OK },
    { desc: '* covers authorizations (not the same name)', set: STAR, input: 'authorizations', want: ACRH_OK },
    // bounds
    { desc: 'length cap exactly', set: STAR, input: 'x'.repeat(MAX_REQUEST_HEADERS_LENGTH), want: ACRH_OK },
    { desc: 'length cap plus one', set: STAR, input: 'x'.repeat(MAX_REQUEST_HEADERS_LENGTH + 1), want: ACRH_TOO_LONG },
    { desc: '1 MB of commas and spaces', set: STAR, input: ', '.repeat(512 * 1024), want: ACRH_TOO_LONG },
    { desc: '1 MB hostile value against a list', set: LIST, input: 'a,'.repeat(512 * 1024), want: ACRH_TOO_LONG },
    { desc: 'element cap exactly', set: STAR, input: names(MAX_REQUEST_HEADER_NAMES), want: ACRH_OK },
    { desc: 'element cap plus one', set: STAR, input: names(MAX_REQUEST_HEADER_NAMES + 1), want: ACRH_TOO_LONG },
    {
      desc: 'empty elements do not count toward the element cap',
      set: STAR,
      input: names(MAX_REQUEST_HEADER_NAMES) + ','.repeat(1000),
      want: ACRH_OK,
    },
  ];
  for (const { desc, set, input, want } of rows) {
    it(desc, () => {
      const got = checkRequestHeaderNames(input, set);
      const shown = input.length > 60 ? `${JSON.stringify(input.slice(0, 40))}... (${input.length} chars)` : JSON.stringify(input);
      expect(name(got), `checkRequestHeaderNames(${shown}): got ${name(got)}; want ${name(want)}`).toBe(name(want));
    });
  }

  it('a long allow-list raises the length cap so asking for all of it is never refused', () => {
    const many = Array.from({ length: 300 }, (_, i) => `x-custom-header-number-${i}`);
    const set = compileHeaderNameSet(many, false);
    const all = many.join(',');
    expect(all.length).toBeGreaterThan(MAX_REQUEST_HEADERS_LENGTH);
    const got = checkRequestHeaderNames(all, set);
    expect(name(got), `checkRequestHeaderNames(<all ${many.length} allowed>): got ${name(got)}; want ok`).toBe('ok');
  });

  it('a hash hit is confirmed by comparing the name (two names with the same FNV-1a hash)', () => {
    const [a, b] = findFnvCollision();
    const set = compileHeaderNameSet([a], false);
    expect(name(checkRequestHeaderNames(a, set)), `checkRequestHeaderNames(${a}) with {${a}}`).toBe('ok');
    const got = checkRequestHeaderNames(b, set);
    expect(name(got), `checkRequestHeaderNames(${b}) with {${a}}, same hash: got ${name(got)}; want not-allowed`).toBe(
      'not-allowed',
    );
  });
});

describe('compileHeaderNameSet', () => {
  it('lower-cases, deduplicates and drops names that are not tokens', () => {
    const set = compileHeaderNameSet(['X-A', 'x-a', 'bad name', '', 'X-B'], false);
    expect(set.names, 'compileHeaderNameSet([X-A, x-a, "bad name", "", X-B]).names').toEqual(['x-a', 'x-b']);
  });
});

describe('parseRequestHeaderNames', () => {
  const rows: { desc: string; input: string; want: string[] | null }[] = [
    { desc: 'sorted, unique, lower-case', input: 'X-B, x-a,X-A', want: ['x-a', 'x-b'] },
    { desc: 'empty elements ignored', input: ',x-a,,', want: ['x-a'] },
    { desc: 'empty value', input: '', want: [] },
    { desc: 'invalid token', input: 'x a', want: null },
    { desc: 'over the length cap', input: 'x'.repeat(MAX_REQUEST_HEADERS_LENGTH + 1), want: null },
    { desc: 'authorization is a name like any other here', input: 'Authorization', want: ['authorization'] },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      const got = parseRequestHeaderNames(input);
      expect(got, `parseRequestHeaderNames(${JSON.stringify(input.slice(0, 40))}): got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`).toEqual(want);
    });
  }
  it('throws a TypeError naming the argument for a non-string', () => {
    expect(() => parseRequestHeaderNames(42 as unknown as string)).toThrow(/value/);
  });
});

/** A plain FNV-1a (32-bit) over lower-cased ASCII, written here from the FNV definition. */
function fnv1a(s: string): number {
  const lower = s.toLowerCase();
  let h = 0x811c9dc5;
  for (let i = 0; i < lower.length; i++) h = Math.imul(h ^ lower.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Two distinct token names with the same hash (birthday search; deterministic). */
function findFnvCollision(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; i < 1_000_000; i++) {
    const candidate = `x-${i.toString(36)}`;
    const h = fnv1a(candidate);
    const other = seen.get(h);
    if (other !== undefined) return [other, candidate];
    seen.set(h, candidate);
  }
  throw new Error('findFnvCollision: no collision in 1e6 names');
}
