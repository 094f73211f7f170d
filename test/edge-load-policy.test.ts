// loadPolicy(exportPolicy(init)) against compilePolicy(init): a seeded differential over generated
// policies and fuzzed requests (both engines), the export refusing what it cannot carry, and
// loadPolicy refusing every tampered or malformed export with its own error (a table of named rows).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { loadPolicy } from '../src/edge/load-policy.js';
import { withCors } from '../src/edge/index.js';
import { exportPolicy } from '../src/policy/export-policy.js';
import { PolicyError } from '../src/policy/issues.js';
import { type ExportedPolicy, policyIntegrity } from '../src/policy/policy-data.js';
import { sha256Hex } from '../src/policy/sha256.js';
import type { CorsPolicyInit, CorsRequest } from '../src/types.js';
import { createRng, generateOrigin, generatePolicy, POLICY_SHAPES } from './fuzz/generate.js';

const SEED = 20261206;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'get', 'OPTIONS', 'HEAD', 'X-CUSTOM', 'CONNECT', '', 'G ET'];
const REQUEST_HEADERS = ['', 'content-type', 'X-Token, content-type', 'authorization', 'x-a,x-b', ' , ', 'cookie', 'x-token,,', `x-${'a'.repeat(5000)}`];

/** A JSON round trip: what a Worker gets from `import data from './policy.json'`. */
const viaJson = (e: ExportedPolicy): ExportedPolicy => JSON.parse(JSON.stringify(e)) as ExportedPolicy;

describe('sha256Hex (FIPS 180-4)', () => {
  const rows = [
    { desc: 'empty', input: '' },
    { desc: 'abc', input: 'abc' },
    { desc: '55 bytes (padding fits one block)', input: 'a'.repeat(55) },
    { desc: '56 bytes (padding needs a second block)', input: 'a'.repeat(56) },
    { desc: '64 bytes', input: 'b'.repeat(64) },
    { desc: 'non-ASCII (UTF-8)', input: 'é☃𝄞'.repeat(40) },
    { desc: 'many blocks', input: 'x'.repeat(100_000) },
  ];
  for (const { desc, input } of rows) {
    it(desc, () => {
      const want = createHash('sha256').update(input, 'utf8').digest('hex');
      expect(sha256Hex(input), `sha256Hex(${desc}): got other digest; want ${want}`).toBe(want);
    });
  }
});

/** A policy init from the fuzz generator's rules plus random options (some invalid on purpose). */
function initArb(): fc.Arbitrary<{ init: CorsPolicyInit; seed: number }> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      shape: fc.constantFrom(...POLICY_SHAPES),
      size: fc.integer({ min: 1, max: 12 }),
      star: fc.boolean(),
      tiered: fc.boolean(),
      credentials: fc.boolean(),
      methods: fc.oneof(fc.constant('*' as const), fc.subarray(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'X-CUSTOM'])),
      allowHeaders: fc.oneof(fc.constant('*' as const), fc.subarray(['*', 'content-type', 'x-token', 'authorization'])),
      exposeHeaders: fc.oneof(fc.constant('*' as const), fc.subarray(['x-request-id', 'etag'])),
      maxAge: fc.option(fc.integer({ min: 0, max: 90000 }), { nil: undefined }),
      privateNetwork: fc.boolean(),
      preflightStatus: fc.constantFrom(undefined, 200, 204),
      allowNullOrigin: fc.boolean(),
    })
    .map((o) => {
      const rules = generatePolicy(createRng(o.seed), o.shape, o.size).filter((r) => r.kind !== 'regexp');
      const list = rules.map((r) => r.source);
      const init: Record<string, unknown> = {
        origins: o.star ? '*' : list,
        credentials: o.star ? false : o.credentials,
        methods: o.methods,
        allowHeaders: o.allowHeaders,
        exposeHeaders: o.exposeHeaders,
        privateNetwork: o.privateNetwork,
        allowNullOrigin: o.allowNullOrigin,
      };
      if (o.star && o.tiered) init['credentialedOrigins'] = list.filter((s) => s !== 'null').slice(0, 3);
      if (o.maxAge !== undefined) init['maxAge'] = o.maxAge;
      if (o.preflightStatus !== undefined) init['preflightStatus'] = o.preflightStatus;
      return { init: init as unknown as CorsPolicyInit, seed: o.seed };
    });
}

