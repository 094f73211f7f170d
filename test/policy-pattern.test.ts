// The origin pattern grammar (DESIGN.md, "Origin patterns"): every row of its table, every
// normalisation the URL parser performs, every refusal, and the DNS boundaries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOriginPattern, MAX_PATTERN_LENGTH, parseOriginPattern, type OriginPattern, type PatternErrorCode } from '../src/policy/pattern.js';
import type { HostSpec, PortSpec } from '../src/policy/rules.js';
import { isCanonicalTupleOrigin, parseOrigin } from '../src/origin/origin.js';

const show = (s: string): string => (s.length > 80 ? `${JSON.stringify(s.slice(0, 50))}... (${s.length} chars)` : JSON.stringify(s));

const DEFAULT: PortSpec = { kind: 'default' };
const ANY: PortSpec = { kind: 'any' };
const port = (p: number): PortSpec => ({ kind: 'exact', port: p });
const exact = (host: string): HostSpec => ({ kind: 'exact', host });
const subdomains = (suffix: string): HostSpec => ({ kind: 'subdomains', suffix });
const glob = (left: string, prefix: string, suffix: string, right: string): HostSpec => ({ kind: 'glob', left, prefix, suffix, right });
const rule = (scheme: 'http' | 'https', host: HostSpec, p: PortSpec = DEFAULT): OriginPattern => ({ kind: 'tuple', scheme, host, port: p });

// DNS boundaries: labels of 63 and 64, hosts of 253 and 254 (255 with a trailing dot).
const L63 = 'a'.repeat(63);
const L64 = 'a'.repeat(64);
const HOST253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
const HOST254 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;
const SUFFIX251 = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(59)}`; // x. + 251 = 253
const SUFFIX252 = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(60)}`;

