import { describe, expect, it } from 'vitest';
import {
  isSameOrigin,
  isSameSite,
  isSchemelesslySameSite,
  parseOrigin,
  parseOriginHeader,
  serializeOrigin,
  siteOf,
} from '../src/index.js';

describe('parseOrigin', () => {
  const rows: { desc: string; input: string; want: string | null }[] = [
    { desc: 'path, query and fragment dropped', input: 'https://example.com/a?b#c', want: 'https://example.com' },
    { desc: 'default port elided', input: 'https://example.com:443/', want: 'https://example.com' },
    { desc: 'case folded', input: 'HTTPS://EXAMPLE.com', want: 'https://example.com' },
    { desc: 'IDN to punycode', input: 'https://bücher.example/', want: 'https://xn--bcher-kva.example' },
    { desc: 'userinfo dropped', input: 'https://user:pw@example.com/', want: 'https://example.com' },
    { desc: 'file is opaque', input: 'file:///etc/passwd', want: 'null' },
    { desc: 'data is opaque', input: 'data:text/plain,hi', want: 'null' },
    { desc: 'blob inherits its inner http origin', input: 'blob:https://example.com/uuid', want: 'https://example.com' },
    { desc: 'blob of ftp is opaque', input: 'blob:ftp://example.com/x', want: 'null' },
    { desc: 'relative URL fails', input: '/path', want: null },
    { desc: 'empty fails', input: '', want: null },
    { desc: 'bad port fails', input: 'https://a:99999/', want: null },
    { desc: 'tab inside the host is removed by the parser', input: 'https://exa\tmple.com/', want: 'https://example.com' },
    { desc: 'lone surrogate in the path is fine', input: 'https://a.com/\ud800', want: 'https://a.com' },
    { desc: '100 KB path: only the origin part is parsed', input: `https://A.com/${'x'.repeat(100_000)}`, want: 'https://a.com' },
    { desc: '1000-character userinfo is dropped before parsing', input: `https://${'u'.repeat(1000)}@Example.com/`, want: 'https://example.com' },
    { desc: '100 KB userinfo: the authority is past the cap and is not read', input: `https://${'u'.repeat(100_000)}@Example.com/`, want: null },
    { desc: '100 KB host fails', input: `https://${'a'.repeat(100_000)}.com/`, want: null },
    { desc: '100 KB data: URL is opaque', input: `data:text/plain,${'x'.repeat(100_000)}`, want: 'null' },
    { desc: '100 KB blob: URL takes its inner origin', input: `blob:https://Example.com/${'x'.repeat(100_000)}`, want: 'https://example.com' },
    { desc: '100 KB without a scheme fails', input: 'x'.repeat(100_000), want: null },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      const got = parseOrigin(input);
      expect(got?.serialized ?? null, `parseOrigin(${JSON.stringify(input.slice(0, 50))})`).toBe(want);
    });
  }
  it('rejects non-strings with a TypeError naming the argument', () => {
    expect(() => parseOrigin(42 as unknown as string)).toThrow(/parseOrigin\(url\)/);
    expect(() => parseOriginHeader({} as unknown as string)).toThrow(/parseOriginHeader\(value\)/);
  });
});

describe('parseOriginHeader', () => {
  it('reads null, undefined as absent and "null" as a new opaque origin each time', () => {
    expect(parseOriginHeader(null)).toBeNull();
    expect(parseOriginHeader(undefined)).toBeNull();
    const a = parseOriginHeader('null');
    const b = parseOriginHeader('null');
    expect(a?.opaque).toBe(true);
    expect(a).not.toBe(b);
  });
  const invalid = ['', 'null ', 'NULL', ' https://a.com', 'https://a.com ', 'https://a.com/', 'https://a.com:443', 'https://A.com', 'https://é.com', 'https://a.com\u0000', '\ud800', 'https://a.com, https://b.com', 'https://xn--a.com', `https://${'a'.repeat(300)}.com`];
  for (const value of invalid) {
    it(`refuses ${JSON.stringify(value.slice(0, 40))}`, () => expect(parseOriginHeader(value)).toBeNull());
  }
});

describe('serializeOrigin', () => {
  it('round-trips tuple origins and prints null for opaque ones', () => {
    expect(serializeOrigin(parseOrigin('http://[::1]:8080/')!)).toBe('http://[::1]:8080');
    expect(serializeOrigin(parseOrigin('file:///x')!)).toBe('null');
  });
});