/** Requests near the policy: its origins mutated, methods and header lists of every kind. */
function requests(seed: number, init: CorsPolicyInit, n: number): CorsRequest[] {
  const rng = createRng(seed ^ 0x5bd1e995);
  const compiled = Array.isArray(init.origins) ? generatePolicy(createRng(seed), 'mixed', 0) : [];
  const rules = generatePolicy(createRng(seed), 'mixed', 6).concat(compiled);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const out: CorsRequest[] = [];
  for (let i = 0; i < n; i++) {
    const listed = Array.isArray(init.origins) ? (init.origins as string[]) : [];
    const origin = rng() < 0.3 && listed.length > 0 ? pick(listed).replace('*', pick(['a', 'pr-1', 'x.y'])) : generateOrigin(rng, rules);
    const preflight = rng() < 0.5;
    out.push({
      method: preflight ? 'OPTIONS' : pick(METHODS),
      origin: rng() < 0.05 ? null : origin,
      requestMethod: preflight ? pick(METHODS) : null,
      requestHeaders: preflight ? pick(REQUEST_HEADERS) : null,
      requestPrivateNetwork: rng() < 0.2,
      ...(rng() < 0.3 ? { url: `${rng() < 0.5 ? origin : 'https://api.example.com'}/items` } : {}),
    });
  }
  return out;
}

describe('loadPolicy(exportPolicy(init)) decides exactly as compilePolicy(init)', () => {
  for (const engine of ['js', 'wasm'] as const) {
    it(`over seeded generated policies and fuzzed requests (engine ${engine})`, () => {
      let compared = 0;
      let refused = 0;
      fc.assert(
        fc.property(initArb(), ({ init, seed }) => {
          let want: ReturnType<typeof compilePolicy>;
          try {
            want = compilePolicy({ ...init, engine });
          } catch (err) {
            // An invalid init: exportPolicy refuses it with the same PolicyError.
            expect(err).toBeInstanceOf(PolicyError);
            expect(() => exportPolicy({ ...init, engine })).toThrow(PolicyError);
            refused++;
            return;
          }
          const got = loadPolicy(viaJson(exportPolicy({ ...init, engine })));
          expect(got.engine).toBe(want.engine);
          for (const req of requests(seed, init, 40)) {
            const g = got.decide(req);
            const w = want.decide(req);
            if (JSON.stringify(g) !== JSON.stringify(w)) {
              throw new Error(`decide(${JSON.stringify(req).slice(0, 300)}) under ${JSON.stringify(init).slice(0, 300)}: got ${JSON.stringify(g)}; want ${JSON.stringify(w)}`);
            }
            if (typeof req.origin === 'string') {
              expect(got.matchOrigin(req.origin), `matchOrigin(${JSON.stringify(req.origin)})`).toBe(want.matchOrigin(req.origin));
            }
            compared++;
          }
        }),
        { seed: SEED, numRuns: 150 },
      );
      expect(compared, 'requests compared').toBeGreaterThan(3000);
      expect(refused, 'some generated inits are invalid (the refusal path is exercised too)').toBeGreaterThan(0);
    });
  }

  it('the loaded policy runs the engine the export names, or the one the options ask for', () => {
    const e = exportPolicy({ origins: ['https://app.example.com'], engine: 'js' });
    expect(loadPolicy(e).engine).toBe('js');
    expect(loadPolicy(e, { engine: 'wasm' }).engine).toBe('wasm');
    expect(loadPolicy(exportPolicy({ origins: ['https://*.example.com'] })).engine).toBe(compilePolicy({ origins: ['https://*.example.com'] }).engine);
  });
});

describe('exportPolicy refuses what a loaded policy cannot carry', () => {
  it('a RegExp origin (no RegExp engine at the edge), naming the entry', () => {
    expect(() => exportPolicy({ origins: ['https://a.example', /^https:\/\/b\.example$/] })).toThrow(/origins\[1\] .*is a RegExp/);
  });
  it('an invalid policy, with the PolicyError compilePolicy throws', () => {
    expect(() => exportPolicy({ origins: ['https://*.com'] })).toThrow(PolicyError);
  });
  it('a compiled policy (it keeps no rules)', () => {
    expect(() => exportPolicy(compilePolicy({ origins: ['https://a.example'] }) as unknown as CorsPolicyInit)).toThrow(TypeError);
  });
});

