// No request sees a torn live policy ("live policies": update() of a 10 000-rule policy while
// serving), beyond the synchronous property in live-policy.test.ts ('no decision sees a torn
// policy'), which never waits for a resolver.
//
// 1. decideAsync with a resolver (property, 10 000-rule policies). A fast-check program
//    interleaves update() / addOrigins() / removeOrigins() / invalidate() with bursts of
//    decideAsync() calls, whose resolver promises the test settles (true, false, a rejection, a
//    non-boolean) in an order fast-check picks; 'tick' and 'race' steps let 0-5 microtask turns pass
//    between an answer and the next change, so that a change lands between any two internal steps
//    of a pending decision. Cache options vary per run (cacheSize 0/2/10 000, TTLs 0 or 60 s).
//    Asserted for every decision: it equals, field for field (kind, allowed, reason, matched,
//    status, every header: ACAO, ACAC, methods, Vary...), what a fresh live policy built from ONE
//    snapshot (one init and one set of added origins, never updated) answers, for a snapshot that
//    was running at some moment while the request was pending, given an answer the resolver really
//    gave for that origin.
//    The contract, read from src/live/live-policy.ts and docs/live-policies.md: a waiting decision
//    is made when the answer arrives, by the policy running then, as a whole (the resolver's yes or
//    no is about the origin, not a version: answers and the overlay survive update()), and an origin
//    a rule of that policy allows is answered by the rule; a synchronous decision may rest on a
//    cached answer only if no invalidate() covering the origin came after that resolver call began;
//    a waiting one on a call begun by the time it was asked, and not forgotten by an invalidate()
//    before it was asked. Also asserted: the resolver is asked only for canonical origins the
//    running lists and overlay do not allow, one call per origin at a time (a new one only after an
//    invalidate() covering the origin), and version counts every change.
//    It fails on a decision mixing two versions (the headers of one with the shadowing or tier of
//    another), an added or resolved origin's decision kept from an older version, a cached answer
//    that outlived invalidate(), or a duplicated call. Shown: each of those, put in by hand, fails it.
// 1b. The same race swept deterministically over every microtask offset (small policies): the
//    regression test for the bug the property found (see the test's comment).
// 2. Served HTTP (10 000-rule versions). A node:http server on 127.0.0.1 (port 0,
//    corset-cors/node, the application passed as next) and the Fetch adapter (withCors, called
//    with real Request objects) serve one live policy with a resolver (nothing cached, so every
//    tenant request waits across swaps) while another task update()s it once per event-loop turn,
//    cycling three versions whose CORS answers differ: a list, a list with credentials, and '*' with
//    a credentialed tier. 1 200 requests (GET and preflights; 24 at a time per adapter, fetch with
//    keep-alive), each recorded with live.version before it was sent and after its response. Every
//    response's status (preflights) and access-control-* and Vary fields must be exactly those of one
//    version live in that range (the resolver's yes for the tenant included). Also: responses were
//    told apart as more than one version under each adapter, so swaps did happen under traffic.
//    It fails on a swap that is not atomic (shown: new origins first, new options a turn later gives
//    ACAO without the ACAC of either version), on an adapter writing headers of two decisions (shown:
//    node's raw-header cache keyed by ACAO; the Fetch adapter reading the policy again after the
//    handler's await), or on a decision that outlived its version.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy, createLivePolicy, parseOriginHeader } from '../src/index.js';
import type { CorsDecision, CorsPolicy, CorsPolicyInit, CorsRequest, LiveOptions, LivePolicy } from '../src/index.js';
import { cors as nodeCors } from '../src/adapters/node.js';
import { withCors } from '../src/adapters/fetch.js';

const many = (tag: string): string[] => Array.from({ length: 10_000 }, (_, i) => `https://${tag}${i}.example`);

// ---- 1. decideAsync ----------------------------------------------------------------------------

// Origins the resolver is asked about under some versions, while a rule of another allows them.
const TA = 'https://a.t.example'; // V1's wildcard allows it; V2 lists it as credentialed
const TB = 'https://b.t.example'; // V1's wildcard allows it
const C = 'https://c.example'; // credentialed in V2
const D = 'https://d.example'; // a rule of V0
const S = 'https://s.example'; // a rule of V0, and addable
const P1 = 'https://p1.example'; // a rule of V0 (p1 of 10 000); credentialed in V2

