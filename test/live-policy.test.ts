// createLivePolicy: atomic update(), the addOrigins overlay, and the resolver's cache semantics
// (single-flight, TTLs, bound, timeout, failures), with fake timers where time matters.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compilePolicy, createLivePolicy, parseOriginHeader, PolicyError } from '../src/index.js';
import type { CorsDecision, CorsPolicyInit, CorsRequest } from '../src/index.js';

const get = (origin: string | null, extra: Partial<CorsRequest> = {}): CorsRequest => ({ method: 'GET', origin, ...extra });
const A = 'https://a.example';
const B = 'https://b.example';

afterEach(() => {
  vi.useRealTimers();
});

function issuesOf(fn: () => unknown): { code: string; path: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as PolicyError).issues.map(({ code, path }) => ({ code, path }));
  }
  throw new Error('expected a PolicyError');
}

describe('update()', () => {
  it('swaps the whole policy and counts versions', () => {
    const live = createLivePolicy({ origins: [A] });
    expect(live.version).toBe(1);
    expect(live.decide(get(A)).allowed).toBe(true);
    live.update({ origins: [B], credentials: true });
    expect(live.version).toBe(2);
    expect(live.decide(get(A)).reason).toBe('origin-not-allowed');
    expect(live.decide(get(B)).headers['access-control-allow-credentials']).toBe('true');
  });

  it('is a frozen object of the same keys, in the same order, its engine and version read live', () => {
    const live = createLivePolicy({ origins: [A] });
    expect(Object.isFrozen(live)).toBe(true);
    expect(Object.keys(live)).toEqual([
      'engine',
      'version',
      'isOriginAllowed',
      'matchOrigin',
      'matchOrigins',
      'decide',
      'decideAsync',
      'update',
      'addOrigins',
      'removeOrigins',
      'addedOrigins',
      'invalidate',
    ]);
    for (const key of ['engine', 'version']) {
      const d = Object.getOwnPropertyDescriptor(live, key);
      expect(typeof d?.get).toBe('function');
      expect(d?.set).toBeUndefined();
      expect(d?.enumerable).toBe(true);
    }
    for (const key of ['decide', 'decideAsync', 'update']) {
      expect(Object.getOwnPropertyDescriptor(live, key)?.writable).toBe(false);
    }
    const engine = live.engine;
    live.update({ origins: [B] });
    expect(live.version).toBe(2);
    expect(live.engine).toBe(engine);
    expect(live.decide(get(B)).allowed).toBe(true);
  });

  it('a bad init throws PolicyError with every problem and the old policy keeps serving', () => {
    const live = createLivePolicy({ origins: [A] });
    const issues = issuesOf(() => live.update({ origins: ['https://a.example/', 'ftp://x'], maxAge: -1 }));
    expect(issues.map((i) => i.code).sort()).toEqual(['invalid-max-age', 'pattern-has-path', 'pattern-scheme']);
    expect(live.version).toBe(1);
    expect(live.decide(get(A)).allowed).toBe(true);
  });

  it('takes a compiled policy, and refuses an object compilePolicy did not make', () => {
    const live = createLivePolicy(compilePolicy({ origins: [A] }));
    live.addOrigins([B]);
    expect(live.decide(get(B)).allowed).toBe(true);
    const fake = { ...compilePolicy({ origins: [A] }) };
    expect(() => createLivePolicy(fake)).toThrow(/must come from compilePolicy/);
  });

  it('added origins survive an update, with the new headers', () => {
    const live = createLivePolicy({ origins: [A] });
    live.addOrigins([B]);
    expect(live.decide(get(B)).headers['access-control-allow-credentials']).toBeUndefined();
    live.update({ origins: [A], credentials: true, exposeHeaders: ['x-id'] });
    expect(live.decide(get(B)).headers).toEqual({
      'access-control-allow-origin': B,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-id',
      vary: 'origin',
    });
  });

  // Decisions interleaved with update()s: every decision is exactly what a freshly compiled copy
  // of the policy in force at that moment answers (never a mix of two versions).
  it('property: no decision sees a torn policy (10 000-rule policies)', () => {
    const many = (tag: string): string[] => Array.from({ length: 10_000 }, (_, i) => `https://${tag}${i}.example`);
    const inits: CorsPolicyInit[] = [
      { origins: many('p'), methods: ['PUT'], allowHeaders: ['x-a'], exposeHeaders: ['x-e'], maxAge: 60 },
      { origins: many('q'), credentials: true, methods: ['DELETE'], allowHeaders: ['x-b'] },
      { origins: '*', credentialedOrigins: ['https://p1.example', 'https://q2.example'], methods: '*', allowHeaders: '*' },
    ];
    const reference = inits.map((init) => compilePolicy(init));
    const live = createLivePolicy(inits[0] as CorsPolicyInit);
    let inForce = 0;
    const origins = ['https://p1.example', 'https://q2.example', 'https://p9999.example', 'https://q0.example', 'https://z.example', 'https://P1.example'];
    const req = fc.record({
      origin: fc.constantFrom(...origins),
      preflight: fc.boolean(),
      requestMethod: fc.constantFrom('PUT', 'DELETE', 'GET'),
      requestHeaders: fc.constantFrom(undefined, 'x-a', 'x-b'),
    });
    const step = fc.oneof(fc.record({ update: fc.integer({ min: 0, max: 2 }) }), fc.record({ req }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 16 }), (steps) => {
        for (const s of steps) {
          if ('update' in s) {
            live.update(inits[s.update] as CorsPolicyInit);
            inForce = s.update;
            continue;
          }
          const r: CorsRequest = s.req.preflight
            ? { method: 'OPTIONS', origin: s.req.origin, requestMethod: s.req.requestMethod, requestHeaders: s.req.requestHeaders }
            : get(s.req.origin);
          expect(live.decide(r)).toEqual((reference[inForce] as (typeof reference)[number]).decide(r));
        }
      }),
      { seed: 11, numRuns: 10 },
    );
  });
});

