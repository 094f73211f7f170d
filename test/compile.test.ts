// compilePolicy / lintPolicy end to end: the validator, the engine and decide() together.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, lintPolicy } from '../src/compile/compile-policy.js';
import { PolicyError } from '../src/policy/issues.js';
import type { CorsPolicy, CorsPolicyInit } from '../src/types.js';

const WEATHER: CorsPolicyInit = {
  origins: ['https://test.b-cdn.net', 'https://*.b-cdn.net', 'http://localhost:*'],
  methods: ['GET'],
  allowHeaders: ['content-type'],
  exposeHeaders: ['x-weather-station'],
  maxAge: 600,
};

const POLICIES: Record<string, CorsPolicyInit> = {
  weather: WEATHER,
  public: { origins: '*', exposeHeaders: ['x-total'] },
  tiered: { origins: '*', credentialedOrigins: ['https://app.example.com', 'https://*.example.org'] },
  credentials: { origins: ['https://app.example.com', 'https://*.example.org'], credentials: true, methods: ['PUT'] },
  nullAllowed: { origins: ['null', 'https://app.example.com'], allowNullOrigin: true },
  regexp: { origins: [/^https:\/\/[a-z]+\.example\.net$/, 'https://app.example.com'] },
};
const compiled: Record<string, CorsPolicy> = Object.fromEntries(
  Object.entries(POLICIES).map(([name, init]) => [name, compilePolicy(init)]),
);

describe('compilePolicy: refusals', () => {
  const rows: { desc: string; init: unknown; code: string }[] = [
    { desc: 'undefined (untyped caller)', init: undefined, code: 'policy-not-object' },
    { desc: 'a string', init: 'https://example.com', code: 'policy-not-object' },
    { desc: 'origins missing', init: {}, code: 'origins-missing' },
    { desc: '* with credentials', init: { origins: '*', credentials: true }, code: 'wildcard-with-credentials' },
    { desc: 'a path in a pattern', init: { origins: ['https://example.com/'] }, code: 'pattern-has-path' },
    { desc: 'a public-suffix wildcard', init: { origins: ['https://*.com'] }, code: 'public-suffix-wildcard' },
    { desc: 'null without allowNullOrigin', init: { origins: ['null'] }, code: 'null-origin' },
    { desc: 'a forbidden method', init: { origins: '*', methods: ['TRACE'] }, code: 'forbidden-method' },
    { desc: 'set-cookie exposed', init: { origins: '*', exposeHeaders: ['Set-Cookie'] }, code: 'forbidden-response-header' },
  ];
  for (const { desc, init, code } of rows) {
    it(desc, () => {
      let thrown: unknown = null;
      try {
        compilePolicy(init as CorsPolicyInit);
      } catch (e) {
        thrown = e;
      }
      expect(thrown, `compilePolicy(${desc}): got ${String(thrown)}; want PolicyError`).toBeInstanceOf(PolicyError);
      const codes = (thrown as PolicyError).issues.map((i) => i.code);
      expect(codes, `compilePolicy(${desc}).issues codes`).toContain(code);
      // lintPolicy reports every error compilePolicy throws for.
      const linted = lintPolicy(init as CorsPolicyInit).map((i) => `${i.code}@${i.path}`);
      for (const issue of (thrown as PolicyError).issues) {
        expect(linted, `lintPolicy(${desc}) lacks ${issue.code}@${issue.path}`).toContain(`${issue.code}@${issue.path}`);
      }
    });
  }

  it('reports every error at once', () => {
    const issues = lintPolicy({ origins: ['https://example.com/', 'https://*.com'], maxAge: -1 });
    const codes = issues.filter((i) => i.severity === 'error').map((i) => i.code);
    expect(codes, 'lintPolicy(three problems) error codes').toEqual(
      expect.arrayContaining(['pattern-has-path', 'public-suffix-wildcard', 'invalid-max-age']),
    );
  });

  it('lintPolicy never throws, even for a Proxy that throws on every read', () => {
    const hostile = new Proxy({}, {
      get() {
        throw new Error('boom');
      },
      ownKeys() {
        throw new Error('boom');
      },
    });
    for (const init of [undefined, null, 42, [], hostile, { origins: 42 }]) {
      expect(() => lintPolicy(init as CorsPolicyInit), `lintPolicy(${typeof init})`).not.toThrow();
    }
  });

  it('engine "wasm" never silently runs another engine', () => {
    let policy: CorsPolicy | null = null;
    try {
      policy = compilePolicy({ origins: ['https://app.example.com'], engine: 'wasm' });
    } catch (e) {
      expect(e, 'compilePolicy(engine wasm) where it cannot run: an Error').toBeInstanceOf(Error);
    }
    if (policy !== null) expect(policy.engine, 'compilePolicy(engine wasm).engine').toBe('wasm');
  });
});