const INITS: CorsPolicyInit[] = [
  { origins: [...many('p'), S, D], methods: ['PUT'], allowHeaders: ['x-a'], exposeHeaders: ['x-e'], maxAge: 60 },
  { origins: [...many('q'), 'https://*.t.example'], credentials: true, methods: ['DELETE'], allowHeaders: ['x-b'], privateNetwork: true },
  { origins: '*', credentialedOrigins: [TA, P1, C], methods: ['PUT', 'DELETE'], allowHeaders: ['x-a', 'x-b'], exposeHeaders: ['x-e'] },
];
const RESOLVABLE = [TA, TB, C, D];
const ADDABLE = [C, TA, S];
const ORIGINS = [...RESOLVABLE, S, P1, 'https://P1.example', 'null', 'https://q7.example'];

type Outcome = true | false | 'reject' | 'junk';
type Answer = true | false | 'error';
const answerOf = (o: Outcome): Answer => (o === true || o === false ? o : 'error');

interface Req {
  origin: string;
  preflight: boolean;
  method: string;
  requestMethod: string;
  requestHeaders: string | undefined;
  pna: boolean;
}
type Step =
  | { t: 'update'; to: number }
  | { t: 'add'; origins: string[] }
  | { t: 'remove'; origins: string[] }
  | { t: 'invalidate'; origin: string | null }
  | { t: 'request'; reqs: Req[] }
  | { t: 'settle'; pick: number; outcome: Outcome }
  | { t: 'tick'; turns: number }
  /** An answer, then a change `turns` microtasks later: while that answer is being taken in. */
  | { t: 'race'; pick: number; outcome: Outcome; turns: number; change: Change };
type Change = Extract<Step, { t: 'update' | 'add' | 'remove' | 'invalidate' }>;

const reqArb: fc.Arbitrary<Req> = fc.record({
  origin: fc.constantFrom(...ORIGINS),
  preflight: fc.boolean(),
  method: fc.constantFrom('GET', 'PUT', 'DELETE'),
  requestMethod: fc.constantFrom('PUT', 'DELETE', 'GET'),
  requestHeaders: fc.constantFrom(undefined, 'x-a', 'x-b'),
  pna: fc.boolean(),
});
const outcomeArb = fc.oneof({ weight: 3, arbitrary: fc.constant<Outcome>(true) }, fc.constantFrom<Outcome>(false, 'reject', 'junk'));
const changeArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ t: fc.constant('update' as const), to: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('add' as const), origins: fc.subarray(ADDABLE, { minLength: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remove' as const), origins: fc.subarray(ADDABLE, { minLength: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('invalidate' as const), origin: fc.option(fc.constantFrom(...RESOLVABLE)) }) },
) as fc.Arbitrary<Change>;
const stepArb = fc.oneof(
  { weight: 4, arbitrary: changeArb },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('request' as const), reqs: fc.array(reqArb, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('settle' as const), pick: fc.nat(), outcome: outcomeArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('tick' as const), turns: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('race' as const), pick: fc.nat(), outcome: outcomeArb, turns: fc.integer({ min: 0, max: 5 }), change: changeArb }) },
) as fc.Arbitrary<Step>;
const optionsArb = fc.record({
  cacheSize: fc.constantFrom(0, 2, 10_000),
  cacheTtlMs: fc.constantFrom(0, 60_000),
  negativeCacheTtlMs: fc.constantFrom(0, 60_000),
});

function toRequest(r: Req): CorsRequest {
  return r.preflight
    ? { method: 'OPTIONS', origin: r.origin, requestMethod: r.requestMethod, requestHeaders: r.requestHeaders, requestPrivateNetwork: r.pna }
    : { method: r.method, origin: r.origin };
}

/** One consistent state of the live policy: which init runs, which origins were added. */
interface Snapshot {
  /** The logical clock at which it became the running state. */
  from: number;
  init: number;
  added: readonly string[];
}

/**
 * The oracle: a fresh live policy per snapshot, never updated, with a resolver that gives the
 * answer asked for and caches nothing (TTL 0 still answers the request that asked).
 */
function referenceOracle(plain: readonly CorsPolicy[]) {
  const made = new Map<string, LivePolicy>();
  let answer: Answer = false;
  const resolveOrigin = (): boolean => {
    if (answer === 'error') throw new Error('tenant store down');
    return answer;
  };
  return async (snap: Snapshot, req: CorsRequest, a: Answer): Promise<CorsDecision> => {
    const key = `${snap.init}|${[...snap.added].sort().join(',')}`;
    let ref = made.get(key);
    if (ref === undefined) {
      ref = createLivePolicy(plain[snap.init] as CorsPolicy, { resolveOrigin, cacheTtlMs: 0, negativeCacheTtlMs: 0 });
      if (snap.added.length > 0) ref.addOrigins(snap.added);
      made.set(key, ref);
    }
    answer = a;
    return await ref.decideAsync(req);
  };
}

