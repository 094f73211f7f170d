// The pieces every adapter shares: Vary merging, the request's own URL, X-Forwarded-* reading,
// and argument checking at setup.
import { describe, expect, it } from 'vitest';
import { MAX_HOST_HEADER_LENGTH, firstListMember, forwardedScheme, mergeVary, ownUrlFor, isSerializedHostPort, urlIfSameOriginPossible, resolveOptions } from '../../src/adapters/options.js';
import { resolvePolicy } from '../../src/adapters/policy-argument.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { parseOrigin } from '../../src/origin/origin.js';
import fc from 'fast-check';

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

describe('ownUrlFor', () => {
  const longest = 'a'.repeat(MAX_HOST_HEADER_LENGTH - ':65535'.length) + ':65535';
  const rows: { desc: string; origin: string; scheme: string; host: string | undefined; want: string | undefined }[] = [
    { desc: 'same origin, host and port', origin: 'http://127.0.0.1:8080', scheme: 'http', host: '127.0.0.1:8080', want: 'http://127.0.0.1:8080/' },
    { desc: 'same origin, name', origin: 'https://api.example.com', scheme: 'https', host: 'api.example.com', want: 'https://api.example.com/' },
    { desc: 'cross-origin, serialized host: no URL built', origin: 'https://app.example.com', scheme: 'https', host: 'api.example.com', want: undefined },
    { desc: 'cross-origin, same length', origin: 'https://apx.example.com', scheme: 'https', host: 'api.example.com', want: undefined },
    { desc: 'other scheme, same host', origin: 'http://api.example.com', scheme: 'https', host: 'api.example.com', want: undefined },
    { desc: 'other port', origin: 'http://127.0.0.1:8081', scheme: 'http', host: '127.0.0.1:8080', want: undefined },
    { desc: 'upper case: left to the URL parser', origin: 'https://app.example.com', scheme: 'https', host: 'API.Example.com', want: 'https://API.Example.com/' },
    { desc: 'default port written out: left to the parser', origin: 'https://api.example.com', scheme: 'https', host: 'api.example.com:443', want: 'https://api.example.com:443/' },
    { desc: 'IPv4 short form: left to the parser', origin: 'http://127.0.0.1:3000', scheme: 'http', host: '127.1:3000', want: 'http://127.1:3000/' },
    { desc: 'IPv6 literal: left to the parser', origin: 'http://[::1]:3000', scheme: 'http', host: '[::1]:3000', want: 'http://[::1]:3000/' },
    { desc: 'trailing dot: left to the parser', origin: 'https://api.example.com', scheme: 'https', host: 'api.example.com.', want: 'https://api.example.com./' },
    { desc: 'underscore: left to the parser', origin: 'http://my_host', scheme: 'http', host: 'my_host', want: 'http://my_host/' },
    { desc: 'absent', origin: 'http://a', scheme: 'http', host: undefined, want: undefined },
    { desc: 'empty', origin: 'http://a', scheme: 'http', host: '', want: undefined },
    { desc: 'at the cap (same origin)', origin: `http://${longest}`, scheme: 'http', host: longest, want: `http://${longest}/` },
    { desc: 'one over the cap', origin: `http://a${longest}`, scheme: 'http', host: 'a' + longest, want: undefined },
    { desc: 'userinfo would change the host', origin: 'http://api.example.com', scheme: 'http', host: 'evil.com@api.example.com', want: undefined },
    { desc: 'path would change the host', origin: 'http://api.example.com', scheme: 'http', host: 'api.example.com/x', want: undefined },
    { desc: 'backslash', origin: 'http://a', scheme: 'http', host: 'a\\b', want: undefined },
    { desc: 'space', origin: 'http://a', scheme: 'http', host: 'a b', want: undefined },
    { desc: 'NUL', origin: 'http://a', scheme: 'http', host: 'a\u0000b', want: undefined },
    { desc: 'non-ASCII', origin: 'http://xn--bcher-kva.example', scheme: 'http', host: 'bücher.example', want: undefined },
    { desc: 'lone surrogate', origin: 'http://a', scheme: 'http', host: 'a\ud800', want: undefined },
    { desc: '100 KB', origin: 'http://a', scheme: 'http', host: 'a'.repeat(100 * 1024), want: undefined },
  ];
  for (const { desc, origin, scheme, host, want } of rows) {
    it(desc, () => {
      ownUrlFor('http://a', 'http', 'other.example'); // the one-entry cache holds another host
      const got = ownUrlFor(origin, scheme, host);
      expect(got, `ownUrlFor(${origin.slice(0, 40)}, ${scheme}, ${JSON.stringify(host)?.slice(0, 60)}): got ${got}; want ${want}`).toBe(want);
      const again = ownUrlFor(origin, scheme, host); // the same host again: answered from the cache
      expect(again, `ownUrlFor(${origin.slice(0, 40)}, ${scheme}, ${JSON.stringify(host)?.slice(0, 60)}), second call: got ${again}; want ${want}`).toBe(want);
    });
  }

  const serialized: { desc: string; value: string; scheme: string; want: boolean }[] = [
    { desc: 'name', value: 'api.example.com', scheme: 'https', want: true },
    { desc: 'name and port', value: 'api.example.com:8443', scheme: 'https', want: true },
    { desc: 'port 80 on https is not the default', value: 'a.example:80', scheme: 'https', want: true },
    { desc: 'default port', value: 'a.example:80', scheme: 'http', want: false },
    { desc: 'leading zero in port', value: 'a.example:08080', scheme: 'http', want: false },
    { desc: 'port 0', value: 'a.example:0', scheme: 'http', want: false },
    { desc: 'port 65535', value: 'a.example:65535', scheme: 'http', want: true },
    { desc: 'port 65536', value: 'a.example:65536', scheme: 'http', want: false },
    { desc: 'empty port', value: 'a.example:', scheme: 'http', want: false },
    { desc: 'two colons', value: 'a:1:2', scheme: 'http', want: false },
    { desc: 'dotted quad', value: '10.0.0.255', scheme: 'http', want: true },
    { desc: 'dotted quad with a leading zero', value: '10.0.0.01', scheme: 'http', want: false },
    { desc: 'dotted quad part over 255', value: '10.0.0.256', scheme: 'http', want: false },
    { desc: 'three parts ending in a number', value: '10.0.1', scheme: 'http', want: false },
    { desc: 'name ending in a number label', value: 'a.b.123', scheme: 'http', want: false },
    { desc: 'hex-looking last label', value: 'a.0x1f', scheme: 'http', want: false },
    { desc: 'label starting with a digit, not last', value: '1a.example', scheme: 'http', want: true },
    { desc: 'empty label', value: 'a..example', scheme: 'http', want: false },
    { desc: 'leading dot', value: '.example', scheme: 'http', want: false },
    { desc: 'only a port', value: ':8080', scheme: 'http', want: false },
  ];
  for (const { desc, value, scheme, want } of serialized) {
    it(`isSerializedHostPort: ${desc}`, () => {
      const got = isSerializedHostPort(value, scheme);
      expect(got, `isSerializedHostPort(${value}, ${scheme}): got ${got}; want ${want}`).toBe(want);
    });
  }

  // The shortcut must never lose a same-origin request: whenever the URL parser says the request's
  // own origin is X, ownUrlFor(X, ...) hands decide a URL. Seeded; adversarial alphabet.
  it('property: a same-origin request always gets its URL (seeded)', () => {
    const label = fc.stringMatching(/^(?:[a-z0-9-]{1,6}|xn--[a-z0-9]{1,6}|[0-9]{1,4}|0x[0-9a-f]{1,3})$/);
    const hostArb = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 5 }), fc.option(fc.oneof(fc.constantFrom(80, 443, 0, 65535, 65536), fc.integer({ min: 0, max: 70000 }))), fc.boolean(), fc.boolean())
      .map(([labels, port, dot, zero]) => labels.join('.') + (dot ? '.' : '') + (port === null ? '' : ':' + (zero ? '0' : '') + port));
    fc.assert(
      fc.property(hostArb, fc.constantFrom('http', 'https'), (host, scheme) => {
        const own = parseOrigin(`${scheme}://${host}/`);
        if (own === null || own.opaque) return true;
        return ownUrlFor(own.serialized, scheme, host) !== undefined;
      }),
      { seed: 20260401, numRuns: 3000 },
    );
  });
});

