// The pieces every adapter shares: Vary merging, the request's own URL, X-Forwarded-* reading,
// and argument checking at setup.
import { describe, expect, it } from 'vitest';
import {
  MAX_HOST_HEADER_LENGTH,
  firstListMember,
  forwardedScheme,
  mergeVary,
  ownUrl,
  resolveOptions,
  resolvePolicy,
} from '../../src/adapters/options.js';
import { compilePolicy } from '../../src/policy/compile.js';

describe('mergeVary', () => {
  const rows: { desc: string; current: string; add: string; want: string }[] = [
    { desc: 'nothing set before', current: '', add: 'origin', want: 'origin' },
    { desc: 'whitespace only before', current: '  ', add: 'origin', want: 'origin' },
    { desc: 'appends to another name', current: 'Accept-Encoding', add: 'origin', want: 'Accept-Encoding, origin' },
    { desc: 'same name, other case: kept once, first spelling', current: 'Origin', add: 'origin', want: 'Origin' },
    { desc: 'already there among others', current: 'Accept-Encoding, ORIGIN', add: 'origin', want: 'Accept-Encoding, ORIGIN' },
    { desc: 'star already varies on everything', current: '*', add: 'origin', want: '*' },
    { desc: 'star among names', current: 'Accept, *', add: 'origin', want: 'Accept, *' },
    {
      desc: 'preflight list onto a partial one',
      current: 'origin, Access-Control-Request-Method',
      add: 'origin, access-control-request-method, access-control-request-headers',
      want: 'origin, Access-Control-Request-Method, access-control-request-headers',
    },
    { desc: 'duplicates in what was set are collapsed', current: 'Accept, accept', add: 'origin', want: 'Accept, origin' },
    { desc: 'empty members dropped', current: 'Accept,, ,', add: 'origin', want: 'Accept, origin' },
    { desc: 'identical strings', current: 'origin', add: 'origin', want: 'origin' },
    { desc: 'nothing to add', current: 'Accept', add: '', want: 'Accept' },
    { desc: 'optional whitespace around members', current: '  Accept-Encoding  ', add: ' origin ', want: 'Accept-Encoding, origin' },
  ];
  for (const { desc, current, add, want } of rows) {
    it(desc, () => {
      const got = mergeVary(current, add);
      expect(got, `mergeVary(${JSON.stringify(current)}, ${JSON.stringify(add)}): got ${JSON.stringify(got)}; want ${JSON.stringify(want)}`).toBe(want);
    });
  }
});

describe('ownUrl', () => {
  const longest = 'a'.repeat(MAX_HOST_HEADER_LENGTH - ':65535'.length) + ':65535';
  const rows: { desc: string; scheme: string; host: string | undefined; want: string | undefined }[] = [
    { desc: 'host and port', scheme: 'http', host: '127.0.0.1:8080', want: 'http://127.0.0.1:8080/' },
    { desc: 'name without port', scheme: 'https', host: 'api.example.com', want: 'https://api.example.com/' },
    { desc: 'upper case is left to the URL parser', scheme: 'https', host: 'API.Example.com', want: 'https://API.Example.com/' },
    { desc: 'IPv6 literal', scheme: 'http', host: '[::1]:3000', want: 'http://[::1]:3000/' },
    { desc: 'underscore', scheme: 'http', host: 'my_host', want: 'http://my_host/' },
    { desc: 'absent', scheme: 'http', host: undefined, want: undefined },
    { desc: 'empty', scheme: 'http', host: '', want: undefined },
    { desc: 'at the cap', scheme: 'http', host: longest, want: `http://${longest}/` },
    { desc: 'one over the cap', scheme: 'http', host: 'a' + longest, want: undefined },
    { desc: 'userinfo would change the host', scheme: 'http', host: 'evil.com@api.example.com', want: undefined },
    { desc: 'path would change the host', scheme: 'http', host: 'api.example.com/x', want: undefined },
    { desc: 'backslash', scheme: 'http', host: 'a\\b', want: undefined },
    { desc: 'space', scheme: 'http', host: 'a b', want: undefined },
    { desc: 'NUL', scheme: 'http', host: 'a\u0000b', want: undefined },
    { desc: 'non-ASCII', scheme: 'http', host: 'bücher.example', want: undefined },
    { desc: 'lone surrogate', scheme: 'http', host: 'a\ud800', want: undefined },
    { desc: '100 KB', scheme: 'http', host: 'a'.repeat(100 * 1024), want: undefined },
  ];
  for (const { desc, scheme, host, want } of rows) {
    it(desc, () => {
      const got = ownUrl(scheme, host);
      expect(got, `ownUrl(${scheme}, ${JSON.stringify(host)?.slice(0, 60)}): got ${got}; want ${want}`).toBe(want);
    });
  }
});