describe('addOrigins / removeOrigins', () => {
  it('adds in canonical form, removes, and counts', () => {
    const live = createLivePolicy({ origins: [A] });
    live.addOrigins(['https://B.example:443', 'https://c.example:8443', 'https://bücher.example']);
    expect(live.version).toBe(2);
    expect(live.addedOrigins()).toEqual([B, 'https://c.example:8443', 'https://xn--bcher-kva.example']);
    expect(live.decide(get(B)).matched).toBe(B);
    expect(live.isOriginAllowed('https://c.example:8443')).toBe(true);
    expect(live.matchOrigin('https://xn--bcher-kva.example')).toBe('https://xn--bcher-kva.example');
    expect([...live.matchOrigins([A, B, 'https://d.example'])]).toEqual([1, 1, 0]);
    live.addOrigins([B]);
    expect(live.version).toBe(2); // nothing changed
    expect(live.removeOrigins([B, 'https://d.example', A])).toBe(1); // A is a rule, not an added origin
    expect(live.version).toBe(3);
    expect(live.decide(get(B)).reason).toBe('origin-not-allowed');
    expect(live.decide(get(A)).allowed).toBe(true);
  });

  it('an origin a rule allows too is answered by the rule, before and after an update', () => {
    const live = createLivePolicy({ origins: [A, 'https://*.wild.example'] });
    live.addOrigins([A, 'https://x.wild.example', B]);
    expect(live.decide(get(A)).matched).toBe(A);
    expect(live.decide(get('https://x.wild.example')).matched).toBe('https://*.wild.example');
    expect(live.decide(get(B)).matched).toBe(B);
    live.update({ origins: ['https://*.wild.example', 'https://b.example'] });
    expect(live.decide(get(A)).matched).toBe(A); // now only the added origin allows it
    expect(live.decide(get(B)).matched).toBe('https://b.example');
    live.update({ origins: [A] });
    expect(live.decide(get('https://x.wild.example')).matched).toBe('https://x.wild.example');
  });

  it('tiered: an added origin joins the credentialed tier; a credentialed rule still names itself', () => {
    const live = createLivePolicy({ origins: '*', credentialedOrigins: [A] });
    live.addOrigins([A, B]);
    expect(live.decide(get(A)).matched).toBe(A);
    expect(live.decide(get(B))).toMatchObject({ matched: B, headers: { 'access-control-allow-origin': B, 'access-control-allow-credentials': 'true' } });
    expect(live.decide(get('https://c.example')).matched).toBe('*');
  });

  const bad: { desc: string; entry: unknown; code: string }[] = [
    { desc: 'wildcard host', entry: 'https://*.example.com', code: 'pattern-wildcard-position' },
    { desc: 'any port', entry: 'https://a.example:*', code: 'pattern-wildcard-position' },
    { desc: 'a path', entry: 'https://a.example/', code: 'pattern-has-path' },
    { desc: 'no scheme', entry: 'a.example', code: 'pattern-no-scheme' },
    { desc: 'null', entry: 'null', code: 'null-origin' },
    { desc: 'a RegExp', entry: /a/, code: 'invalid-type' },
    { desc: 'a number', entry: 42, code: 'invalid-type' },
    { desc: 'http with credentials', entry: 'http://a.example', code: 'insecure-origin' },
  ];
  for (const { desc, entry, code } of bad) {
    it(`one bad entry (${desc}) refuses the whole call`, () => {
      const live = createLivePolicy({ origins: [A], credentials: true });
      const got = issuesOf(() => live.addOrigins([B, entry as string, 'https://c.example']));
      expect(got).toEqual([{ code, path: 'addOrigins[1]' }]);
      expect(live.addedOrigins()).toEqual([]);
      expect(live.version).toBe(1);
    });
  }

  it('reports every bad entry at once', () => {
    const live = createLivePolicy({ origins: [A] });
    expect(issuesOf(() => live.addOrigins(['https://*.x.example', B, 'https://a.example/x']))).toEqual([
      { code: 'pattern-wildcard-position', path: 'addOrigins[0]' },
      { code: 'pattern-has-path', path: 'addOrigins[2]' },
    ]);
  });

  it('http loopback and allowInsecureOrigins follow the policy', () => {
    createLivePolicy({ origins: [A], credentials: true }).addOrigins(['http://localhost:3000']);
    createLivePolicy({ origins: [A], credentials: true, allowInsecureOrigins: true }).addOrigins(['http://a.example']);
    createLivePolicy({ origins: [A] }).addOrigins(['http://a.example']);
    expect(() => createLivePolicy({ origins: '*', credentialedOrigins: [A] }).addOrigins(['http://a.example'])).toThrow(PolicyError);
  });

  // The one-origin fast path (canonical scan) and the full validator agree on every input.
  it('property: one entry alone is judged as it is inside a batch', () => {
    const chars = fc.constantFrom(...'abcXYZ019-.:/*_%[]@ ü'.split(''));
    const entry = fc.oneof(
      fc.tuple(fc.constantFrom('https://', 'http://', 'HTTPS://', 'wss://', 'https:/'), fc.string({ unit: chars, maxLength: 16 })).map(([a, b]) => a + b),
      fc.constantFrom('https://a.example', 'https://a.example:443', 'https://1.2.3.4', 'https://0x7f.1', 'https://a..b', 'http://localhost'),
    );
    fc.assert(
      fc.property(entry, fc.boolean(), (e, credentials) => {
        const one = (): string[] | string => {
          const live = createLivePolicy({ origins: [A], credentials });
          try {
            live.addOrigins([e]);
            return live.addedOrigins();
          } catch (err) {
            return (err as PolicyError).issues.map((i) => i.code).join();
          }
        };
        const batch = (): string[] | string => {
          const live = createLivePolicy({ origins: [A], credentials });
          try {
            live.addOrigins([e, 'https://zz.example']);
            return live.addedOrigins().filter((o) => o !== 'https://zz.example' || e === 'https://zz.example');
          } catch (err) {
            return (err as PolicyError).issues.map((i) => i.code).join();
          }
        };
        expect(one(), `addOrigins([${JSON.stringify(e)}])`).toEqual(batch());
      }),
      { seed: 3, numRuns: 2000 },
    );
  });
});

