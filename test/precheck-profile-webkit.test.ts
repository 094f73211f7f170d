// The 'webkit' profile's request-header rules (src/precheck/profile-webkit.ts): the `Range` rows
// the real-browser suite found (boundaries on both sides of each limit), and, for every other
// header, the standard's answer unchanged (a seeded property test).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCorsSafelistedRequestHeader } from '../src/fetch/safelisted-request-header.js';
import { WEBKIT_PROFILE } from '../src/precheck/profile-webkit.js';

const rows: { desc: string; value: string; webkit: boolean; spec: boolean }[] = [
  { desc: 'bytes=0-', value: 'bytes=0-', webkit: true, spec: true },
  { desc: 'unit Bytes (WebKit: any case)', value: 'Bytes=0-', webkit: true, spec: false },
  { desc: 'unit BYTES with an end', value: 'BYTES=0-5', webkit: true, spec: false },
  { desc: 'unit bYtEs', value: 'bYtEs=0-5', webkit: true, spec: false },
  { desc: 'unit bytesx', value: 'bytesx=0-', webkit: false, spec: false },
  { desc: 'whitespace before =', value: 'bytes =0-', webkit: false, spec: false },
  { desc: 'a suffix range', value: 'bytes=-5', webkit: false, spec: false },
  { desc: 'start after end', value: 'bytes=5-1', webkit: false, spec: false },
  { desc: 'start 2^64 - 2', value: 'bytes=18446744073709551614-', webkit: true, spec: true },
  { desc: 'start 2^64 - 1 (the largest WebKit reads)', value: 'bytes=18446744073709551615-', webkit: true, spec: true },
  { desc: 'start 2^64 (too large by one)', value: 'bytes=18446744073709551616-', webkit: false, spec: true },
  { desc: 'end 2^64 - 1', value: 'bytes=0-18446744073709551615', webkit: true, spec: true },
  { desc: 'end 2^64', value: 'bytes=0-18446744073709551616', webkit: false, spec: true },
  { desc: 'start of 20 nines', value: 'bytes=99999999999999999999-', webkit: false, spec: true },
  { desc: 'a start of 1 written with 31 digits (leading zeros)', value: `bytes=${'0'.repeat(30)}1-`, webkit: true, spec: true },
  { desc: 'an end of 117 ones (fits 128 bytes, not 64 bits)', value: `bytes=0-${'1'.repeat(117)}`, webkit: false, spec: true },
  { desc: 'Bytes with a start of 2^64', value: 'Bytes=18446744073709551616-', webkit: false, spec: false },
  { desc: '129 bytes', value: `bytes=0-${'0'.repeat(121)}`, webkit: false, spec: false },
];

describe("the 'webkit' profile: Range", () => {
  for (const r of rows) {
    it(`${r.desc}: ${JSON.stringify(r.value)}`, () => {
      expect(WEBKIT_PROFILE.isCorsSafelistedRequestHeader('Range', r.value), `webkit isCorsSafelistedRequestHeader('Range', ${JSON.stringify(r.value)})`).toBe(r.webkit);
      expect(isCorsSafelistedRequestHeader('Range', r.value), `spec isCorsSafelistedRequestHeader('Range', ${JSON.stringify(r.value)})`).toBe(r.spec);
    });
  }
});

describe("the 'webkit' profile: every header but Range as the standard", () => {
  const names = fc.constantFrom('Accept', 'accept-language', 'Content-Language', 'CONTENT-TYPE', 'X-Custom', 'DPR', 'Save-Data', 'User-Agent', 'Authorization');
  const value = fc.oneof(fc.string({ maxLength: 140 }), fc.constantFrom('text/plain', 'application/json', 'en-US', 'on', '2', 'a'.repeat(128), 'a'.repeat(129)));
  it('isCorsSafelistedRequestHeader and isForbiddenRequestHeader agree with the standard (seeded)', () => {
    fc.assert(
      fc.property(names, value, (n, v) => {
        expect(WEBKIT_PROFILE.isCorsSafelistedRequestHeader(n, v), `isCorsSafelistedRequestHeader(${JSON.stringify(n)}, ${JSON.stringify(v)})`).toBe(isCorsSafelistedRequestHeader(n, v));
      }),
      { seed: 20261206, numRuns: 2000 },
    );
  });
  it('combines repeated headers and lets `*` cover Authorization, as WebKit does', () => {
    expect(WEBKIT_PROFILE.combinesRepeatedHeaders).toBe(true);
    expect(WEBKIT_PROFILE.authorizationNeedsExplicitListing).toBe(false);
    expect(WEBKIT_PROFILE.isForbiddenRequestHeader('User-Agent', 'x'), 'WebKit sends a script\'s User-Agent').toBe(false);
  });
});
