// The fast path (scanCanonicalOrigin) against the full parser (whatwg-url through the URL module):
// YES only where the full parser gives the same string back, NO only where it does not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CANONICAL_NO,
  CANONICAL_UNSURE,
  CANONICAL_YES,
  newOriginScan,
  scanCanonicalOrigin,
} from '../src/origin/canonical-origin.js';
import { MAX_ORIGIN_LENGTH } from '../src/origin/limits.js';
import { parseCanonicalOriginSlow, parseOrigin } from '../src/origin/origin.js';
import { parseURL } from '../src/url/backend.js';

const schemes = ['https://', 'http://', 'ws://', 'wss://', 'ftp://', 'HTTPS://', 'Http://', 'https:/', 'https:', 'file://', 'blob:https://', 'chrome-extension://', '', ' https://'];
const labels = ['example', 'com', 'a', 'b-c', '-a', 'a-', 'xn--9ca', 'xn--a', 'xn--nxasmq6b', 'XN--9CA', '1', '0', '01', '255', '256', '0x7f', '0x', '08', '_', 'a_b', '', 'EXAMPLE', 'é', 'ß', '\u0000', '\t', ' ', '%41', 'evil', 'net', 'localhost', '~', '$', '*', 'a'.repeat(63), 'b'.repeat(64)];
const ipv6 = ['[::1]', '[::0:1]', '[0:0:0:0:0:0:0:1]', '[::FFFF:1.2.3.4]', '[::ffff:102:304]', '[1::]', '[::1', '[]', '[::1]x'];
const ports = ['', ':443', ':80', ':21', ':0', ':00', ':08080', ':8080', ':65535', ':65536', ':', ':1a', ':-1', ':8080:1'];
const tails = ['', '', '', '/', '?q', '#f', '/path', '.', '..', '\u0000', '\n', '@evil.net', '\\x'];

const hostArb = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...labels), { minLength: 1, maxLength: 5 }).map((ls) => ls.join('.')) },
  { weight: 1, arbitrary: fc.constantFrom(...ipv6) },
  { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 5 }).map((ns) => ns.join('.')) },
);
/** Mostly the pieces a browser sends, often one odd piece: every verdict gets exercised. */
const usual = <T,>(common: T[], all: T[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...all) });
const usualHost = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom('example', 'com', 'a', 'b-c', 'evil', 'net', '1', '255'), { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.')) },
  { weight: 2, arbitrary: hostArb },
);
const originLike = fc
  .tuple(usual(['https://', 'http://'], schemes), usualHost, usual(['', ':8080', ':0'], ports), usual([''], tails))
  .map(([s, h, p, t]) => s + h + p + t);