describe('compilePolicy: the compiled object', () => {
  it('is frozen and names its engine', () => {
    const p = compiled.weather as CorsPolicy;
    expect(Object.isFrozen(p), 'frozen').toBe(true);
    expect(['js', 'wasm'], 'engine').toContain(p.engine);
    expect(compilePolicy({ ...WEATHER, engine: 'js' }).engine, 'engine js').toBe('js');
  });

  const rows: { desc: string; policy: string; origin: string; want: string | null }[] = [
    { desc: 'exact entry', policy: 'weather', origin: 'https://test.b-cdn.net', want: 'https://test.b-cdn.net' },
    { desc: 'earliest entry wins', policy: 'weather', origin: 'https://test.b-cdn.net', want: 'https://test.b-cdn.net' },
    { desc: 'wildcard entry', policy: 'weather', origin: 'https://new-weather.b-cdn.net', want: 'https://*.b-cdn.net' },
    { desc: 'apex not matched by *.', policy: 'weather', origin: 'https://b-cdn.net', want: null },
    { desc: 'look-alike', policy: 'weather', origin: 'https://test.b-cdn.net.evil.net', want: null },
    { desc: 'localhost any port', policy: 'weather', origin: 'http://localhost:8080', want: 'http://localhost:*' },
    { desc: 'non-canonical', policy: 'weather', origin: 'https://TEST.b-cdn.net', want: null },
    { desc: '100 KB', policy: 'weather', origin: `https://${'a'.repeat(100 * 1024)}`, want: null },
    { desc: 'NUL', policy: 'public', origin: 'https://a.example\u0000', want: null },
    { desc: 'lone surrogate', policy: 'public', origin: 'https://\udc00.example', want: null },
    { desc: '* allows a canonical origin', policy: 'public', origin: 'https://anyone.example', want: '*' },
    { desc: '* never allows null', policy: 'public', origin: 'null', want: null },
    { desc: 'tiered: credentialed entry named', policy: 'tiered', origin: 'https://app.example.com', want: 'https://app.example.com' },
    { desc: 'tiered: others get *', policy: 'tiered', origin: 'https://other.example', want: '*' },
    { desc: 'tiered: a later credentialed entry named', policy: 'tiered', origin: 'https://a.example.org', want: 'https://*.example.org' },
    { desc: 'null with allowNullOrigin', policy: 'nullAllowed', origin: 'null', want: 'null' },
    { desc: 'RegExp entry', policy: 'regexp', origin: 'https://abc.example.net', want: '/^https:\\/\\/[a-z]+\\.example\\.net$/' },
    { desc: 'RegExp never sees a non-canonical origin', policy: 'regexp', origin: 'https://abc.example.net:443', want: null },
  ];
  for (const { desc, policy, origin, want } of rows) {
    it(`matchOrigin / isOriginAllowed / matchOrigins: ${desc}`, () => {
      const p = compiled[policy] as CorsPolicy;
      const o = origin.length > 60 ? `${origin.slice(0, 30)}...` : origin;
      expect(p.matchOrigin(origin), `${policy}.matchOrigin(${o})`).toBe(want);
      expect(p.isOriginAllowed(origin), `${policy}.isOriginAllowed(${o})`).toBe(want !== null);
      expect([...p.matchOrigins([origin, origin])], `${policy}.matchOrigins([${o} x2])`).toEqual(want === null ? [0, 0] : [1, 1]);
    });
  }

  it('non-string input: a TypeError naming the argument', () => {
    const p = compiled.weather as CorsPolicy;
    expect(() => p.isOriginAllowed(42 as unknown as string)).toThrow(/isOriginAllowed\(origin\)/);
    expect(() => p.matchOrigin(null as unknown as string)).toThrow(/matchOrigin\(origin\)/);
    expect(() => p.matchOrigins('x' as unknown as string[])).toThrow(/matchOrigins\(origins\)/);
    expect(() => p.matchOrigins(['x', 1] as unknown as string[])).toThrow(/origins\[1\]/);
    expect(() => p.decide(undefined as unknown as { method: string })).toThrow(/decide\(req\)/);
  });
});