type Mutable = Record<string, unknown> & { policy: Record<string, unknown> };
const BASE: CorsPolicyInit = {
  origins: ['https://app.example.com', 'https://*.preview.example.com', 'http://localhost:*'],
  credentials: true,
  methods: ['GET', 'PUT'],
  allowHeaders: ['content-type'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};
/** Edit the policy and recompute the integrity field (someone who knows the format). */
const edit = (f: (p: Record<string, unknown>) => void) => (e: Mutable) => {
  f(e.policy);
  e['integrity'] = policyIntegrity(e.policy);
};

describe('loadPolicy refuses tampered or malformed data with a clear error', () => {
  const rows: { desc: string; mutate: (e: Mutable) => void; want: RegExp | 'ok' }[] = [
    { desc: 'unchanged', mutate: () => {}, want: 'ok' },
    { desc: 'another format', mutate: (e) => (e['format'] = 'corset-matcher'), want: /format is "corset-matcher", not "corset-policy"/ },
    { desc: 'a later version', mutate: (e) => (e['version'] = 2), want: /version is 2, not 1/ },
    { desc: 'an origin edited, integrity kept', mutate: (e) => ((e.policy['origins'] as string[])[0] = 'https://evil.example.net'), want: /integrity does not match the policy/ },
    { desc: 'credentials flipped, integrity kept', mutate: (e) => (e.policy['credentials'] = false), want: /integrity does not match/ },
    { desc: 'integrity damaged', mutate: (e) => (e['integrity'] = String(e['integrity']).replace(/.$/, (c) => (c === '0' ? '1' : '0'))), want: /integrity does not match/ },
    { desc: 'integrity missing', mutate: (e) => delete e['integrity'], want: /does not have exactly the keys format,integrity,policy,version/ },
    { desc: 'an unknown key in the policy', mutate: edit((p) => (p['allowPublicSuffixWildcards'] = true)), want: /policy does not have exactly the keys/ },
    { desc: 'a key missing from the policy', mutate: edit((p) => delete p['maxAge']), want: /policy does not have exactly the keys/ },
    { desc: 'origins "*" with credentials', mutate: edit((p) => (p['origins'] = '*')), want: /policy\.origins is "\*" with credentials/ },
    { desc: 'a pattern not in normal form', mutate: edit((p) => ((p['origins'] as string[])[0] = 'https://APP.example.com')), want: /policy\.origins\[0\] makes "https:\/\/APP\.example\.com": not a canonical origin/ },
    { desc: 'a pattern with a path', mutate: edit((p) => ((p['origins'] as string[])[0] = 'https://app.example.com/x')), want: /policy\.origins\[0\] makes/ },
    { desc: 'a RegExp entry', mutate: edit((p) => ((p['origins'] as unknown[])[0] = { regexp: '^https://a$', flags: '', source: '/^https:\\/\\/a$/' })), want: /policy\.origins\[0\] is a RegExp/ },
    { desc: 'a null entry without allowNullOrigin', mutate: edit((p) => ((p['origins'] as string[])[0] = 'null')), want: /policy\.origins\[0\] is not its own source, or is "null" without allowNullOrigin/ },
    { desc: 'origins not a list', mutate: edit((p) => (p['origins'] = 'https://a.example')), want: /policy\.origins is string, not an array/ },
    { desc: 'credentialedOrigins beside a list', mutate: edit((p) => (p['credentialedOrigins'] = ['https://a.example'])), want: /credentialedOrigins must be null unless origins is "\*"/ },
    { desc: 'a forbidden method', mutate: edit((p) => ((p['methods'] as string[])[0] = 'CONNECT')), want: /policy\.methods\[0\] is a forbidden method/ },
    { desc: 'a method not normalised', mutate: edit((p) => ((p['methods'] as string[])[0] = 'get')), want: /policy\.methods\[0\] .*not normalised/ },
    { desc: 'a method that is no token', mutate: edit((p) => ((p['methods'] as string[])[0] = 'G ET')), want: /policy\.methods\[0\] is not an HTTP token/ },
    { desc: 'a method listed twice', mutate: edit((p) => (p['methods'] = ['GET', 'GET'])), want: /policy\.methods\[1\] is listed twice/ },
    { desc: 'methods "*" with credentials', mutate: edit((p) => (p['methods'] = '*')), want: /policy\.methods is "\*" with credentials/ },
    { desc: 'a header name in upper case', mutate: edit((p) => ((p['allowHeaders'] as string[])[0] = 'Content-Type')), want: /policy\.allowHeaders\[0\] is not lower case/ },
    { desc: 'a forbidden request-header', mutate: edit((p) => ((p['allowHeaders'] as string[])[0] = 'cookie')), want: /policy\.allowHeaders\[0\] is a forbidden request-header/ },
    { desc: 'a forbidden response-header name', mutate: edit((p) => ((p['exposeHeaders'] as string[])[0] = 'set-cookie')), want: /policy\.exposeHeaders\[0\] is a forbidden response-header name/ },
    { desc: '"*" beside names with credentials', mutate: edit((p) => (p['allowHeaders'] = ['*', 'content-type'])), want: /policy\.allowHeaders\[0\] is "\*" where it cannot stand/ },
    { desc: 'a negative maxAge', mutate: edit((p) => (p['maxAge'] = -1)), want: /policy\.maxAge is not null or a non-negative integer/ },
    { desc: 'a fractional maxAge', mutate: edit((p) => (p['maxAge'] = 1.5)), want: /policy\.maxAge/ },
    { desc: 'a preflight status not ok', mutate: edit((p) => (p['preflightStatus'] = 500)), want: /policy\.preflightStatus is a number, not an integer from 200 to 299|policy\.preflightStatus is .* not an integer from 200 to 299/ },
    { desc: 'a denied status out of range', mutate: edit((p) => (p['deniedPreflightStatus'] = 99)), want: /policy\.deniedPreflightStatus .*from 200 to 599/ },
    { desc: 'an unknown engine', mutate: edit((p) => (p['engine'] = 'fast')), want: /policy\.engine is "fast", not "auto" or "wasm" or "js"/ },
    { desc: 'a boolean as a string', mutate: edit((p) => (p['privateNetwork'] = 'true')), want: /policy\.privateNetwork is "true", not true or false/ },
  ];
  for (const { desc, mutate, want } of rows) {
    it(desc, () => {
      const e = viaJson(exportPolicy(BASE)) as unknown as Mutable;
      mutate(e);
      const run = () => loadPolicy(e as unknown as ExportedPolicy);
      if (want === 'ok') {
        expect(run().decide({ method: 'GET', origin: 'https://app.example.com' }).allowed).toBe(true);
        return;
      }
      let message = '';
      try {
        run();
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message.startsWith('corset: loadPolicy(data): '), `loadPolicy(${desc}): got ${JSON.stringify(message)}; want an error`).toBe(true);
      expect(message).toMatch(want);
    });
  }

  it('a non-object is a TypeError; a throwing getter is "could not be read", not a crash', () => {
    for (const bad of [null, undefined, 'x', 42, []]) expect(() => loadPolicy(bad as unknown as ExportedPolicy)).toThrow(TypeError);
    const e = viaJson(exportPolicy(BASE)) as unknown as Mutable;
    Object.defineProperty(e, 'policy', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(() => loadPolicy(e as unknown as ExportedPolicy)).toThrow(/^corset: loadPolicy\(data\): could not be read \(boom\)/);
  });

  it('fuzzed single-character edits of the JSON are refused or load a policy (never another exception)', () => {
    const text = JSON.stringify(exportPolicy(BASE));
    fc.assert(
      fc.property(fc.nat({ max: text.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (at, ch) => {
        const edited = text.slice(0, at) + ch + text.slice(at + 1);
        let data: unknown;
        try {
          data = JSON.parse(edited);
        } catch {
          return;
        }
        try {
          loadPolicy(data as ExportedPolicy);
          // Loaded: only an edit that changed nothing may load.
          expect(edited).toBe(text);
        } catch (err) {
          expect((err as Error).message).toMatch(/^corset: loadPolicy\(data\): /);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('corset-cors/edge withCors', () => {
  it('takes a loaded policy and answers a preflight', async () => {
    const handler = withCors(loadPolicy(exportPolicy(BASE)), () => new Response('app'));
    const res = await handler(new Request('https://api.example.com/x', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' } }));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });
  it('refuses a CorsPolicyInit with a TypeError that names the way', () => {
    expect(() => withCors(BASE as never, () => new Response(''))).toThrow(/corset-cors\/fetch, which carries the validator/);
  });
});
