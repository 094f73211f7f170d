// decide()'s same-origin detection for `req.url` (HTML §7.1.1 "same origin": the `Origin` value
// is exactly the serialization of the URL's origin): its shortcuts (a URL that begins with the
// `Origin` value; a URL that provably begins with its own, other, origin) answer as the URL
// parser does. Seeded property against parseOrigin, plus named rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { parseOrigin } from '../src/origin/origin.js';
import { serializedOriginLength } from '../src/decide/serialized-host.js';

const policy = compilePolicy({ origins: '*', engine: 'js' });
const sameOrigin = (origin: string, url: string): boolean => policy.decide({ method: 'GET', origin, url }).reason === 'same-origin';

describe('decide: same-origin detection', () => {
  const rows: { desc: string; origin: string; url: string; want: boolean }[] = [
    { desc: 'same, with a path', origin: 'https://api.example.com', url: 'https://api.example.com/items', want: true },
    { desc: 'same, port', origin: 'http://127.0.0.1:8080', url: 'http://127.0.0.1:8080/', want: true },
    { desc: 'other host', origin: 'https://app.example.com', url: 'https://api.example.com/', want: false },
    { desc: 'other scheme', origin: 'http://api.example.com', url: 'https://api.example.com/', want: false },
    { desc: 'default port written in the URL', origin: 'https://api.example.com', url: 'https://api.example.com:443/', want: true },
    { desc: 'upper case in the URL', origin: 'https://api.example.com', url: 'https://API.example.com/', want: true },
    { desc: 'userinfo in the URL', origin: 'https://api.example.com', url: 'https://u:p@api.example.com/', want: true },
    { desc: 'IPv4 short form in the URL', origin: 'http://127.0.0.1', url: 'http://127.1/', want: true },
    { desc: 'trailing dot is another origin', origin: 'https://api.example.com', url: 'https://api.example.com./', want: false },
    { desc: 'origin a prefix of the host', origin: 'https://api.example.co', url: 'https://api.example.com/', want: false },
    { desc: 'null origin', origin: 'null', url: 'https://api.example.com/', want: false },
  ];
  for (const { desc, origin, url, want } of rows) {
    it(desc, () => {
      const got = sameOrigin(origin, url);
      expect(got, `decide(${origin}, url ${url}) same-origin: got ${got}; want ${want}`).toBe(want);
    });
  }

  const serialized: { desc: string; url: string; want: number }[] = [
    { desc: 'path', url: 'https://a.example/x', want: 'https://a.example'.length },
    { desc: 'no path', url: 'http://a.example:8080', want: 'http://a.example:8080'.length },
    { desc: 'query', url: 'http://a.example?q', want: 'http://a.example'.length },
    { desc: 'default port: not sure', url: 'http://a.example:80/', want: -1 },
    { desc: 'userinfo: not sure', url: 'http://u@a.example/', want: -1 },
    { desc: 'backslash: not sure', url: 'http://a.example\\x', want: -1 },
    { desc: 'other scheme: not sure', url: 'ftp://a.example/', want: -1 },
    { desc: 'empty host: not sure', url: 'http:///x', want: -1 },
    { desc: 'empty', url: '', want: -1 },
  ];
  for (const { desc, url, want } of serialized) {
    it(`serializedOriginLength: ${desc}`, () => {
      const got = serializedOriginLength(url);
      expect(got, `serializedOriginLength(${url}): got ${got}; want ${want}`).toBe(want);
    });
  }

  it('property: decide says same-origin exactly when parseOrigin(url) serializes to the Origin value (seeded)', () => {
    const label = fc.stringMatching(/^(?:[a-z0-9-]{1,5}|[A-Z]{1,2}|[0-9]{1,3}|xn--[a-z]{1,3}|_|)$/);
    const authority = fc
      .tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.option(fc.constantFrom('80', '443', '0', '08', '65535', '65536', '8080', '')), fc.constantFrom('', '', '.', 'u@', 'u:p@'))
      .map(([labels, port, extra]) => (extra.endsWith('@') ? extra : '') + labels.join('.') + (extra === '.' ? '.' : '') + (port === null ? '' : ':' + port));
    const oddUrl = fc
      .tuple(fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'blob:https'), authority, fc.constantFrom('', '/', '/x', '?q', '#f', '\\x', ' /', '@x/'))
      .map(([s, a, t]) => `${s}://${a}${t}`);
    const plainUrl = fc
      .tuple(fc.constantFrom('http', 'https'), fc.array(fc.stringMatching(/^[a-c1]{1,2}$/), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ':8080', ':443', ':80'), fc.constantFrom('', '/', '/x?y', '#f'))
      .map(([s, labels, port, t]) => `${s}://${labels.join('.')}${port}${t}`);
    const url = fc.oneof(oddUrl, plainUrl);
    const pair = fc.tuple(url, fc.integer({ min: 0, max: 2 }), url).map(([u, pick, other]): [string, string] => {
      const own = parseOrigin(u);
      if (pick === 0 && own !== null && !own.opaque) return [own.serialized, u];
      if (pick === 1) {
        const slash = u.indexOf('/', u.indexOf('://') + 3);
        return [slash < 0 ? u : u.slice(0, slash), u];
      }
      const o = parseOrigin(other);
      return [o === null || o.opaque ? 'null' : o.serialized, u];
    });
    let same = 0;
    let shortcut = 0;
    fc.assert(
      fc.property(pair, ([o, u]) => {
        const own = parseOrigin(u);
        const want = own !== null && !own.opaque && own.serialized === o;
        const got = sameOrigin(o, u);
        if (got !== want) throw new Error(`decide(${o}, url ${u}) same-origin: got ${got}; want ${want}`);
        if (want) same++;
        if (!want && serializedOriginLength(u) >= 0) shortcut++;
        return true;
      }),
      { seed: 20261125, numRuns: 5000 },
    );
    expect([same > 500, shortcut > 200], `same-origin ${same}, cross-origin by the shortcut ${shortcut}: want over 500 and over 200`).toEqual([true, true]);
  });
});
