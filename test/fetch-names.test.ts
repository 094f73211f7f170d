// Fetch §2.2.1 (methods) and §2.2.2 (header names, forbidden request-headers, forbidden
// response-header names): tables of named rows, boundary rows included.
import { describe, expect, it } from 'vitest';
import {
  isCorsSafelistedMethod,
  isForbiddenMethod,
  isMethodToken,
  normalizeMethod,
} from '../src/fetch/methods.js';
import {
  isForbiddenRequestHeader,
  isForbiddenResponseHeaderName,
  isHeaderName,
} from '../src/fetch/header-names.js';

const show = (s: string): string => (s.length > 60 ? `${JSON.stringify(s.slice(0, 40))}... (${s.length} chars)` : JSON.stringify(s));

/** RFC 9110 §5.6.2 tchar, written out as the RFC lists it. */
const TCHAR_SPEC = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe('isMethodToken / isHeaderName (RFC 9110 §5.6.2 token)', () => {
  const rows: { desc: string; input: string; want: boolean }[] = [
    { desc: 'empty string (token is 1*tchar)', input: '', want: false },
    { desc: 'GET', input: 'GET', want: true },
    { desc: 'one character', input: 'X', want: true },
    { desc: 'all the symbol tchars', input: "!#$%&'*+-.^_`|~", want: true },
    { desc: 'M-SEARCH', input: 'M-SEARCH', want: true },
    { desc: 'trailing space', input: 'GET ', want: false },
    { desc: 'leading tab', input: '\tGET', want: false },
    { desc: 'colon (header-name delimiter)', input: 'x-foo:', want: false },
    { desc: 'comma', input: 'a,b', want: false },
    { desc: 'NUL', input: 'GE\u0000T', want: false },
    { desc: 'DEL', input: 'GET\u007f', want: false },
    { desc: 'Latin-1 letter', input: 'G\u00c9T', want: false },
    { desc: 'lone surrogate', input: 'G\ud800T', want: false },
    { desc: 'astral character', input: 'G\u{1f600}T', want: false },
    { desc: '100 KB of tchar', input: 'a'.repeat(100_000), want: true },
    { desc: '100 KB of tchar then a space', input: `${'a'.repeat(100_000)} `, want: false },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      expect(isMethodToken(input), `isMethodToken(${show(input)}): got ${!want}; want ${want}`).toBe(want);
      expect(isHeaderName(input), `isHeaderName(${show(input)}): got ${!want}; want ${want}`).toBe(want);
    });
  }

  it('agrees with the RFC tchar list for every code unit 0x00-0x2FF', () => {
    for (let c = 0; c < 0x300; c++) {
      const s = String.fromCharCode(c);
      const want = TCHAR_SPEC.includes(s);
      expect(isMethodToken(s), `isMethodToken(U+${c.toString(16).padStart(4, '0')}): got ${!want}; want ${want}`).toBe(want);
      expect(isHeaderName(s), `isHeaderName(U+${c.toString(16).padStart(4, '0')}): got ${!want}; want ${want}`).toBe(want);
    }
  });
});

