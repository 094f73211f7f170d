// Fetch §2.2.2 request-header and response-header rules (src/fetch/safelisted-request-header.ts,
// src/fetch/response-headers.ts): tables of named rows with their boundaries.
import { describe, expect, it } from 'vitest';
import {
  corsUnsafeRequestHeaderNames,
  isCorsNonWildcardRequestHeaderName,
  isCorsSafelistedRequestHeader,
  isCorsUnsafeRequestHeaderByte,
  isNoCorsSafelistedRequestHeader,
  isNoCorsSafelistedRequestHeaderName,
  isPrivilegedNoCorsRequestHeaderName,
  parseMimeTypeEssence,
  parseSingleRangeHeaderValue,
  toSortedLowercaseSet,
  type HeaderEntry,
} from '../src/fetch/safelisted-request-header.js';
import { CORS_SAFELISTED_RESPONSE_HEADER_NAMES, isCorsSafelistedResponseHeaderName } from '../src/fetch/response-headers.js';

const show = (x: unknown): string => JSON.stringify(x);

describe('isCorsUnsafeRequestHeaderByte', () => {
  const unsafe = [...Array.from({ length: 0x20 }, (_, i) => i).filter((b) => b !== 0x09), 0x22, 0x28, 0x29, 0x3a, 0x3c, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f];
  it('exactly the bytes Fetch lists (all 256 bytes)', () => {
    for (let b = 0; b < 256; b++) {
      expect(isCorsUnsafeRequestHeaderByte(b), `isCorsUnsafeRequestHeaderByte(0x${b.toString(16)})`).toBe(unsafe.includes(b));
    }
  });
});