describe('compilePolicy: decide end to end (the weather API example)', () => {
  const p = compilePolicy(WEATHER);
  it('the page on test.b-cdn.net may read the API', () => {
    const d = p.decide({ method: 'GET', origin: 'https://test.b-cdn.net', url: 'https://weather-api-website.bunny.net/forecast' });
    expect(d, 'decide(GET from test.b-cdn.net)').toEqual({
      kind: 'actual',
      allowed: true,
      reason: 'ok',
      matched: 'https://test.b-cdn.net',
      status: null,
      headers: {
        'access-control-allow-origin': 'https://test.b-cdn.net',
        'access-control-expose-headers': 'x-weather-station',
        vary: 'origin',
      },
    });
  });
  it('a JSON POST preflight: content-type allowed, POST safelisted', () => {
    const d = p.decide({ method: 'OPTIONS', origin: 'https://test.b-cdn.net', requestMethod: 'POST', requestHeaders: 'content-type' });
    expect([d.kind, d.allowed, d.status, d.headers['access-control-allow-methods'], d.headers['access-control-max-age']], 'preflight').toEqual([
      'preflight',
      true,
      204,
      'GET',
      '600',
    ]);
  });
  it('another site is refused with no access-control-allow-* header', () => {
    const d = p.decide({ method: 'OPTIONS', origin: 'https://evil.example', requestMethod: 'GET' });
    expect([d.allowed, d.reason, d.status, Object.keys(d.headers)], 'denied preflight').toEqual([false, 'origin-not-allowed', 403, ['vary']]);
  });
  it('tiered: the credentialed origin gets credentials, any other origin * anonymously', () => {
    const t = compiled.tiered as CorsPolicy;
    const mine = t.decide({ method: 'GET', origin: 'https://app.example.com' }).headers;
    const theirs = t.decide({ method: 'GET', origin: 'https://other.example' }).headers;
    expect(mine, 'tiered.decide(credentialed origin).headers').toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      vary: 'origin',
    });
    expect(theirs, 'tiered.decide(other origin).headers').toEqual({ 'access-control-allow-origin': '*', vary: 'origin' });
  });
  it('the API calling itself is same-origin', () => {
    const d = p.decide({ method: 'GET', origin: 'https://weather-api-website.bunny.net', url: 'https://weather-api-website.bunny.net/x' });
    expect(d.kind, 'kind').toBe('same-origin');
  });
});

describe('compilePolicy: the four answers agree (seeded)', () => {
  const pool = [
    'https://test.b-cdn.net',
    'https://x.b-cdn.net',
    'https://b-cdn.net',
    'http://localhost:1',
    'https://app.example.com',
    'https://a.example.org',
    'https://abc.example.net',
    'https://other.example',
    'null',
    'https://APP.example.com',
    '',
  ];
  const originArb = fc.oneof(fc.constantFrom(...pool), fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
  it('isOriginAllowed, matchOrigin, matchOrigins and decide(GET).matched say the same', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(POLICIES)), fc.array(originArb, { maxLength: 6 }), (name, origins) => {
        const p = compiled[name] as CorsPolicy;
        const batch = p.matchOrigins(origins);
        origins.forEach((o, i) => {
          const matched = p.matchOrigin(o);
          const d = p.decide({ method: 'GET', origin: o });
          const where = `${name}: ${JSON.stringify(o)}`;
          expect(p.isOriginAllowed(o), `${where}: isOriginAllowed vs matchOrigin`).toBe(matched !== null);
          expect(batch[i], `${where}: matchOrigins[${i}]`).toBe(matched === null ? 0 : 1);
          expect(d.allowed ? d.matched : null, `${where}: decide(GET).matched`).toBe(matched);
        });
      }),
      { seed: 20260610, numRuns: 1000 },
    );
  });
});