describe('ownUrlFor: one-entry Host cache', () => {
  // The answer for a (origin, scheme, host) never depends on the calls before it: each call in a
  // random sequence (hosts from a small pool, so the cache is hit and missed) is compared with the
  // answer after a call for a host outside the pool, which makes ownUrlFor classify afresh.
  it('property: the answer does not depend on earlier calls (seeded)', () => {
    const hosts = ['api.example.com', 'api.example.com:8443', 'API.example.com', 'a.example:80', '127.0.0.1:3000', 'a b', '', 'x_y', '[::1]'];
    const origins = ['https://api.example.com', 'http://api.example.com', 'https://api.example.com:8443', 'http://127.0.0.1:3000', 'http://a.example', 'null', ''];
    const call = fc.tuple(fc.constantFrom(...origins), fc.constantFrom('http', 'https'), fc.option(fc.constantFrom(...hosts), { nil: undefined }));
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 20 }), (calls) => {
        const got = calls.map(([o, sc, h]) => ownUrlFor(o, sc, h));
        for (let i = 0; i < calls.length; i++) {
          const [o, sc, h] = calls[i] as [string, string, string | undefined];
          ownUrlFor('http://reset', 'http', 'reset.invalid');
          const want = ownUrlFor(o, sc, h);
          if (got[i] !== want) throw new Error(`ownUrlFor(${o}, ${sc}, ${JSON.stringify(h)}) after ${JSON.stringify(calls.slice(0, i))}: got ${got[i]}; want ${want}`);
        }
        return true;
      }),
      { seed: 20261125, numRuns: 500 },
    );
  });
});