describe('normalizeMethod (Fetch §2.2.1 "normalize")', () => {
  const rows: { desc: string; input: string; want: string }[] = [
    { desc: 'get', input: 'get', want: 'GET' },
    { desc: 'mixed case pOsT', input: 'pOsT', want: 'POST' },
    { desc: 'head', input: 'head', want: 'HEAD' },
    { desc: 'put', input: 'put', want: 'PUT' },
    { desc: 'delete', input: 'Delete', want: 'DELETE' },
    { desc: 'options', input: 'options', want: 'OPTIONS' },
    { desc: 'already upper case', input: 'GET', want: 'GET' },
    { desc: 'patch is not one of the six', input: 'patch', want: 'patch' },
    { desc: 'PATCH unchanged', input: 'PATCH', want: 'PATCH' },
    { desc: 'connect is not normalised', input: 'connect', want: 'connect' },
    { desc: 'custom Egg', input: 'eGg', want: 'eGg' },
    { desc: 'one character longer than GET', input: 'gets', want: 'gets' },
    { desc: 'one character shorter than DELETE', input: 'delet', want: 'delet' },
    { desc: 'trailing space is not trimmed', input: 'get ', want: 'get ' },
    { desc: 'empty', input: '', want: '' },
    { desc: 'dotless i (U+0131) does not fold to I', input: 'opt\u0131ons', want: 'opt\u0131ons' },
    { desc: 'long s (U+017F) does not fold to S', input: 'po\u017ft', want: 'po\u017ft' },
    { desc: 'Latin-1 é', input: 'g\u00e9t', want: 'g\u00e9t' },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      const got = normalizeMethod(input);
      expect(got, `normalizeMethod(${show(input)}): got ${show(got)}; want ${show(want)}`).toBe(want);
    });
  }
});

describe('isForbiddenMethod (Fetch §2.2.1)', () => {
  const rows: { desc: string; input: string; want: boolean }[] = [
    { desc: 'CONNECT', input: 'CONNECT', want: true },
    { desc: 'TRACE', input: 'TRACE', want: true },
    { desc: 'TRACK', input: 'TRACK', want: true },
    { desc: 'lower case connect', input: 'connect', want: true },
    { desc: 'mixed case tRaCk', input: 'tRaCk', want: true },
    { desc: 'TRACES (one longer)', input: 'TRACES', want: false },
    { desc: 'TRAC (one shorter)', input: 'TRAC', want: false },
    { desc: 'CONNEC', input: 'CONNEC', want: false },
    { desc: 'leading space', input: ' TRACE', want: false },
    { desc: 'Kelvin sign K (U+212A)', input: 'TRAC\u212a', want: false },
    { desc: 'GET', input: 'GET', want: false },
    { desc: 'empty', input: '', want: false },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      expect(isForbiddenMethod(input), `isForbiddenMethod(${show(input)}): got ${!want}; want ${want}`).toBe(want);
    });
  }
});

describe('isCorsSafelistedMethod (Fetch §2.2.1)', () => {
  const rows: { desc: string; input: string; want: boolean }[] = [
    { desc: 'GET', input: 'GET', want: true },
    { desc: 'HEAD', input: 'HEAD', want: true },
    { desc: 'POST', input: 'POST', want: true },
    { desc: 'get (not normalised: the comparison is exact)', input: 'get', want: false },
    { desc: 'PUT', input: 'PUT', want: false },
    { desc: 'OPTIONS', input: 'OPTIONS', want: false },
    { desc: 'POST with a trailing space', input: 'POST ', want: false },
    { desc: 'empty', input: '', want: false },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      expect(isCorsSafelistedMethod(input), `isCorsSafelistedMethod(${show(input)}): got ${!want}; want ${want}`).toBe(want);
    });
  }
});