describe('isCorsSafelistedRequestHeader', () => {
  const rows: { desc: string; name: string; value: string; want: boolean }[] = [
    { desc: 'Accept */*', name: 'Accept', value: '*/*', want: true },
    { desc: 'accept in any case', name: 'aCCePT', value: 'text/html', want: true },
    { desc: 'Accept empty', name: 'Accept', value: '', want: true },
    { desc: 'Accept of 128 bytes (at the limit)', name: 'Accept', value: 'a'.repeat(128), want: true },
    { desc: 'Accept of 129 bytes (one over)', name: 'Accept', value: 'a'.repeat(129), want: false },
    { desc: 'Accept with a tab (allowed)', name: 'Accept', value: 'a\tb', want: true },
    { desc: 'Accept with a quote', name: 'Accept', value: 'a"b', want: false },
    { desc: 'Accept with (', name: 'Accept', value: 'a(b', want: false },
    { desc: 'Accept with :', name: 'Accept', value: 'a:b', want: false },
    { desc: 'Accept with @', name: 'Accept', value: 'a@b', want: false },
    { desc: 'Accept with \\', name: 'Accept', value: 'a\\b', want: false },
    { desc: 'Accept with {', name: 'Accept', value: 'a{b', want: false },
    { desc: 'Accept with DEL', name: 'Accept', value: 'a\u007fb', want: false },
    { desc: 'Accept with a C0 control', name: 'Accept', value: 'a\u0001b', want: false },
    { desc: 'Accept with a Latin-1 byte', name: 'Accept', value: 'caf\u00e9', want: true },
    { desc: 'Accept with a code unit above 0xFF (no byte form)', name: 'Accept', value: '\u20ac', want: false },
    { desc: 'Accept with a lone surrogate', name: 'Accept', value: '\ud800', want: false },
    { desc: 'Accept-Language en-US,en;q=0.9', name: 'Accept-Language', value: 'en-US,en;q=0.9', want: true },
    { desc: 'Accept-Language *', name: 'Accept-Language', value: '*', want: true },
    { desc: 'Accept-Language with _', name: 'Accept-Language', value: 'en_US', want: false },
    { desc: 'Accept-Language with a tab', name: 'Accept-Language', value: 'en\tUS', want: false },
    { desc: 'Content-Language de-DE', name: 'Content-Language', value: 'de-DE', want: true },
    { desc: 'Content-Language with /', name: 'Content-Language', value: 'de/DE', want: false },
    { desc: 'Content-Type text/plain', name: 'Content-Type', value: 'text/plain', want: true },
    { desc: 'Content-Type TEXT/PLAIN', name: 'content-type', value: 'TEXT/PLAIN', want: true },
    { desc: 'Content-Type with a charset', name: 'Content-Type', value: 'text/plain;charset=utf-8', want: true },
    { desc: 'Content-Type multipart/form-data with a boundary', name: 'Content-Type', value: 'multipart/form-data; boundary=x', want: true },
    { desc: 'Content-Type application/x-www-form-urlencoded', name: 'Content-Type', value: 'application/x-www-form-urlencoded', want: true },
    { desc: 'Content-Type application/json', name: 'Content-Type', value: 'application/json', want: false },
    { desc: 'Content-Type text/html', name: 'Content-Type', value: 'text/html', want: false },
    { desc: 'Content-Type text/plain garbage', name: 'Content-Type', value: 'text/plain garbage', want: false },
    { desc: 'Content-Type with a quoted parameter (unsafe byte)', name: 'Content-Type', value: 'text/plain; charset="x"', want: false },
    { desc: 'Content-Type text/plain; (empty parameter)', name: 'Content-Type', value: 'text/plain;', want: true },
    { desc: 'Content-Type with a space before ;', name: 'Content-Type', value: 'text/plain ;a=b', want: true },
    { desc: 'Content-Type empty', name: 'Content-Type', value: '', want: false },
    { desc: 'Content-Type text/', name: 'Content-Type', value: 'text/', want: false },
    { desc: 'Content-Type without a slash', name: 'Content-Type', value: 'text', want: false },
    { desc: 'Content-Type with a comma in the subtype', name: 'Content-Type', value: 'text/plain,text/html', want: false },
    { desc: 'Content-Type of 128 bytes', name: 'Content-Type', value: `text/plain;a=${'b'.repeat(128 - 13)}`, want: true },
    { desc: 'Content-Type of 129 bytes', name: 'Content-Type', value: `text/plain;a=${'b'.repeat(129 - 13)}`, want: false },
    { desc: 'Range bytes=0-', name: 'Range', value: 'bytes=0-', want: true },
    { desc: 'Range bytes=0-10', name: 'Range', value: 'bytes=0-10', want: true },
    { desc: 'Range bytes=5-5', name: 'Range', value: 'bytes=5-5', want: true },
    { desc: 'Range bytes=-5 (suffix, not safelisted)', name: 'Range', value: 'bytes=-5', want: false },
    { desc: 'Range bytes=5-1', name: 'Range', value: 'bytes=5-1', want: false },
    { desc: 'Range with whitespace', name: 'Range', value: 'bytes = 0-1', want: false },
    { desc: 'Range with two ranges', name: 'Range', value: 'bytes=0-1,2-3', want: false },
    { desc: 'Range Bytes=0- (case-sensitive unit)', name: 'Range', value: 'Bytes=0-', want: false },
    { desc: 'Range with a 30-digit start', name: 'Range', value: `bytes=${'9'.repeat(30)}-`, want: true },
    { desc: 'Range start above end, big numbers', name: 'Range', value: `bytes=${'9'.repeat(30)}-${'9'.repeat(29)}`, want: false },
    { desc: 'X-Custom', name: 'X-Custom', value: '1', want: false },
    { desc: 'Authorization', name: 'Authorization', value: 'x', want: false },
    { desc: 'DPR (a client hint: not in the standard)', name: 'DPR', value: '2', want: false },
    { desc: 'empty name', name: '', value: '', want: false },
  ];
  for (const { desc, name, value, want } of rows) {
    it(desc, () => {
      expect(isCorsSafelistedRequestHeader(name, value), `isCorsSafelistedRequestHeader(${show(name)}, ${show(value)})`).toBe(want);
    });
  }
  it('throws a TypeError naming the argument for non-strings', () => {
    expect(() => isCorsSafelistedRequestHeader(1 as unknown as string, 'x')).toThrow(/name/);
    expect(() => isCorsSafelistedRequestHeader('Accept', null as unknown as string)).toThrow(/value/);
  });
  it('is total over a 100 KB value', () => {
    expect(isCorsSafelistedRequestHeader('Accept', 'a'.repeat(100_000))).toBe(false);
  });
});

describe('parseMimeTypeEssence (MIME Sniffing "parse a MIME type", essence only)', () => {
  const rows: { input: string; want: string | null }[] = [
    { input: 'text/plain', want: 'text/plain' },
    { input: ' Text/Plain ; a=b', want: 'text/plain' },
    { input: 'text/plain\t', want: 'text/plain' },
    { input: '/plain', want: null },
    { input: 'text/', want: null },
    { input: 'text', want: null },
    { input: 'te xt/plain', want: null },
    { input: 'text/pl ain', want: null },
    { input: '', want: null },
  ];
  for (const { input, want } of rows) {
    it(show(input), () => expect(parseMimeTypeEssence(input), `parseMimeTypeEssence(${show(input)})`).toBe(want));
  }
});

describe('parseSingleRangeHeaderValue', () => {
  const rows: { input: string; ws: boolean; want: readonly [string | null, string | null] | null }[] = [
    { input: 'bytes=0-', ws: false, want: ['0', null] },
    { input: 'bytes=-5', ws: false, want: [null, '5'] },
    { input: 'bytes=1-2', ws: false, want: ['1', '2'] },
    { input: 'bytes=-', ws: false, want: null },
    { input: 'bytes=2-1', ws: false, want: null },
    { input: 'bytes=010-10', ws: false, want: ['010', '10'] },
    { input: 'bytes = 1 - 2', ws: true, want: ['1', '2'] },
    { input: 'bytes = 1 - 2', ws: false, want: null },
    { input: 'bytes=1-2 ', ws: false, want: null },
    { input: 'byte=1-2', ws: false, want: null },
    { input: 'bytes', ws: false, want: null },
  ];
  for (const { input, ws, want } of rows) {
    it(`${show(input)} allowWhitespace ${ws}`, () => {
      expect(parseSingleRangeHeaderValue(input, ws), `parseSingleRangeHeaderValue(${show(input)}, ${ws})`).toEqual(want);
    });
  }
});