describe('urlIfSameOriginPossible', () => {
  const U = 'https://api.example.com/items?x=1';
  const rows: { desc: string; origin: string; url: string; want: string | undefined }[] = [
    { desc: 'same origin', origin: 'https://api.example.com', url: U, want: U },
    { desc: 'cross-origin: no URL', origin: 'https://app.example.com', url: U, want: undefined },
    { desc: 'cross-origin, same length', origin: 'https://apx.example.com', url: U, want: undefined },
    { desc: 'other scheme', origin: 'http://api.example.com', url: U, want: undefined },
    { desc: 'origin a prefix of the host', origin: 'https://api.example.co', url: U, want: undefined },
    { desc: 'port', origin: 'http://127.0.0.1:8080', url: 'http://127.0.0.1:8080/', want: 'http://127.0.0.1:8080/' },
    { desc: 'other port', origin: 'http://127.0.0.1:8081', url: 'http://127.0.0.1:8080/', want: undefined },
    { desc: 'no path', origin: 'https://a.example', url: 'https://a.example', want: 'https://a.example' },
    { desc: 'query right after the host', origin: 'https://a.example', url: 'https://a.example?q', want: 'https://a.example?q' },
    { desc: 'fragment right after the host', origin: 'https://b.example', url: 'https://a.example#f', want: undefined },
    { desc: 'null origin', origin: 'null', url: U, want: undefined },
    { desc: 'empty origin', origin: '', url: U, want: undefined },
    { desc: 'userinfo: left to decide', origin: 'https://app.example.com', url: 'https://u@api.example.com/', want: 'https://u@api.example.com/' },
    { desc: 'upper case: left to decide', origin: 'https://app.example.com', url: 'https://API.example.com/', want: 'https://API.example.com/' },
    { desc: 'default port: left to decide', origin: 'https://app.example.com', url: 'https://api.example.com:443/', want: 'https://api.example.com:443/' },
    { desc: 'backslash: left to decide', origin: 'https://app.example.com', url: 'https://api.example.com\\x', want: 'https://api.example.com\\x' },
    { desc: 'IPv4 short form: left to decide', origin: 'http://127.0.0.1', url: 'http://127.1/', want: 'http://127.1/' },
    { desc: 'other scheme: left to decide', origin: 'https://a.example', url: 'blob:https://a.example/x', want: 'blob:https://a.example/x' },
    { desc: 'empty host: left to decide', origin: 'https://a.example', url: 'https:///a.example', want: 'https:///a.example' },
    { desc: 'non-ASCII host: left to decide', origin: 'https://a.example', url: 'https://bücher.example/', want: 'https://bücher.example/' },
    { desc: 'lone surrogate', origin: 'https://a.example', url: 'https://a\ud800.example/', want: 'https://a\ud800.example/' },
    { desc: 'NUL', origin: 'https://a.example', url: 'https://a\u0000/', want: 'https://a\u0000/' },
    { desc: 'empty URL', origin: 'https://a.example', url: '', want: '' },
    { desc: '100 KB host: left to decide', origin: 'https://a.example', url: 'https://' + 'a'.repeat(100 * 1024) + '/', want: 'https://' + 'a'.repeat(100 * 1024) + '/' },
  ];
  for (const { desc, origin, url, want } of rows) {
    it(desc, () => {
      const got = urlIfSameOriginPossible(origin, url);
      expect(got, `urlIfSameOriginPossible(${origin}, ${url.slice(0, 60)}): got ${got?.slice(0, 60)}; want ${want?.slice(0, 60)}`).toBe(want);
    });
  }

  // Exactly what decide answers with the whole URL: the shortcut only drops URLs decide would
  // find cross-origin. Seeded; origins and URLs from one adversarial alphabet so they often agree.
  it('property: decide with the shortcut answers as decide with the URL (seeded)', () => {
    const policy = compilePolicy({ origins: '*' });
    const label = fc.stringMatching(/^(?:[a-z0-9-]{1,5}|[A-Z]{1,2}|[0-9]{1,3}|xn--[a-z]{1,3}|_|)$/);
    const authority = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.option(fc.constantFrom('80', '443', '0', '08', '65535', '65536', '8080', '')), fc.constantFrom('', '.', 'u@', 'u:p@'))
      .map(([labels, port, extra]) => (extra.endsWith('@') ? extra : '') + labels.join('.') + (extra === '.' ? '.' : '') + (port === null ? '' : ':' + port));
    const scheme = fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'blob:https');
    const tail = fc.constantFrom('', '/', '/x', '?q', '#f', '\\x', ' /', '@x/');
    const oddUrl = fc.tuple(scheme, authority, tail).map(([s, a, t]) => `${s}://${a}${t}`);
    const plainUrl = fc
      .tuple(fc.constantFrom('http', 'https'), fc.array(fc.stringMatching(/^[a-c]{1,2}$/), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ':8080', ':3000'), fc.constantFrom('', '/', '/x?y'))
      .map(([s, labels, port, t]) => `${s}://${labels.join('.')}${port}${t}`);
    const url = fc.oneof(oddUrl, plainUrl);
    const other = fc.oneof(
      fc.tuple(fc.constantFrom('http', 'https'), authority).map(([s, a]) => `${s}://${a}`),
      url,
      fc.constantFrom('null', ''),
    );
    // The origin: the URL's own (as the URL parser serializes it), the URL up to its path, or another.
    const pair = fc.tuple(url, fc.integer({ min: 0, max: 2 }), other).map(([u, pick, o]): [string, string] => {
      if (pick === 0) {
        const own = parseOrigin(u);
        return [own === null || own.opaque ? o : own.serialized, u];
      }
      if (pick === 1) {
        const slash = u.indexOf('/', u.indexOf('://') + 3);
        return [slash < 0 ? u : u.slice(0, slash), u];
      }
      return [o, u];
    });
    let same = 0;
    let dropped = 0;
    fc.assert(
      fc.property(pair, ([o, u]) => {
        const shortcut = urlIfSameOriginPossible(o, u);
        const slow = policy.decide({ method: 'GET', origin: o, url: u }).reason;
        const fast = policy.decide({ method: 'GET', origin: o, url: shortcut }).reason;
        if (slow !== fast) throw new Error(`decide(${o}, ${u}): with urlIfSameOriginPossible got ${fast}; want ${slow}`);
        if (slow === 'same-origin') same++;
        if (shortcut === undefined) dropped++;
        return true;
      }),
      { seed: 20261125, numRuns: 5000 },
    );
    // The generator reaches both sides: same-origin requests, and URLs the shortcut drops.
    expect([same > 50, dropped > 500], `same-origin ${same}, dropped ${dropped}: want over 50 and over 500`).toEqual([true, true]);
  });
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
    { desc: 'preflight not a mode', input: { preflight: 'skip' }, names: /preflight must be 'answer' or 'continue', got "skip"/ },
    { desc: 'preflight a boolean', input: { preflight: true }, names: /preflight must be 'answer' or 'continue', got boolean/ },
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
  it('no options: all defaults off, preflights answered', () => {
    const got = resolveOptions(undefined, 'cors');
    expect(got, 'resolveOptions(undefined)').toEqual({ trustProxy: false, publicUrl: null, onDecision: null, rejectDenied: false, answerPreflight: true });
    expect(resolveOptions({}, 'cors'), 'resolveOptions({})').toEqual(got);
  });
  it("preflight: 'answer' and 'continue'", () => {
    expect(resolveOptions({ preflight: 'answer' }, 'cors').answerPreflight).toBe(true);
    expect(resolveOptions({ preflight: 'continue' }, 'cors').answerPreflight).toBe(false);
  });
});