describe('parseOriginPattern: accepted patterns', () => {
  const rows: { desc: string; input: string; want: OriginPattern }[] = [
    // DESIGN.md's table
    { desc: 'table: exact origin', input: 'https://example.com', want: rule('https', exact('example.com')) },
    { desc: 'table: default port written out is the same pattern', input: 'https://example.com:443', want: rule('https', exact('example.com')) },
    { desc: 'table: subdomains of any depth', input: 'https://*.example.com', want: rule('https', subdomains('example.com')) },
    { desc: 'table: a * inside one label', input: 'https://pr-*.preview.example.com', want: rule('https', glob('', 'pr-', '', 'preview.example.com')) },
    { desc: 'table: any port', input: 'https://example.com:*', want: rule('https', exact('example.com'), ANY) },
    { desc: 'table: loopback dev servers on any port', input: 'http://localhost:*', want: rule('http', exact('localhost'), ANY) },
    // the rest of the grammar
    { desc: 'non-default port', input: 'https://example.com:8443', want: rule('https', exact('example.com'), port(8443)) },
    { desc: 'http default port 80 elided', input: 'http://example.com:80', want: rule('http', exact('example.com')) },
    { desc: '443 on http is not the default', input: 'http://example.com:443', want: rule('http', exact('example.com'), port(443)) },
    { desc: 'port 0', input: 'https://example.com:0', want: rule('https', exact('example.com'), port(0)) },
    { desc: 'port 65535 (largest)', input: 'https://example.com:65535', want: rule('https', exact('example.com'), port(65535)) },
    { desc: 'zero-padded default port', input: 'https://example.com:0443', want: rule('https', exact('example.com')) },
    { desc: 'empty port is no port (URL parser)', input: 'https://example.com:', want: rule('https', exact('example.com')) },
    { desc: 'subdomains with any port', input: 'https://*.example.com:*', want: rule('https', subdomains('example.com'), ANY) },
    { desc: 'glob with an exact port', input: 'https://pr-*.example.com:8080', want: rule('https', glob('', 'pr-', '', 'example.com'), port(8080)) },
    { desc: 'glob with a suffix', input: 'https://*-staging.example.com', want: rule('https', glob('', '', '-staging', 'example.com')) },
    { desc: 'glob with prefix and suffix', input: 'https://app-*-eu.example.com', want: rule('https', glob('', 'app-', '-eu', 'example.com')) },
    { desc: 'glob with labels on its left', input: 'https://api.pr-*.example.com', want: rule('https', glob('api', 'pr-', '', 'example.com')) },
    { desc: 'glob with two labels on its left', input: 'https://a.b.pr-*.example.com', want: rule('https', glob('a.b', 'pr-', '', 'example.com')) },
    { desc: 'subdomains of localhost', input: 'http://*.localhost:*', want: rule('http', subdomains('localhost'), ANY) },
    { desc: 'single-label host', input: 'http://intranet', want: rule('http', exact('intranet')) },
    { desc: 'underscore kept in an exact host (the URL parser keeps it)', input: 'https://a_b.example.com', want: rule('https', exact('a_b.example.com')) },
    // normalisation by the URL parser
    { desc: 'upper-case scheme and host', input: 'HTTPS://EXAMPLE.COM', want: rule('https', exact('example.com')) },
    { desc: 'upper-case letters around the *', input: 'https://PR-*.Preview.Example.COM', want: rule('https', glob('', 'pr-', '', 'preview.example.com')) },
    { desc: 'upper-case subdomain suffix', input: 'https://*.EXAMPLE.com', want: rule('https', subdomains('example.com')) },
    { desc: 'IDN to punycode', input: 'https://bücher.example', want: rule('https', exact('xn--bcher-kva.example')) },
    { desc: 'IDN in a subdomain suffix', input: 'https://*.bücher.example', want: rule('https', subdomains('xn--bcher-kva.example')) },
    { desc: 'IDN right of a glob', input: 'https://pr-*.bücher.example', want: rule('https', glob('', 'pr-', '', 'xn--bcher-kva.example')) },
    { desc: 'IDN left of a glob', input: 'https://é.pr-*.example.com', want: rule('https', glob('xn--9ca', 'pr-', '', 'example.com')) },
    { desc: 'punycode already', input: 'https://xn--bcher-kva.example', want: rule('https', exact('xn--bcher-kva.example')) },
    { desc: 'full-width letters (UTS #46 mapping)', input: 'https://ｅxample.com', want: rule('https', exact('example.com')) },
    { desc: 'ideographic full stop is a dot', input: 'https://a\u3002example.com', want: rule('https', exact('a.example.com')) },
    { desc: 'ideographic full stop after *', input: 'https://*\u3002example.com', want: rule('https', subdomains('example.com')) },
    { desc: 'IPv6 compressed', input: 'http://[0:0:0:0:0:0:0:1]', want: rule('http', exact('[::1]')) },
    { desc: 'IPv6 with port', input: 'http://[::1]:3000', want: rule('http', exact('[::1]'), port(3000)) },
    { desc: 'IPv6 with any port', input: 'http://[::1]:*', want: rule('http', exact('[::1]'), ANY) },
    { desc: 'IPv6 upper-case hex', input: 'https://[2001:DB8::1]', want: rule('https', exact('[2001:db8::1]')) },
    { desc: 'IPv4 short form', input: 'http://127.1', want: rule('http', exact('127.0.0.1')) },
    { desc: 'IPv4 hex part', input: 'http://0x7f.0.0.1', want: rule('http', exact('127.0.0.1')) },
    { desc: 'IPv4 as one number', input: 'http://2130706433', want: rule('http', exact('127.0.0.1')) },
    { desc: 'IPv4 trailing dot dropped by the parser', input: 'http://127.0.0.1.', want: rule('http', exact('127.0.0.1')) },
    { desc: 'trailing dot kept: a different origin', input: 'https://example.com.', want: rule('https', exact('example.com.')) },
    { desc: 'trailing dot on a subdomain suffix', input: 'https://*.example.com.', want: rule('https', subdomains('example.com.')) },
    { desc: 'trailing dot right of a glob', input: 'https://pr-*.example.com.', want: rule('https', glob('', 'pr-', '', 'example.com.')) },
    // DNS boundaries
    { desc: 'boundary: label of 63', input: `https://${L63}.example.com`, want: rule('https', exact(`${L63}.example.com`)) },
    { desc: 'boundary: host of 253', input: `https://${HOST253}`, want: rule('https', exact(HOST253)) },
    { desc: 'boundary: host of 253 plus a trailing dot', input: `https://${HOST253}.`, want: rule('https', exact(`${HOST253}.`)) },
    { desc: 'boundary: subdomain suffix of 251 (shortest match 253)', input: `https://*.${SUFFIX251}`, want: rule('https', subdomains(SUFFIX251)) },
    { desc: 'boundary: glob label of 63 (62 fixed + *)', input: `https://${'p'.repeat(62)}*.example.com`, want: rule('https', glob('', 'p'.repeat(62), '', 'example.com')) },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      const got = parseOriginPattern(input);
      expect('rule' in got, `parseOriginPattern(${show(input)}): got ${JSON.stringify(got)}; want a rule`).toBe(true);
      if ('rule' in got) {
        expect(got.rule, `parseOriginPattern(${show(input)}): got ${JSON.stringify(got.rule)}; want ${JSON.stringify(want)}`).toEqual(want);
      }
    });
  }
});