interface Call {
  origin: string;
  start: number;
  settled: number | null;
  outcome: Outcome | null;
  settle: (o: Outcome) => void;
}
interface Seen {
  req: Req;
  decision: CorsDecision;
  issued: number;
  observed: number;
  sync: boolean;
}

/** Runs one program against a fresh live policy; returns what every decision must be checked against. */
async function runProgram(plain: readonly CorsPolicy[], options: Partial<LiveOptions>, steps: readonly Step[]) {
  let clock = 0;
  const calls: Call[] = [];
  const invalidations: { clock: number; origin: string | null }[] = [];
  const violations: string[] = [];
  const snapshots: Snapshot[] = [{ from: 0, init: 0, added: [] }];
  const now = (): Snapshot => snapshots[snapshots.length - 1] as Snapshot;
  const listsAllow = (snap: Snapshot, origin: string): boolean => {
    if (snap.added.includes(origin)) return true;
    const m = (plain[snap.init] as CorsPolicy).matchOrigin(origin);
    return m !== null && !(INITS[snap.init]?.credentialedOrigins !== undefined && m === '*');
  };
  const live = createLivePolicy(plain[0] as CorsPolicy, {
    ...options,
    resolverTimeoutMs: 600_000, // never: no decision here depends on time
    resolveOrigin: (origin) => {
      // Not expect(): a throw here would be taken for a resolver failure.
      if (parseOriginHeader(origin)?.serialized !== origin) violations.push(`resolver asked a non-canonical ${origin}`);
      if (listsAllow(now(), origin)) violations.push(`resolver asked ${origin}, which the running policy allows (${JSON.stringify(now())})`);
      // invalidate() forgets a call in flight: a second call is due only after one covering the origin.
      const forgotten = (c: Call): boolean => invalidations.some((v) => (v.origin === null || v.origin === origin) && v.clock > c.start);
      if (calls.some((c) => c.origin === origin && c.settled === null && !forgotten(c))) violations.push(`a second call for ${origin} while one is in flight`);
      return new Promise<boolean>((resolve, reject) => {
        calls.push({
          origin,
          start: clock,
          settled: null,
          outcome: null,
          settle: (o) => (o === 'reject' ? reject(new Error('down')) : resolve(o === 'junk' ? ('yes' as unknown as boolean) : o)),
        });
      });
    },
  });
  let version = 1;
  const seen: Seen[] = [];
  const waiting: Promise<void>[] = [];
  const change = (init: number, added: readonly string[]): void => {
    snapshots.push({ from: ++clock, init, added });
    version++;
  };
  const settle = (call: Call, outcome: Outcome): void => {
    call.settled = ++clock;
    call.outcome = outcome;
    call.settle(outcome);
  };

  const apply = (s: Change): void => {
    switch (s.t) {
      case 'update':
        live.update(plain[s.to] as CorsPolicy);
        change(s.to, now().added);
        return;
      case 'add': {
        live.addOrigins(s.origins);
        const fresh = s.origins.filter((o) => !now().added.includes(o));
        if (fresh.length > 0) change(now().init, [...now().added, ...fresh]);
        return;
      }
      case 'remove': {
        const gone = live.removeOrigins(s.origins);
        const kept = now().added.filter((o) => !s.origins.includes(o));
        expect(gone).toBe(now().added.length - kept.length);
        if (gone > 0) change(now().init, kept);
        return;
      }
      case 'invalidate':
        invalidations.push({ clock: ++clock, origin: s.origin });
        if (s.origin === null) live.invalidate();
        else live.invalidate(s.origin);
        return;
    }
  };

  for (const s of steps) {
    switch (s.t) {
      case 'update':
      case 'add':
      case 'remove':
      case 'invalidate':
        apply(s);
        break;
      case 'request':
        for (const req of s.reqs) {
          const issued = ++clock;
          const got = live.decideAsync(toRequest(req));
          if (got instanceof Promise) {
            waiting.push(got.then((decision) => void seen.push({ req, decision, issued, observed: ++clock, sync: false })));
          } else {
            seen.push({ req, decision: got, issued, observed: issued, sync: true });
          }
        }
        break;
      case 'settle': {
        const open = calls.filter((c) => c.settled === null);
        if (open.length > 0) settle(open[s.pick % open.length] as Call, s.outcome);
        break;
      }
      case 'tick':
        for (let i = 0; i < s.turns; i++) await null;
        break;
      case 'race': {
        const open = calls.filter((c) => c.settled === null);
        if (open.length > 0) settle(open[s.pick % open.length] as Call, s.outcome);
        for (let i = 0; i < s.turns; i++) await null;
        apply(s.change);
        break;
      }
    }
    expect(live.version).toBe(version);
  }
  // Let every pending decision finish: answer whatever is still asked.
  for (;;) {
    const open = calls.filter((c) => c.settled === null);
    if (open.length === 0) break;
    for (const c of open) settle(c, true);
  }
  await Promise.all(waiting);
  return { seen, calls, invalidations, violations, snapshots };
}