const anyString = fc.oneof(originLike, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

describe('scanCanonicalOrigin agrees with the full parser', () => {
  it('never says YES or NO where the full parser says otherwise (seeded)', () => {
    const scan = newOriginScan();
    const counts = [0, 0, 0];
    fc.assert(
      fc.property(anyString, (s) => {
        const verdict = scanCanonicalOrigin(s, scan);
        counts[verdict]!++;
        const full = parseCanonicalOriginSlow(s);
        if (verdict === CANONICAL_YES) {
          expect(full?.serialized, `scan(${JSON.stringify(s)}): YES; full parser disagrees`).toBe(s);
          expect(s.slice(scan.hostStart, scan.hostEnd)).toBe(full!.host);
          expect(scan.port === -1 ? null : scan.port).toBe(full!.port);
          expect(scan.scheme).toBe(full!.scheme);
        } else if (verdict === CANONICAL_NO) {
          expect(full, `scan(${JSON.stringify(s)}): NO; full parser accepts it`).toBeNull();
        }
      }),
      { seed: 20261125, numRuns: 20_000 },
    );
    // The generator must exercise every verdict, or the property proves little.
    expect(counts[CANONICAL_YES]).toBeGreaterThan(500);
    expect(counts[CANONICAL_NO]).toBeGreaterThan(500);
    expect(counts[CANONICAL_UNSURE]).toBeGreaterThan(100);
  });

  it('parseOrigin (fast prefix path) agrees with the full parser on URLs', () => {
    fc.assert(
      fc.property(originLike, fc.constantFrom('', '/', '/a/b?c#d', '?x', '#y'), (o, rest) => {
        const url = o + rest;
        const parsed = parseURL(url);
        const got = parseOrigin(url);
        if (parsed === null) {
          expect(got, `parseOrigin(${JSON.stringify(url)})`).toBeNull();
          return;
        }
        // Reference: URL §4.7 for the special schemes with tuple origins; opaque otherwise
        // (blob: URLs are covered by the WPT rows).
        if (parsed.scheme === 'blob') return;
        const tuple = ['http', 'https', 'ws', 'wss', 'ftp'].includes(parsed.scheme);
        const want = tuple ? `${parsed.scheme}://${parsed.host}${parsed.port === null ? '' : `:${parsed.port}`}` : 'null';
        expect(got?.serialized, `parseOrigin(${JSON.stringify(url)})`).toBe(want);
      }),
      { seed: 7, numRuns: 5_000 },
    );
  });
});

describe('scanCanonicalOrigin rows', () => {
  const rows: { desc: string; input: string; want: number }[] = [
    { desc: 'plain https', input: 'https://example.com', want: CANONICAL_YES },
    { desc: 'port', input: 'http://localhost:3000', want: CANONICAL_YES },
    { desc: 'port 0', input: 'http://a:0', want: CANONICAL_YES },
    { desc: 'port 65535', input: 'http://a:65535', want: CANONICAL_YES },
    { desc: 'port 65536', input: 'http://a:65536', want: CANONICAL_NO },
    { desc: 'default port', input: 'https://a:443', want: CANONICAL_NO },
    { desc: 'leading zero port', input: 'https://a:0443', want: CANONICAL_NO },
    { desc: 'empty port', input: 'https://a:', want: CANONICAL_NO },
    { desc: 'dotted quad', input: 'http://127.0.0.1:8080', want: CANONICAL_YES },
    { desc: 'short IPv4', input: 'http://127.1', want: CANONICAL_NO },
    { desc: 'IPv4 part 256', input: 'http://1.2.3.256', want: CANONICAL_NO },
    { desc: 'IPv4 leading zero', input: 'http://1.2.3.04', want: CANONICAL_NO },
    { desc: 'IPv4 trailing dot', input: 'http://1.2.3.4.', want: CANONICAL_NO },
    { desc: 'hex last label', input: 'http://a.0x1f', want: CANONICAL_NO },
    { desc: 'number-like label not last', input: 'http://1.example', want: CANONICAL_YES },
    { desc: 'trailing dot kept', input: 'https://example.com.', want: CANONICAL_YES },
    { desc: 'upper case', input: 'https://Example.com', want: CANONICAL_NO },
    { desc: 'upper-case scheme', input: 'HTTPS://example.com', want: CANONICAL_NO },
    { desc: 'path', input: 'https://example.com/', want: CANONICAL_NO },
    { desc: 'userinfo', input: 'https://u@example.com', want: CANONICAL_NO },
    { desc: 'non-ASCII', input: 'https://é.com', want: CANONICAL_NO },
    { desc: 'NUL', input: 'https://a\u0000.com', want: CANONICAL_NO },
    { desc: 'IPv6 goes to the full parser', input: 'http://[::1]', want: CANONICAL_UNSURE },
    { desc: 'punycode goes to the full parser', input: 'https://xn--9ca.com', want: CANONICAL_UNSURE },
    { desc: 'underscore goes to the full parser', input: 'https://a_b.com', want: CANONICAL_UNSURE },
    { desc: 'empty label goes to the full parser', input: 'https://a..com', want: CANONICAL_UNSURE },
    { desc: 'opaque-origin scheme', input: 'file://a', want: CANONICAL_NO },
    { desc: 'longest allowed (268)', input: `https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.:65535`, want: CANONICAL_YES },
    { desc: 'too long by one (269)', input: `https://${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}.:65535`, want: CANONICAL_NO },
    { desc: '100 KB', input: `https://${'a'.repeat(100_000)}`, want: CANONICAL_NO },
  ];
  const scan = newOriginScan();
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      expect(scanCanonicalOrigin(input, scan), `scanCanonicalOrigin(${JSON.stringify(input.slice(0, 60))})`).toBe(want);
    });
  }
  it('the longest row is exactly MAX_ORIGIN_LENGTH', () => {
    expect(rows.find((r) => r.desc.startsWith('longest'))!.input.length).toBe(MAX_ORIGIN_LENGTH);
  });
});

describe('parseOrigin on long URLs parses only the part the origin depends on', () => {
  // Reference: the full parser on the whole URL (affordable at a few KB).
  const heads = ['https://', 'HTTP://', 'https:', 'https:\\\\', 'ws://', 'file://', 'file:///', 'blob:https://', 'blob:ftp://', 'foo://', 'foo:', ' \thttps://', 'ht\ttps://', 'data:text/plain,', 'javascript:'];
  const users = ['', 'user@', 'u:p@', '@', 'a@b@', '%40@'];
  const hosts = ['example.com', 'EXAMPLE.com', 'xn--9ca.com', '[::1]', '127.1', 'a b', '', 'é.com', 'a.com:443', 'a.com:99999', 'a.com.'];
  const seps = ['/', '?', '#', '\\', ''];
  const fill = fc.constantFrom('x', '/', '?', '#', '@', '\\', '\t', ' ', 'é', ':', '%', '\u0000');
  it('agrees with a full parse of the whole URL (seeded)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...heads),
        fc.constantFrom(...users),
        fc.constantFrom(...hosts),
        fc.constantFrom(...seps),
        fc.array(fill, { minLength: 1100, maxLength: 1300 }),
        (head, user, host, sep, tail) => {
          const url = head + user + host + sep + tail.join('');
          const whole = parseURL(url);
          const got = parseOrigin(url);
          if (whole === null) {
            expect(got, `parseOrigin(${JSON.stringify(url.slice(0, 40))}…)`).toBeNull();
            return;
          }
          let want: string;
          if (whole.scheme === 'blob') {
            const inner = whole.opaquePath === null ? null : parseURL(whole.opaquePath);
            want = inner !== null && (inner.scheme === 'http' || inner.scheme === 'https') ? `${inner.scheme}://${inner.host}${inner.port === null ? '' : `:${inner.port}`}` : 'null';
          } else if (['http', 'https', 'ws', 'wss', 'ftp'].includes(whole.scheme)) {
            want = `${whole.scheme}://${whole.host}${whole.port === null ? '' : `:${whole.port}`}`;
          } else {
            want = 'null';
          }
          expect(got?.serialized, `parseOrigin(${JSON.stringify(url.slice(0, 40))}…)`).toBe(want);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