describe('parseOriginPattern: refused patterns', () => {
  const rows: { desc: string; input: string; code: PatternErrorCode; says?: string }[] = [
    { desc: 'empty', input: '', code: 'pattern-no-scheme' },
    { desc: 'bare host', input: 'example.com', code: 'pattern-no-scheme', says: '"https://example.com"' },
    { desc: 'wildcard without a scheme', input: '*.example.com', code: 'pattern-no-scheme', says: '"https://*.example.com"' },
    { desc: 'missing colon', input: 'https//example.com', code: 'pattern-no-scheme' },
    { desc: 'one slash', input: 'https:/example.com', code: 'pattern-no-scheme' },
    { desc: 'whole-value * is not a pattern', input: '*', code: 'pattern-wildcard-position', says: "origins: '*'" },
    { desc: 'null is not a pattern', input: 'null', code: 'pattern-unparsable', says: 'allowNullOrigin' },
    { desc: 'trailing slash', input: 'https://example.com/', code: 'pattern-has-path', says: 'drop the slash and write "https://example.com"' },
    { desc: 'trailing slash after a port', input: 'https://example.com:8443/', code: 'pattern-has-path', says: '"https://example.com:8443"' },
    { desc: 'path', input: 'https://example.com/app', code: 'pattern-has-path', says: 'a path' },
    { desc: 'path with a *', input: 'https://example.com/*', code: 'pattern-has-path' },
    { desc: 'query', input: 'https://example.com?x=1', code: 'pattern-has-path', says: 'a query' },
    { desc: 'fragment', input: 'https://example.com#top', code: 'pattern-has-path', says: 'a fragment' },
    { desc: 'backslash (a path separator for special schemes)', input: 'https://example.com\\x', code: 'pattern-has-path' },
    { desc: 'user name', input: 'https://user@example.com', code: 'pattern-has-userinfo' },
    { desc: 'user name and password', input: 'https://user:pass@example.com', code: 'pattern-has-userinfo' },
    { desc: 'ws scheme', input: 'ws://example.com', code: 'pattern-scheme', says: '"ws"' },
    { desc: 'ftp scheme', input: 'ftp://example.com', code: 'pattern-scheme' },
    { desc: 'file scheme', input: 'file:///etc/passwd', code: 'pattern-scheme' },
    { desc: 'extension scheme', input: 'chrome-extension://abcdef', code: 'pattern-scheme' },
    { desc: 'httpx scheme', input: 'httpx://example.com', code: 'pattern-scheme' },
    { desc: 'no host', input: 'https://', code: 'pattern-unparsable' },
    { desc: 'port only', input: 'https://:443', code: 'pattern-unparsable' },
    { desc: 'leading space', input: ' https://example.com', code: 'pattern-unparsable', says: 'U+0020' },
    { desc: 'trailing newline', input: 'https://example.com\n', code: 'pattern-unparsable', says: 'U+000A' },
    { desc: 'tab inside (the URL parser would drop it silently)', input: 'https://exa\tmple.com', code: 'pattern-unparsable' },
    { desc: 'NUL', input: 'https://exa\u0000mple.com', code: 'pattern-unparsable' },
    { desc: 'percent-encoded host', input: 'https://ex%61mple.com', code: 'pattern-unparsable' },
    { desc: 'percent-encoded * (%2A)', input: 'https://%2A.example.com', code: 'pattern-unparsable' },
    { desc: 'forbidden host code point', input: 'https://exa<mple.com', code: 'pattern-unparsable' },
    { desc: 'IPv6 without its bracket', input: 'https://[::1', code: 'pattern-unparsable' },
    { desc: 'text after an IPv6 address', input: 'https://[::1]x', code: 'pattern-unparsable' },
    { desc: 'bad IPv6', input: 'https://[::g]', code: 'pattern-unparsable' },
    { desc: 'IPv4 part out of range', input: 'http://1.2.3.256', code: 'pattern-unparsable' },
    { desc: 'invalid punycode', input: 'https://xn--a.com', code: 'pattern-unparsable' },
    { desc: 'lone surrogate', input: 'https://\ud800.com', code: 'pattern-unparsable' },
    { desc: 'port too large', input: 'https://example.com:65536', code: 'pattern-port', says: '"65536"' },
    { desc: 'negative port', input: 'https://example.com:-1', code: 'pattern-port' },
    { desc: 'port with a letter', input: 'https://example.com:8o', code: 'pattern-port' },
    { desc: 'partial wildcard port', input: 'https://example.com:8*', code: 'pattern-wildcard-position' },
    { desc: 'wildcard scheme', input: 'http*://example.com', code: 'pattern-wildcard-position' },
    { desc: 'host that is only *', input: 'https://*', code: 'pattern-wildcard-position' },
    { desc: 'host that is only * with a port', input: 'https://*:443', code: 'pattern-wildcard-position' },
    { desc: '* as a middle label', input: 'https://a.*.com', code: 'pattern-wildcard-position' },
    { desc: '* as the last label', input: 'https://example.*', code: 'pattern-wildcard-position' },
    { desc: '* inside the last label', input: 'https://example.com*', code: 'pattern-wildcard-position' },
    { desc: '* inside the last label before a trailing dot', input: 'https://example.co*.', code: 'pattern-wildcard-position' },
    { desc: 'nothing after *.', input: 'https://*.', code: 'pattern-wildcard-position' },
    { desc: 'two * in one host', input: 'https://*.*.example.com', code: 'pattern-wildcard-position' },
    { desc: 'two * in one label', input: 'https://a*b*.example.com', code: 'pattern-wildcard-position' },
    { desc: '** in a label', input: 'https://**.example.com', code: 'pattern-wildcard-position' },
    { desc: 'subdomains of an IPv4 address', input: 'https://*.1.2.3.4', code: 'pattern-wildcard-ip' },
    { desc: 'subdomains of a short IPv4 form', input: 'http://*.127.1', code: 'pattern-wildcard-ip' },
    { desc: 'glob left of an IPv4 address', input: 'https://pr-*.10.0.0.1', code: 'pattern-wildcard-ip' },
    { desc: 'subdomains of an IPv6 address', input: 'http://*.[::1]', code: 'pattern-wildcard-ip' },
    { desc: '* inside an IPv6 address', input: 'http://[::*]', code: 'pattern-wildcard-ip' },
    { desc: 'non-ASCII next to *', input: 'https://é*.example.com', code: 'pattern-wildcard-label', says: '"é"' },
    { desc: 'underscore next to *', input: 'https://a_*.example.com', code: 'pattern-wildcard-label' },
    { desc: '* inside a punycode label', input: 'https://xn--*.example.com', code: 'pattern-wildcard-label' },
    { desc: '* inside an upper-case punycode label', input: 'https://XN--*.example.com', code: 'pattern-wildcard-label' },
    { desc: 'boundary: label of 64', input: `https://${L64}.example.com`, code: 'pattern-label-length', says: '64' },
    { desc: 'boundary: label of 64 in a subdomain suffix', input: `https://*.${L64}.example.com`, code: 'pattern-label-length' },
    { desc: 'boundary: glob label of 64 (63 fixed + *)', input: `https://${'p'.repeat(63)}*.example.com`, code: 'pattern-label-length' },
    { desc: 'empty label', input: 'https://a..example.com', code: 'pattern-label-length' },
    { desc: 'leading dot', input: 'https://.example.com', code: 'pattern-label-length' },
    { desc: 'two trailing dots', input: 'https://example.com..', code: 'pattern-label-length' },
    { desc: 'boundary: host of 254', input: `https://${HOST254}`, code: 'pattern-host-too-long', says: '254' },
    { desc: 'boundary: host of 254 plus a trailing dot', input: `https://${HOST254}.`, code: 'pattern-host-too-long' },
    { desc: 'boundary: subdomain suffix of 252 (shortest match 254)', input: `https://*.${SUFFIX252}`, code: 'pattern-host-too-long' },
    { desc: 'boundary: longer than any pattern', input: `https://${'a'.repeat(MAX_PATTERN_LENGTH)}`, code: 'pattern-too-long' },
    { desc: '100 KB', input: 'x'.repeat(100_000), code: 'pattern-too-long' },
  ];
  for (const { desc, input, code, says } of rows) {
    it(desc, () => {
      const got = parseOriginPattern(input);
      expect('error' in got, `parseOriginPattern(${show(input)}): got ${JSON.stringify(got)}; want error ${code}`).toBe(true);
      if ('error' in got) {
        expect(got.error.code, `parseOriginPattern(${show(input)}): got ${got.error.code}; want ${code}`).toBe(code);
        expect(got.error.message.length, `parseOriginPattern(${show(input)}): empty message`).toBeGreaterThan(10);
        if (says !== undefined) {
          expect(got.error.message, `parseOriginPattern(${show(input)}).message: got ${got.error.message}; want it to say ${says}`).toContain(says);
        }
      }
    });
  }

  it('the boundary hosts are the lengths their names say', () => {
    expect([HOST253.length, HOST254.length, SUFFIX251.length, SUFFIX252.length]).toEqual([253, 254, 251, 252]);
  });

  it('a non-string argument is a TypeError naming it', () => {
    expect(() => parseOriginPattern(42 as unknown as string)).toThrow(/parseOriginPattern\(source\)/);
  });
});