describe('isSameOrigin (HTML §7.1.1 same origin)', () => {
  const rows: { desc: string; a: string; b: string; want: boolean }[] = [
    { desc: 'same scheme, host, port', a: 'https://a.com/x', b: 'https://a.com:443/y', want: true },
    { desc: 'different scheme', a: 'http://a.com', b: 'https://a.com', want: false },
    { desc: 'different port', a: 'https://a.com', b: 'https://a.com:8443', want: false },
    { desc: 'subdomain', a: 'https://a.com', b: 'https://www.a.com', want: false },
    { desc: 'trailing dot matters', a: 'https://a.com', b: 'https://a.com.', want: false },
    { desc: 'unparsable', a: 'nope', b: 'nope', want: false },
  ];
  for (const { desc, a, b, want } of rows) {
    it(desc, () => expect(isSameOrigin(a, b), `isSameOrigin(${a}, ${b})`).toBe(want));
  }
  it('two opaque origins are never the same; one is the same as itself', () => {
    const a = parseOriginHeader('null')!;
    const b = parseOriginHeader('null')!;
    expect(isSameOrigin(a, b)).toBe(false);
    expect(isSameOrigin(a, a)).toBe(true);
    expect(isSameOrigin('file:///a', 'file:///a')).toBe(false);
  });
});

describe('sites (HTML §7.1.1, Public Suffix List with its private section)', () => {
  const siteRows: { desc: string; input: string; want: string | null }[] = [
    { desc: 'registrable domain', input: 'https://a.b.example.co.uk:8443/', want: 'https://example.co.uk' },
    { desc: 'private suffix: github.io', input: 'https://user.github.io', want: 'https://user.github.io' },
    { desc: 'host that is a public suffix', input: 'https://github.io', want: 'https://github.io' },
    { desc: 'IPv4 compares by host', input: 'http://127.0.0.1:3000', want: 'http://127.0.0.1' },
    { desc: 'IPv6 compares by host', input: 'http://[::1]:3000', want: 'http://[::1]' },
    { desc: 'localhost', input: 'http://localhost:5173', want: 'http://localhost' },
    { desc: 'trailing dot kept', input: 'https://www.example.com./', want: 'https://example.com.' },
    { desc: 'opaque has no site serialization', input: 'data:,x', want: null },
  ];
  for (const { desc, input, want } of siteRows) {
    it(`siteOf: ${desc}`, () => expect(siteOf(input), `siteOf(${input})`).toBe(want));
  }

  const sameSiteRows: { desc: string; a: string; b: string; same: boolean; schemeless: boolean }[] = [
    { desc: 'sibling subdomains', a: 'https://a.example.com', b: 'https://b.example.com:8443', same: true, schemeless: true },
    { desc: 'scheme differs', a: 'http://a.example.com', b: 'https://example.com', same: false, schemeless: true },
    { desc: 'github.io users are different sites', a: 'https://a.github.io', b: 'https://b.github.io', same: false, schemeless: false },
    { desc: 'co.uk registrants are different sites', a: 'https://a.co.uk', b: 'https://b.co.uk', same: false, schemeless: false },
    { desc: 'IP hosts: equal', a: 'http://127.0.0.1:1', b: 'http://127.0.0.1:2', same: true, schemeless: true },
    { desc: 'IP hosts: different', a: 'http://127.0.0.1', b: 'http://127.0.0.2', same: false, schemeless: false },
    { desc: 'trailing dot is another site', a: 'https://example.com', b: 'https://example.com.', same: false, schemeless: false },
    { desc: 'look-alike suffix', a: 'https://example.com', b: 'https://example.com.evil.net', same: false, schemeless: false },
    { desc: 'localhost ports', a: 'http://localhost:3000', b: 'http://localhost:5173', same: true, schemeless: true },
  ];
  for (const { desc, a, b, same, schemeless } of sameSiteRows) {
    it(`isSameSite: ${desc}`, () => {
      expect(isSameSite(a, b), `isSameSite(${a}, ${b})`).toBe(same);
      expect(isSameSite(b, a), `isSameSite(${b}, ${a})`).toBe(same);
      expect(isSchemelesslySameSite(a, b), `isSchemelesslySameSite(${a}, ${b})`).toBe(schemeless);
    });
  }
  it('opaque origins: same site only with themselves', () => {
    const o = parseOriginHeader('null')!;
    expect(isSameSite(o, o)).toBe(true);
    expect(isSameSite(o, parseOriginHeader('null')!)).toBe(false);
    expect(isSameSite(o, 'https://a.com')).toBe(false);
  });
  it('non-string, non-origin arguments are a TypeError naming the argument', () => {
    expect(() => isSameSite(1 as unknown as string, 'https://a.com')).toThrow(/isSameSite\(a\)/);
    expect(() => siteOf(undefined as unknown as string)).toThrow(/siteOf\(origin\)/);
  });
});