describe('isForbiddenRequestHeader (Fetch §2.2.2)', () => {
  const STEP1 = [
    'Accept-Charset', 'Accept-Encoding', 'Access-Control-Request-Headers', 'Access-Control-Request-Method',
    'Connection', 'Content-Length', 'Cookie', 'Cookie2', 'Date', 'DNT', 'Expect', 'Host', 'Keep-Alive',
    'Origin', 'Referer', 'Set-Cookie', 'TE', 'Trailer', 'Transfer-Encoding', 'Upgrade', 'Via',
  ];
  const rows: { desc: string; name: string; value?: string; want: boolean }[] = [
    ...STEP1.map((name) => ({ desc: `step 1: ${name}`, name, want: true })),
    ...STEP1.map((name) => ({ desc: `step 1: ${name} lower-cased`, name: name.toLowerCase(), want: true })),
    { desc: 'step 1: upper case COOKIE', name: 'COOKIE', want: true },
    { desc: 'step 1 boundary: cookie3', name: 'cookie3', want: false },
    { desc: 'step 1 boundary: cookies', name: 'cookies', want: false },
    { desc: 'step 1 boundary: Hos', name: 'Hos', want: false },
    { desc: 'step 1 boundary: trailing space', name: 'host ', want: false },
    { desc: 'step 1: long s (U+017F) in ſet-cookie does not fold', name: '\u017fet-cookie', want: false },
    { desc: 'step 1: Kelvin sign in Keep-Alive does not fold', name: '\u212aeep-Alive', want: false },
    { desc: 'User-Agent is no longer forbidden', name: 'User-Agent', want: false },
    { desc: 'Authorization is not forbidden', name: 'Authorization', want: false },
    { desc: 'Content-Type is not forbidden', name: 'Content-Type', want: false },
    { desc: 'step 2: Proxy-Authorization', name: 'Proxy-Authorization', want: true },
    { desc: 'step 2: proxy- alone', name: 'proxy-', want: true },
    { desc: 'step 2: PROXY-X', name: 'PROXY-X', want: true },
    { desc: 'step 2: Sec-Fetch-Mode', name: 'Sec-Fetch-Mode', want: true },
    { desc: 'step 2: sec- alone', name: 'sec-', want: true },
    { desc: 'step 2 boundary: proxy (no hyphen)', name: 'proxy', want: false },
    { desc: 'step 2 boundary: sec (no hyphen)', name: 'sec', want: false },
    { desc: 'step 2 boundary: secret', name: 'secret', want: false },
    { desc: 'step 2 boundary: x-sec-foo (not a prefix)', name: 'x-sec-foo', want: false },
    { desc: 'step 3: X-HTTP-Method-Override: CONNECT', name: 'X-HTTP-Method-Override', value: 'CONNECT', want: true },
    { desc: 'step 3: x-http-method: trace (case-insensitive method)', name: 'x-http-method', value: 'trace', want: true },
    { desc: 'step 3: X-Method-Override: TRACK', name: 'X-Method-Override', value: 'TRACK', want: true },
    { desc: 'step 3: upper-case name', name: 'X-HTTP-METHOD-OVERRIDE', value: 'TRACE', want: true },
    { desc: 'step 3: allowed method', name: 'X-HTTP-Method-Override', value: 'PUT', want: false },
    { desc: 'step 3: empty value', name: 'X-HTTP-Method-Override', value: '', want: false },
    { desc: 'step 3: name alone (empty value) is not forbidden', name: 'x-method-override', want: false },
    { desc: 'step 3: second of a list', name: 'X-HTTP-Method', value: 'GET, TRACK', want: true },
    { desc: 'step 3: list without a forbidden method', name: 'X-HTTP-Method', value: 'GET,POST,PATCH', want: false },
    { desc: 'step 3: empty items then CONNECT', name: 'X-HTTP-Method', value: 'PUT,,CONNECT', want: true },
    { desc: 'step 3: tab and space trimmed', name: 'X-HTTP-Method', value: ' \tTRACE\t ', want: true },
    { desc: 'step 3: newline is not trimmed (HTTP tab or space only)', name: 'X-HTTP-Method', value: 'TRACE\n', want: false },
    { desc: 'step 3: quoted method keeps its quotes', name: 'X-HTTP-Method', value: '"TRACE"', want: false },
    { desc: 'step 3: comma inside quotes does not split', name: 'X-HTTP-Method', value: '"a,TRACE"', want: false },
    { desc: 'step 3: quoted value, then a method', name: 'X-HTTP-Method', value: '"a",TRACE', want: true },
    { desc: 'step 3: escaped quote keeps the string open', name: 'X-HTTP-Method', value: '"a\\",TRACE"', want: false },
    { desc: 'step 3: unterminated quote runs to the end', name: 'X-HTTP-Method', value: '"GET, TRACE', want: false },
    { desc: 'step 3: backslash at the very end', name: 'X-HTTP-Method', value: 'GET,"\\', want: false },
    { desc: 'step 3: TRACE glued to text', name: 'X-HTTP-Method', value: 'TRACEX', want: false },
    { desc: 'step 3: Kelvin sign in TRACK', name: 'X-HTTP-Method', value: 'TRAC\u212a', want: false },
    { desc: 'step 3: 100 KB list ending in TRACE', name: 'X-HTTP-Method', value: `${'GET, '.repeat(20_000)}TRACE`, want: true },
    { desc: 'step 3: 100 KB of commas', name: 'X-HTTP-Method', value: ','.repeat(100_000), want: false },
    { desc: 'step 3 boundary: x-http-methods', name: 'x-http-methods', value: 'TRACE', want: false },
    { desc: 'empty name', name: '', want: false },
    { desc: 'NUL name', name: '\u0000', want: false },
  ];
  for (const { desc, name, value = '', want } of rows) {
    it(desc, () => {
      const got = isForbiddenRequestHeader(name, value);
      expect(got, `isForbiddenRequestHeader(${show(name)}, ${show(value)}): got ${got}; want ${want}`).toBe(want);
    });
  }
});