describe('parseOriginPattern: properties (seeded)', () => {
  const pieces = ['https://', 'http://', 'HTTP://', 'ws://', '*', '*.', '.', 'example', 'com', 'pr-', '-x', 'é', 'xn--9ca', '[::1]', '127.0.0.1', '1', ':', ':*', ':443', ':8080', '/', '?', '#', '@', '%2e', '\u3002', ' ', '\u0000', '\ud800', 'A'];
  const soup = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(''));
  // Mostly well-formed: scheme, a host built from labels (one of them maybe holding a *), a port.
  const label = fc.constantFrom('example', 'com', 'co', 'uk', 'a', 'b-c', 'Pr-*', '*-eu', '*', 'é', 'xn--9ca', '1', '0x7f', 'A'.repeat(63), '');
  const host = fc.oneof(
    { weight: 5, arbitrary: fc.array(label, { minLength: 1, maxLength: 5 }).map((ls) => ls.join('.')) },
    { weight: 1, arbitrary: fc.constantFrom('[::1]', '[0:0::1]', '127.1', '*.[::1]', '[::*]') },
  );
  const structured = fc
    .tuple(fc.constantFrom('https://', 'http://', 'HTTP://', 'ws://'), host, fc.constantFrom('', ':*', ':443', ':80', ':8080', ':65536', ':', ':8*', '/'))
    .map(([s, h, p]) => s + h + p);
  const anyString = fc.oneof(
    { weight: 4, arbitrary: structured },
    { weight: 1, arbitrary: soup },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  );

  it('never throws, and every accepted pattern written back parses to itself', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyString, (s) => {
        const got = parseOriginPattern(s);
        if (!('rule' in got)) return;
        accepted++;
        const written = formatOriginPattern(got.rule);
        const again = parseOriginPattern(written);
        expect('rule' in again ? again.rule : again, `parseOriginPattern(${show(written)}) (written back from ${show(s)})`).toEqual(got.rule);
      }),
      { seed: 20261125, numRuns: 5_000 },
    );
    expect(accepted, 'the generator must produce accepted patterns').toBeGreaterThan(500);
  });

  it('an exact pattern names the origin the URL parser gives, in canonical form', () => {
    const hosts = ['example.com', 'EXAMPLE.com', 'bücher.example', '127.1', '[0::1]', 'a.b.c', 'xn--9ca.com', 'localhost', 'ｅxample.com', 'example.com.'];
    const ports = ['', ':80', ':443', ':8080', ':0443', ':'];
    fc.assert(
      fc.property(fc.constantFrom('http://', 'https://', 'HTTPS://'), fc.constantFrom(...hosts), fc.constantFrom(...ports), (s, h, p) => {
        const source = `${s}${h}${p}`;
        const got = parseOriginPattern(source);
        expect('rule' in got, `parseOriginPattern(${show(source)}): got ${JSON.stringify(got)}; want a rule`).toBe(true);
        if (!('rule' in got)) return;
        const written = formatOriginPattern(got.rule);
        expect(written, `formatOriginPattern(parse(${show(source)}))`).toBe(parseOrigin(source)?.serialized);
        expect(isCanonicalTupleOrigin(written), `isCanonicalTupleOrigin(${show(written)})`).toBe(true);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});