describe('corsUnsafeRequestHeaderNames', () => {
  const h = (name: string, value: string): HeaderEntry => ({ name, value });
  const rows: { desc: string; headers: HeaderEntry[]; want: string[] }[] = [
    { desc: 'none', headers: [], want: [] },
    { desc: 'only safelisted', headers: [h('Accept', 'x'), h('Content-Type', 'text/plain')], want: [] },
    { desc: 'sorted, lower-case, unique', headers: [h('X-B', '1'), h('x-a', '1'), h('X-b', '2'), h('Content-Type', 'application/json')], want: ['content-type', 'x-a', 'x-b'] },
    { desc: 'safelisted values totalling exactly 1024 bytes', headers: Array.from({ length: 8 }, () => h('Accept', 'x'.repeat(128))), want: [] },
    { desc: 'safelisted values totalling 1025 bytes', headers: [...Array.from({ length: 8 }, () => h('Accept', 'x'.repeat(128))), h('Accept-Language', 'e')], want: ['accept', 'accept-language'] },
    { desc: 'unsafe values do not count toward the total', headers: [h('X-Big', 'x'.repeat(2000)), h('Accept', 'a')], want: ['x-big'] },
  ];
  for (const { desc, headers, want } of rows) {
    it(desc, () => expect(corsUnsafeRequestHeaderNames(headers), `corsUnsafeRequestHeaderNames(${desc})`).toEqual(want));
  }
  it('toSortedLowercaseSet sorts in byte order', () => {
    expect(toSortedLowercaseSet(['b', 'A', 'a', '_', 'Z'])).toEqual(['_', 'a', 'b', 'z']);
  });
});

describe('no-CORS, privileged and non-wildcard names', () => {
  const rows: { desc: string; got: () => boolean; want: boolean }[] = [
    { desc: 'Accept is no-CORS-safelisted', got: () => isNoCorsSafelistedRequestHeaderName('ACCEPT'), want: true },
    { desc: 'Content-Type is no-CORS-safelisted', got: () => isNoCorsSafelistedRequestHeaderName('content-type'), want: true },
    { desc: 'Range is not no-CORS-safelisted', got: () => isNoCorsSafelistedRequestHeaderName('Range'), want: false },
    { desc: 'Content-Type json is not a no-CORS-safelisted header', got: () => isNoCorsSafelistedRequestHeader('Content-Type', 'application/json'), want: false },
    { desc: 'Accept-Language en is a no-CORS-safelisted header', got: () => isNoCorsSafelistedRequestHeader('Accept-Language', 'en'), want: true },
    { desc: 'Range is the privileged no-CORS name', got: () => isPrivilegedNoCorsRequestHeaderName('rAnGe'), want: true },
    { desc: 'Accept is not privileged', got: () => isPrivilegedNoCorsRequestHeaderName('Accept'), want: false },
    { desc: 'Authorization is the non-wildcard name', got: () => isCorsNonWildcardRequestHeaderName('AUTHORIZATION'), want: true },
    { desc: 'Proxy-Authorization is not', got: () => isCorsNonWildcardRequestHeaderName('Proxy-Authorization'), want: false },
  ];
  for (const { desc, got, want } of rows) it(desc, () => expect(got(), desc).toBe(want));
});

describe('isCorsSafelistedResponseHeaderName', () => {
  const rows: { desc: string; name: string; exposed: string[]; want: boolean }[] = [
    ...CORS_SAFELISTED_RESPONSE_HEADER_NAMES.map((name) => ({ desc: `${name} always`, name: name.toUpperCase(), exposed: [], want: true })),
    { desc: 'Date is not safelisted', name: 'Date', exposed: [], want: false },
    { desc: 'an exposed name, case-insensitively', name: 'X-A', exposed: ['x-a'], want: true },
    { desc: 'Set-Cookie even when exposed', name: 'Set-Cookie', exposed: ['Set-Cookie'], want: false },
    { desc: 'Set-Cookie2 even when exposed', name: 'set-cookie2', exposed: ['set-cookie2'], want: false },
    { desc: '* in the list matches only a header named *', name: 'X-A', exposed: ['*'], want: false },
  ];
  for (const { desc, name, exposed, want } of rows) {
    it(desc, () => expect(isCorsSafelistedResponseHeaderName(name, exposed), `isCorsSafelistedResponseHeaderName(${show(name)}, ${show(exposed)})`).toBe(want));
  }
});