/** A resolver whose calls are recorded and whose answers the test settles. */
function controlledResolver() {
  const calls: string[] = [];
  const pending = new Map<string, { resolve: (v: boolean) => void; reject: (e: unknown) => void }>();
  const fn = (origin: string): Promise<boolean> => {
    calls.push(origin);
    return new Promise((resolve, reject) => pending.set(origin, { resolve, reject }));
  };
  return { fn, calls, pending };
}

describe('resolveOrigin', () => {
  it('is asked only with canonical origins the lists do not allow (property)', async () => {
    const asked: string[] = [];
    const live = createLivePolicy(
      { origins: [A, 'https://*.wild.example', 'null'], allowNullOrigin: true },
      { resolveOrigin: (o) => (asked.push(o), o.startsWith('https://t')) },
    );
    const plain = compilePolicy({ origins: [A, 'https://*.wild.example', 'null'], allowNullOrigin: true });
    const chars = fc.constantFrom(...'atxAT09-.:/[]%_ '.split(''));
    const origin = fc.oneof(
      fc.constantFrom('null', 'NULL', '', A, 'https://x.wild.example', 'https://t1.example', 'https://[::1]', 'https://xn--bcher-kva.example'),
      fc.tuple(fc.constantFrom('https://', 'http://', 'HTTP://', 'wss://'), fc.string({ unit: chars, maxLength: 12 })).map(([a, b]) => a + b),
    );
    await fc.assert(
      fc.asyncProperty(origin, async (o) => {
        await live.decideAsync(get(o));
      }),
      { seed: 5, numRuns: 500 },
    );
    expect(asked.length).toBeGreaterThan(10);
    for (const o of asked) {
      expect(parseOriginHeader(o)?.serialized, `resolver asked ${JSON.stringify(o)}: not canonical`).toBe(o);
      expect(o).not.toBe('null');
      expect(plain.isOriginAllowed(o), `resolver asked ${JSON.stringify(o)}: the list allows it`).toBe(false);
    }
  });

  it('decideAsync answers synchronously unless the resolver must be asked; decide() says origin-unresolved', async () => {
    const r = controlledResolver();
    const live = createLivePolicy({ origins: [A], credentials: true }, { resolveOrigin: r.fn });
    const sync = live.decideAsync(get(A));
    expect(sync).not.toBeInstanceOf(Promise);
    expect((sync as CorsDecision).allowed).toBe(true);
    expect(live.decideAsync(get('https://App.example'))).not.toBeInstanceOf(Promise); // invalid: no resolver
    expect(live.decide(get('https://t.example')).reason).toBe('origin-unresolved');
    const later = live.decideAsync(get('https://t.example'));
    expect(later).toBeInstanceOf(Promise);
    r.pending.get('https://t.example')?.resolve(true);
    expect(await later).toMatchObject({ allowed: true, matched: 'https://t.example', headers: { 'access-control-allow-origin': 'https://t.example', 'access-control-allow-credentials': 'true' } });
    const cached = live.decideAsync(get('https://t.example'));
    expect(cached).not.toBeInstanceOf(Promise);
    expect(live.decide(get('https://t.example')).allowed).toBe(true);
    expect(live.isOriginAllowed('https://t.example')).toBe(true);
    expect(r.calls).toEqual(['https://t.example']);
  });

  it('keeps its own copy of a request the caller reuses', async () => {
    const r = controlledResolver();
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: r.fn });
    const scratch: CorsRequest = { method: 'OPTIONS', origin: 'https://t.example', requestMethod: 'GET' };
    const p = live.decideAsync(scratch);
    scratch.method = 'GET';
    scratch.origin = A;
    r.pending.get('https://t.example')?.resolve(true);
    expect(await p).toMatchObject({ kind: 'preflight', allowed: true, headers: { 'access-control-allow-origin': 'https://t.example' } });
  });

  it('a burst of 10 000 requests from a new origin calls it once', async () => {
    const r = controlledResolver();
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: r.fn });
    const all = Array.from({ length: 10_000 }, () => live.decideAsync(get('https://t.example')));
    expect(r.calls.length).toBe(1);
    r.pending.get('https://t.example')?.resolve(true);
    const got = await Promise.all(all);
    expect(got.every((d) => d.allowed)).toBe(true);
    expect(r.calls.length).toBe(1);
  });

  it('a no answer denies with origin-not-allowed and is cached for negativeCacheTtlMs', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: () => (calls++, false), negativeCacheTtlMs: 500, cacheTtlMs: 5000 });
    expect((await live.decideAsync(get('https://t.example'))).reason).toBe('origin-not-allowed');
    expect(live.decideAsync(get('https://t.example'))).toMatchObject({ reason: 'origin-not-allowed' });
    await vi.advanceTimersByTimeAsync(501);
    expect(calls).toBe(1);
    expect(live.decideAsync(get('https://t.example'))).toBeInstanceOf(Promise);
    expect(calls).toBe(2);
  });

  it('a yes answer lives cacheTtlMs, then the resolver is asked again', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: async () => (calls++, true), cacheTtlMs: 1000 });
    expect((await live.decideAsync(get('https://t.example'))).allowed).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(live.decideAsync(get('https://t.example'))).toMatchObject({ allowed: true });
    await vi.advanceTimersByTimeAsync(2);
    expect(live.decide(get('https://t.example')).reason).toBe('origin-unresolved');
    await live.decideAsync(get('https://t.example'));
    expect(calls).toBe(2);
  });

  it('property: decide() and decideAsync() on cached answers follow the TTL and second-chance bound of a model cache', async () => {
    vi.useFakeTimers();
    const TTL = 100;
    const SIZE = 2;
    const step = fc.oneof(
      fc.record({ decide: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ decideAsync: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ advance: fc.integer({ min: 0, max: 120 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const live = createLivePolicy({ origins: [A] }, { resolveOrigin: () => true, cacheTtlMs: TTL, cacheSize: SIZE });
        const o = (i: number): string => `https://t${i}.example`;
        // The model: TtlCache's rules, in insertion order (the young end last).
        let model: { key: string; expires: number; used: boolean }[] = [];
        const hit = (key: string): boolean => {
          const e = model.find((m) => m.key === key);
          if (e === undefined) return false;
          if (Date.now() > e.expires) {
            model = model.filter((m) => m !== e);
            return false;
          }
          e.used = true;
          return true;
        };
        const set = (key: string): void => {
          const now = Date.now();
          if (model.length >= SIZE) {
            for (;;) {
              const first = model.shift();
              if (first === undefined) break;
              if (first.used && now <= first.expires) {
                first.used = false;
                model.push(first);
                continue;
              }
              break;
            }
          }
          model.push({ key, expires: now + TTL, used: false });
        };
        for (const s of steps) {
          if ('advance' in s) await vi.advanceTimersByTimeAsync(s.advance);
          else if ('decide' in s) {
            const d = live.decide(get(o(s.decide)));
            expect(d.allowed ? 'ok' : d.reason).toBe(hit(o(s.decide)) ? 'ok' : 'origin-unresolved');
          } else {
            const cached = hit(o(s.decideAsync));
            const d = live.decideAsync(get(o(s.decideAsync)));
            expect(d instanceof Promise).toBe(!cached);
            if (!cached) set(o(s.decideAsync));
            expect((await d).allowed).toBe(true);
          }
          await vi.advanceTimersByTimeAsync(0); // the run ends: the next lookup reads the clock
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a TTL of 0 still answers the request that asked, and caches nothing', async () => {
    let calls = 0;
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: () => (calls++, true), cacheTtlMs: 0 });
    expect((await live.decideAsync(get('https://t.example'))).allowed).toBe(true);
    expect((await live.decideAsync(get('https://t.example'))).allowed).toBe(true);
    expect(calls).toBe(2);
  });

  it('the caches are bounded by cacheSize and keep what was used recently', async () => {
    const calls: string[] = [];
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: (o) => (calls.push(o), true), cacheSize: 3 });
    const o = (i: number): string => `https://t${i}.example`;
    for (const i of [1, 2, 3]) await live.decideAsync(get(o(i)));
    expect(live.decideAsync(get(o(1)))).toMatchObject({ allowed: true }); // t1 used again
    await live.decideAsync(get(o(4))); // evicts the oldest unused: t2
    expect(live.decide(get(o(1))).allowed).toBe(true);
    expect(live.decide(get(o(3))).allowed).toBe(true);
    expect(live.decide(get(o(4))).allowed).toBe(true);
    expect(live.decide(get(o(2))).reason).toBe('origin-unresolved');
    for (let i = 5; i < 50; i++) await live.decideAsync(get(o(i)));
    const kept = Array.from({ length: 50 }, (_, i) => i).filter((i) => live.decide(get(o(i))).allowed);
    expect(kept.length).toBe(3);
  });

  it('a slow resolver times out: resolver-timeout, default 1000 ms', async () => {
    vi.useFakeTimers();
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: () => new Promise<boolean>(() => {}) });
    const p = live.decideAsync(get('https://t.example')) as Promise<CorsDecision>;
    let done: CorsDecision | null = null;
    void p.then((d) => (done = d));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toMatchObject({ allowed: false, reason: 'resolver-timeout' });
  });

  it('resolverTimeoutMs is honoured', async () => {
    vi.useFakeTimers();
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: () => new Promise<boolean>(() => {}), resolverTimeoutMs: 50 });
    const p = live.decideAsync(get('https://t.example')) as Promise<CorsDecision>;
    await vi.advanceTimersByTimeAsync(50);
    expect((await p).reason).toBe('resolver-timeout');
  });

  const failures: { desc: string; resolver: (o: string) => boolean | Promise<boolean> }[] = [
    { desc: 'a throw', resolver: () => { throw new Error('db down'); } },
    { desc: 'a rejection', resolver: () => Promise.reject(new Error('db down')) },
    { desc: 'a non-boolean answer', resolver: () => 'yes' as unknown as boolean },
  ];
  for (const { desc, resolver } of failures) {
    it(`${desc} denies with resolver-error`, async () => {
      const live = createLivePolicy({ origins: [A] }, { resolveOrigin: resolver });
      expect(await live.decideAsync(get('https://t.example'))).toMatchObject({ allowed: false, reason: 'resolver-error', headers: { vary: 'origin' } });
      expect(live.decideAsync(get('https://t.example'))).toMatchObject({ reason: 'resolver-error' }); // cached as a no
    });
  }

  it('invalidate(origin) and invalidate() drop answers; an answer in flight across invalidate() is not cached', async () => {
    const r = controlledResolver();
    const live = createLivePolicy({ origins: [A] }, { resolveOrigin: r.fn });
    const p1 = live.decideAsync(get('https://t1.example'));
    const p2 = live.decideAsync(get('https://t2.example'));
    r.pending.get('https://t1.example')?.resolve(true);
    await p1;
    live.invalidate(); // t2 is still in flight
    r.pending.get('https://t2.example')?.resolve(true);
    expect((await p2).allowed).toBe(true); // the request that asked gets its answer
    expect(live.decide(get('https://t1.example')).reason).toBe('origin-unresolved');
    expect(live.decide(get('https://t2.example')).reason).toBe('origin-unresolved');
    const p3 = live.decideAsync(get('https://t1.example'));
    r.pending.get('https://t1.example')?.resolve(true);
    await p3;
    live.invalidate('https://t1.example');
    expect(live.decide(get('https://t1.example')).reason).toBe('origin-unresolved');
  });

  for (const scope of ['one origin', 'all'] as const) {
    it(`a request after invalidate() (${scope}) asks the resolver again instead of joining a call made before it`, async () => {
      const calls: string[] = [];
      const answers: ((v: boolean) => void)[] = [];
      const resolveOrigin = (origin: string) => {
        calls.push(origin);
        return new Promise<boolean>((resolve) => answers.push(resolve));
      };
      const live = createLivePolicy({ origins: [A] }, { resolveOrigin });
      const t = 'https://t.example';
      const before = live.decideAsync(get(t));
      const joined = live.decideAsync(get(t)); // same call
      live.invalidate(scope === 'all' ? undefined : t); // the tenant was removed from the store
      const after = live.decideAsync(get(t));
      expect(calls, 'resolver calls').toEqual([t, t]);
      answers[0]?.(true); // the old yes
      answers[1]?.(false); // the store's answer after the removal
      expect([(await before).allowed, (await joined).allowed, (await after).allowed], 'before, joined, after').toEqual([true, true, false]);
      // The newer call's no is what stays cached, not the older yes.
      expect(live.decide(get(t)).reason, 'decide() afterwards').toBe('origin-not-allowed');
      // Single flight still holds for requests after invalidate().
      live.invalidate(t);
      const a = live.decideAsync(get(t));
      const b = live.decideAsync(get(t));
      expect(calls.length, 'one more call for two requests').toBe(3);
      answers[2]?.(true);
      expect([(await a).allowed, (await b).allowed]).toEqual([true, true]);
    });
  }

  it('under a tiered policy a resolved origin joins credentialedOrigins; the rest stays public', async () => {
    const live = createLivePolicy(
      { origins: '*', credentialedOrigins: [A] },
      { resolveOrigin: (o) => o === 'https://partner.example' },
    );
    expect(live.decide(get('https://partner.example')).headers['access-control-allow-origin']).toBe('*');
    const partner = await live.decideAsync(get('https://partner.example'));
    expect(partner.headers).toEqual({ 'access-control-allow-origin': 'https://partner.example', 'access-control-allow-credentials': 'true', vary: 'origin' });
    expect(live.matchOrigin('https://partner.example')).toBe('https://partner.example');
    const other = await live.decideAsync(get('https://other.example'));
    expect(other).toMatchObject({ allowed: true, matched: '*', headers: { 'access-control-allow-origin': '*' } });
  });

  it('options are checked', () => {
    expect(() => createLivePolicy({ origins: [A] }, { resolveOrigin: 'x' as never })).toThrow(TypeError);
    expect(() => createLivePolicy({ origins: [A] }, { cacheSize: 1.5 })).toThrow(/cacheSize/);
    expect(() => createLivePolicy({ origins: [A] }, { resolverTimeoutMs: -1 })).toThrow(/resolverTimeoutMs/);
  });
});