describe('X-Forwarded-* members', () => {
  const firstRows: { desc: string; input: string | string[] | undefined; want: string | null }[] = [
    { desc: 'one value', input: 'api.example.com', want: 'api.example.com' },
    { desc: 'first of a list', input: 'a.example.com, proxy.internal', want: 'a.example.com' },
    { desc: 'whitespace trimmed', input: '  a.example.com  ,b', want: 'a.example.com' },
    { desc: 'empty first member', input: ' , b', want: null },
    { desc: 'absent', input: undefined, want: null },
    { desc: 'array form: first line', input: ['x.example', 'y.example'], want: 'x.example' },
    { desc: 'empty array', input: [], want: null },
  ];
  for (const { desc, input, want } of firstRows) {
    it(`firstListMember: ${desc}`, () => {
      const got = firstListMember(input);
      expect(got, `firstListMember(${JSON.stringify(input)}): got ${got}; want ${want}`).toBe(want);
    });
  }
  const schemeRows: { desc: string; input: string | undefined; want: 'http' | 'https' | null }[] = [
    { desc: 'https', input: 'https', want: 'https' },
    { desc: 'upper case', input: 'HTTPS', want: 'https' },
    { desc: 'first of a chain', input: 'http, https', want: 'http' },
    { desc: 'not a web scheme', input: 'ftp', want: null },
    { desc: 'longer lookalike', input: 'https2', want: null },
    { desc: 'absent', input: undefined, want: null },
    { desc: 'empty', input: '', want: null },
  ];
  for (const { desc, input, want } of schemeRows) {
    it(`forwardedScheme: ${desc}`, () => {
      const got = forwardedScheme(input);
      expect(got, `forwardedScheme(${JSON.stringify(input)}): got ${got}; want ${want}`).toBe(want);
    });
  }
});

describe('setup arguments', () => {
  it('a compiled policy is used as is', () => {
    const policy = compilePolicy({ origins: ['https://app.example.com'] });
    const got = resolvePolicy(policy, 'cors');
    expect(got === policy, 'resolvePolicy(compiled): got a different object; want the same policy').toBe(true);
  });
  it('an init object is compiled', () => {
    const got = resolvePolicy({ origins: ['https://app.example.com'] }, 'cors');
    expect(got.isOriginAllowed('https://app.example.com'), 'resolvePolicy(init).isOriginAllowed(listed): got false; want true').toBe(true);
  });
  it('an invalid init throws the policy error at setup', () => {
    expect(() => resolvePolicy({ origins: '*', credentials: true }, 'cors')).toThrow(/corset:/);
  });
  const badPolicies: { desc: string; input: unknown }[] = [
    { desc: 'undefined', input: undefined },
    { desc: 'null', input: null },
    { desc: 'a string', input: 'https://app.example.com' },
    { desc: 'an array', input: ['https://app.example.com'] },
  ];
  for (const { desc, input } of badPolicies) {
    it(`policy: ${desc} is a TypeError naming policy`, () => {
      expect(() => resolvePolicy(input, 'cors')).toThrow(TypeError);
      expect(() => resolvePolicy(input, 'cors')).toThrow(/cors\(policy\)/);
    });
  }
  const badOptions: { desc: string; input: unknown; names: RegExp }[] = [
    { desc: 'options not an object', input: 'yes', names: /options must be an object/ },
    { desc: 'trustProxy not a boolean', input: { trustProxy: 'yes' }, names: /trustProxy/ },
    { desc: 'rejectDenied not a boolean', input: { rejectDenied: 1 }, names: /rejectDenied/ },
    { desc: 'onDecision not a function', input: { onDecision: 'log' }, names: /onDecision/ },
    { desc: 'publicOrigin with a path', input: { publicOrigin: 'https://api.example.com/' }, names: /publicOrigin/ },
    { desc: 'publicOrigin with the default port', input: { publicOrigin: 'https://api.example.com:443' }, names: /write it as "https:\/\/api.example.com"/ },
    { desc: 'publicOrigin not http(s)', input: { publicOrigin: 'ftp://files.example.com' }, names: /publicOrigin/ },
    { desc: 'publicOrigin null', input: { publicOrigin: 'null' }, names: /publicOrigin/ },
    { desc: 'publicOrigin not a string', input: { publicOrigin: 42 }, names: /publicOrigin must be a string/ },
  ];
  for (const { desc, input, names } of badOptions) {
    it(`options: ${desc}`, () => {
      expect(() => resolveOptions(input, 'cors')).toThrow(TypeError);
      expect(() => resolveOptions(input, 'cors')).toThrow(names);
    });
  }
  it('publicOrigin is turned into a URL once', () => {
    const got = resolveOptions({ publicOrigin: 'https://api.example.com:8443' }, 'cors').publicUrl;
    expect(got, `resolveOptions(publicOrigin).publicUrl: got ${got}; want https://api.example.com:8443/`).toBe('https://api.example.com:8443/');
  });
  it('no options: all defaults off', () => {
    const got = resolveOptions(undefined, 'cors');
    expect(got, 'resolveOptions(undefined)').toEqual({ trustProxy: false, publicUrl: null, onDecision: null, rejectDenied: false });
  });
});