describe('a resolver answer and an update() in the same turn', () => {
  // A yes that comes back is turned into a decision a few microtasks later; an update() landing
  // in between must not leave the answer judged against the old policy (before the fix, its
  // `shadowed` flag was: the decision got the new policy's headers with `matched` naming the
  // origin, as if the new policy's rule that allows it did not exist). Swept over every offset,
  // so it does not depend on how many internal steps there are.
  it('a yes answered just before update() is decided by the new policy as a whole (every microtask offset)', async () => {
    // Small policies: the flag does not depend on the size, and 60 live policies are made here.
    const smallInits: CorsPolicyInit[] = [
      { origins: [S], methods: ['PUT'], exposeHeaders: ['x-e'] },
      { origins: ['https://*.t.example'], credentials: true },
      { origins: '*', credentialedOrigins: [TA] },
    ];
    const small = smallInits.map((init) => compilePolicy(init));
    const reference = referenceOracle(small);
    const uncached: [string, Partial<LiveOptions>, boolean][] = [
      ['cacheTtlMs 0', { cacheTtlMs: 0 }, false],
      ['cacheSize 0', { cacheSize: 0 }, false],
      ['invalidate() while asked', {}, true],
    ];
    for (const [desc, options, invalidate] of uncached) {
      for (const to of [1, 2]) {
        for (let offset = 0; offset < 10; offset++) {
          let answer: ((v: boolean) => void) | undefined;
          const live = createLivePolicy(small[0] as CorsPolicy, { ...options, resolveOrigin: () => new Promise<boolean>((r) => (answer = r)) });
          const req: CorsRequest = { method: 'GET', origin: TA };
          const pending = live.decideAsync(req);
          expect(pending).toBeInstanceOf(Promise);
          if (invalidate) live.invalidate();
          answer?.(true);
          const later = (n: number, f: () => void): void => (n === 0 ? f() : queueMicrotask(() => later(n - 1, f)));
          later(offset, () => live.update(small[to] as CorsPolicy));
          const got = await pending;
          const before = await reference({ from: 0, init: 0, added: [] }, req, true);
          const after = await reference({ from: 0, init: to, added: [] }, req, true);
          const where = `${desc}, update to V${to} ${offset} microtasks after the answer`;
          expect([before, after].some((d) => isDeepStrictEqual(d, got)), `${where}: ${JSON.stringify(got)}`).toBe(true);
        }
      }
    }
  });
});