describe('isForbiddenResponseHeaderName (Fetch §2.2.2)', () => {
  const rows: { desc: string; input: string; want: boolean }[] = [
    { desc: 'set-cookie', input: 'set-cookie', want: true },
    { desc: 'Set-Cookie', input: 'Set-Cookie', want: true },
    { desc: 'SET-COOKIE2', input: 'SET-COOKIE2', want: true },
    { desc: 'set-cookie3', input: 'set-cookie3', want: false },
    { desc: 'set-cookie with a trailing space', input: 'set-cookie ', want: false },
    { desc: 'set-cooki (one shorter)', input: 'set-cooki', want: false },
    { desc: 'set-cookie22 (two longer)', input: 'set-cookie22', want: false },
    { desc: 'long s (U+017F)', input: '\u017fet-cookie', want: false },
    { desc: 'cookie', input: 'cookie', want: false },
    { desc: 'empty', input: '', want: false },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      expect(isForbiddenResponseHeaderName(input), `isForbiddenResponseHeaderName(${show(input)}): got ${!want}; want ${want}`).toBe(want);
    });
  }
});

describe('untyped callers', () => {
  const calls: { desc: string; call: () => unknown; names: string }[] = [
    { desc: 'isMethodToken(undefined)', call: () => isMethodToken(undefined as unknown as string), names: 'isMethodToken(s)' },
    { desc: 'normalizeMethod(42)', call: () => normalizeMethod(42 as unknown as string), names: 'normalizeMethod(m)' },
    { desc: 'isForbiddenMethod(null)', call: () => isForbiddenMethod(null as unknown as string), names: 'isForbiddenMethod(m)' },
    { desc: 'isCorsSafelistedMethod({})', call: () => isCorsSafelistedMethod({} as unknown as string), names: 'isCorsSafelistedMethod(m)' },
    { desc: 'isHeaderName([])', call: () => isHeaderName([] as unknown as string), names: 'isHeaderName(s)' },
    { desc: 'isForbiddenRequestHeader(1, "")', call: () => isForbiddenRequestHeader(1 as unknown as string, ''), names: 'isForbiddenRequestHeader(name)' },
    { desc: 'isForbiddenRequestHeader("x", undefined)', call: () => isForbiddenRequestHeader('x', undefined as unknown as string), names: 'isForbiddenRequestHeader(value)' },
    { desc: 'isForbiddenResponseHeaderName(Symbol)', call: () => isForbiddenResponseHeaderName(Symbol('x') as unknown as string), names: 'isForbiddenResponseHeaderName(name)' },
  ];
  for (const { desc, call, names } of calls) {
    it(`${desc} throws a TypeError naming the argument`, () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(names);
    });
  }
});