describe('decideAsync while the policy changes (10 000-rule policies)', () => {
  const plain = INITS.map((init) => compilePolicy(init));
  const reference = referenceOracle(plain);

  it('property: every decision is one snapshot’s, with an answer the resolver gave', async () => {
    let decisions = 0;
    let waited = 0;
    await fc.assert(
      fc.asyncProperty(optionsArb, fc.array(stepArb, { minLength: 20, maxLength: 40 }), async (options, steps) => {
        const run = await runProgram(plain, options, steps);
        expect(run.violations).toEqual([]);
        for (const rec of run.seen) {
          decisions++;
          if (!rec.sync) waited++;
          const o = rec.req.origin;
          const covered = (c: Call): boolean =>
            run.invalidations.some((v) => (v.origin === null || v.origin === o) && v.clock > c.start && v.clock < rec.issued);
          // Answers this decision may rest on: a cached one, or, waiting, the answer of a call begun
          // by the time it was asked and settled before it ended; either way from a call that no
          // invalidate() covering the origin came after (invalidate() forgets calls in flight too).
          const given = run.calls.filter(
            (c) => c.origin === o && c.settled !== null && !covered(c) && (rec.sync ? c.settled < rec.issued : c.start <= rec.issued && c.settled < rec.observed),
          );
          const admissible = new Set(given.map((c) => answerOf(c.outcome as Outcome)));
          const window = run.snapshots.filter((snap, j) => snap.from <= rec.observed && (run.snapshots[j + 1]?.from ?? Number.POSITIVE_INFINITY) > rec.issued);
          const req = toRequest(rec.req);
          let ok = false;
          const candidates: unknown[] = [];
          for (const snap of window) {
            const byAnswer: [Answer, CorsDecision][] = [];
            for (const a of [true, false, 'error'] as const) byAnswer.push([a, await reference(snap, req, a)]);
            const independent = byAnswer.every(([, d]) => isDeepStrictEqual(d, byAnswer[0]?.[1]));
            for (const [a, d] of byAnswer) {
              if ((independent || admissible.has(a)) && isDeepStrictEqual(rec.decision, d)) ok = true;
              if (independent || admissible.has(a)) candidates.push({ snap: { init: snap.init, added: snap.added }, answer: a, decision: d });
              if (independent) break;
            }
          }
          if (!ok) {
            expect.fail(
              `decision for ${JSON.stringify(rec.req)} (${rec.sync ? 'synchronous' : 'waited'}, clock ${rec.issued}..${rec.observed}) is no snapshot's:\n` +
                `${JSON.stringify(rec.decision)}\ncandidates: ${JSON.stringify(candidates, null, 1)}`,
            );
          }
        }
      }),
      { seed: 20261207, numRuns: 50 },
    );
    // The program must really have exercised both paths.
    expect(decisions).toBeGreaterThan(200);
    expect(waited).toBeGreaterThan(20);
  });
});

// ---- 2. served HTTP ----------------------------------------------------------------------------

const SHARED = 'https://shared.example'; // every version allows it, each with its own headers
const ONLY_A = 'https://a5.example'; // a rule of version A only (a5 of its 10 000)
const TENANT = 'https://tenant.example'; // the resolver allows it
const NOBODY = 'https://nobody.example'; // the resolver denies it (version C's public tier allows it)
const SERVED: CorsPolicyInit[] = [
  { origins: [...many('a'), SHARED], methods: ['PUT'], allowHeaders: ['x-a'], exposeHeaders: ['x-ea'], maxAge: 60 },
  { origins: [...many('b'), SHARED], credentials: true, methods: ['PUT', 'DELETE'], allowHeaders: ['x-a', 'x-b'], exposeHeaders: ['x-eb'], maxAge: 120 },
  { origins: '*', credentialedOrigins: many('c'), methods: ['PUT', 'PATCH'], allowHeaders: ['x-a', 'x-c'], maxAge: 30 },
];
const SERVED_ORIGINS = [SHARED, ONLY_A, TENANT, NOBODY];

interface Shape {
  origin: string;
  /** null: an actual GET; else a preflight for this method and header. */
  preflight: { method: string; header: string } | null;
}
const shapeArb: fc.Arbitrary<Shape> = fc.record({
  origin: fc.constantFrom(...SERVED_ORIGINS),
  preflight: fc.constantFrom(null, { method: 'PUT', header: 'x-a' }, { method: 'DELETE', header: 'x-b' }, { method: 'PATCH', header: 'x-c' }),
});

/** What a client sees of the CORS answer: the status and the access-control-* and Vary fields. */
interface Wire {
  status: number;
  headers: Record<string, string>;
}
function wireOf(status: number, headers: Headers): Wire {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('access-control-') || name === 'vary') out[name] = value;
  });
  return { status, headers: out };
}

describe('served while update() swaps 10 000-rule policies', () => {
  const plain = SERVED.map((init) => compilePolicy(init));
  // What each version answers, the resolver's yes for TENANT included (it joins the list, or the
  // credentialed tier): the exact wire answer of one version, per origin and request shape.
  const withTenant = SERVED.map((init) =>
    compilePolicy(
      init.origins === '*'
        ? { ...init, credentialedOrigins: [...(init.credentialedOrigins as string[]), TENANT] }
        : { ...init, origins: [...(init.origins as string[]), TENANT] },
    ),
  );
  const expected = (k: number, shape: Shape): Wire => {
    const req: CorsRequest = shape.preflight === null
      ? { method: 'GET', origin: shape.origin }
      : { method: 'OPTIONS', origin: shape.origin, requestMethod: shape.preflight.method, requestHeaders: shape.preflight.header };
    const d = (withTenant[k] as CorsPolicy).decide(req);
    return { status: shape.preflight === null ? 200 : (d.status as number), headers: { ...d.headers } };
  };
  const live = createLivePolicy(plain[0] as CorsPolicy, {
    // Every TENANT / NOBODY request waits for the resolver (nothing cached), across updates.
    resolveOrigin: async (origin) => {
      await new Promise((r) => setImmediate(r));
      return origin === TENANT;
    },
    cacheTtlMs: 0,
    negativeCacheTtlMs: 0,
    resolverTimeoutMs: 600_000,
  });
  /** live.version -> the index of the init it runs. */
  const running = new Map<number, number>([[live.version, 0]]);

  const handle = nodeCors(live);
  const server = http.createServer((req, res) => {
    handle(req, res, () => {
      res.setHeader('x-app', 'reached');
      res.end('ok');
    });
  });
  const fetchHandler = withCors(live, async () => {
    await new Promise((r) => setImmediate(r));
    return new Response('ok');
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  interface Observed {
    via: string;
    shape: Shape;
    before: number;
    after: number;
    wire: Wire;
  }
  /** `count` requests, `concurrency` at a time, each recorded with the versions around it. */
  async function drive(via: string, count: number, concurrency: number, seed: number, send: (s: Shape) => Promise<Wire>): Promise<Observed[]> {
    const shapes = fc.sample(shapeArb, { seed, numRuns: count });
    const out: Observed[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < shapes.length) {
        const shape = shapes[next++] as Shape;
        const before = live.version;
        const wire = await send(shape);
        out.push({ via, shape, before, after: live.version, wire });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return out;
  }
  const headersOf = (shape: Shape): [string, string][] =>
    shape.preflight === null
      ? [['origin', shape.origin]]
      : [['origin', shape.origin], ['access-control-request-method', shape.preflight.method], ['access-control-request-headers', shape.preflight.header]];

  it('every response carries exactly one live version’s CORS headers (node:http and Fetch adapters)', async () => {
    let stop = false;
    let updates = 0;
    const updater = (async () => {
      let k = 0;
      while (!stop) {
        await new Promise((r) => setImmediate(r)); // one update per event-loop turn
        k = (k + 1) % SERVED.length;
        live.update(plain[k] as CorsPolicy);
        running.set(live.version, k);
        updates++;
      }
    })();
    let observed: Observed[];
    try {
      const [viaNode, viaFetch] = await Promise.all([
        drive('node:http', 600, 24, 41, async (shape) => {
          const res = await fetch(`http://127.0.0.1:${port}/items`, { method: shape.preflight === null ? 'GET' : 'OPTIONS', headers: headersOf(shape) });
          await res.arrayBuffer();
          return wireOf(res.status, res.headers);
        }),
        drive('fetch adapter', 600, 24, 42, async (shape) => {
          const req = new Request('https://api.example/items', { method: shape.preflight === null ? 'GET' : 'OPTIONS', headers: headersOf(shape) });
          const res = await fetchHandler(req);
          await res.arrayBuffer();
          return wireOf(res.status, res.headers);
        }),
      ]);
      observed = [...viaNode, ...viaFetch];
    } finally {
      stop = true;
      await updater;
    }

    const told = new Map<string, Set<number>>(); // per adapter: versions a response was told apart as
    for (const o of observed) {
      const candidates: number[] = [];
      for (let v = o.before; v <= o.after; v++) candidates.push(running.get(v) as number);
      if (!candidates.some((k) => isDeepStrictEqual(o.wire, expected(k, o.shape)))) {
        expect.fail(
          `${o.via}: ${JSON.stringify(o.shape)} got ${JSON.stringify(o.wire)}, which is no version live during the request (versions ${o.before}..${o.after}):\n` +
            [...new Set(candidates)].map((k) => `  ${'ABC'[k]}: ${JSON.stringify(expected(k, o.shape))}`).join('\n'),
        );
      }
      const only = [0, 1, 2].filter((k) => isDeepStrictEqual(o.wire, expected(k, o.shape)));
      if (only.length === 1) {
        const set = told.get(o.via) ?? new Set<number>();
        set.add(only[0] as number);
        told.set(o.via, set);
      }
    }
    expect(observed.length).toBe(1200);
    expect(updates).toBeGreaterThan(1);
    // The swaps really happened under both adapters' traffic: answers of more than one version.
    expect(told.get('node:http')?.size).toBeGreaterThan(1);
    expect(told.get('fetch adapter')?.size).toBeGreaterThan(1);
  });
});
