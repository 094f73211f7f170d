// npm run bench:live: what live policies cost, as ratios measured in one run.
//
//   compile    compilePolicy of N exact origins / building a Set of the same N strings (wall and CPU time)
//   heap       heap + array buffers the compiled policy holds / the N strings plus their Set
//   decide     decide() on allowed origins of that policy / the floor (Set.has on a fresh string), 1 024 origins cycled
//   add        addOrigins of one new origin into that policy, in µs (and / one Set.add)
//   cache hit  an origin the resolver allowed (cached) / the same origin listed in a static policy:
//              decide() and decideAsync() (its synchronous answer) of the live policy against decide()
//              of the static one, over 256, 1 024 and 4 096 distinct origins cycled and over one
//              origin repeated; each on a fresh string per request, joined and flattened as the
//              grid's are (what a server's parser hands over: the headline), and on prebuilt
//              request objects whose strings keep their hashes (the strict view); the strings are
//              never the policies' own string objects. A control with no corset in it beside each:
//              Map.get on the same strings in a plain Map of the cycled origins alone (as full as
//              the cache) and in one of the base list plus them (as the static policy's); "matched"
//              is the cache hit with that difference taken out
//
// Usage: node scripts/run-ts.mjs bench/live.ts [--size N] [--time ms] [--json]
// (run with --expose-gc for the heap row; npm run bench:live does). Default N = 1 000 000.
import { Bench } from 'tinybench';
import { compilePolicy, createLivePolicy } from '../src/index.js';
import type { CorsDecision, CorsPolicy, CorsRequest, LivePolicy } from '../src/index.js';
import { freshString } from '../src/cli/bench.js';

export interface LiveNumbers {
  size: number;
  setBuildMs: number;
  compileMs: number;
  compileRatio: number;
  /** CPU time of the process (every thread, GC helpers included), less sensitive to a busy machine than wall time. */
  setBuildCpuMs: number;
  compileCpuMs: number;
  compileCpuRatio: number;
  stringsBytes: number | null;
  setBytes: number | null;
  policyBytes: number | null;
  heapRatio: number | null;
  floorNs: number;
  decideNs: number;
  decideRatio: number;
  setAddNs: number;
  addOriginsUs: number;
  addRatio: number;
  /** decide() of a static policy listing the cycled origins (1 024 distinct, a fresh string per request). */
  staticHitNs: number;
  /** decideAsync() of a live policy whose resolver allowed those origins (cached), same requests. */
  cacheHitNs: number;
  /** cacheHitNs / staticHitNs: the target is <= 1.5x. */
  cacheHitRatio: number;
  /** decide() of that live policy on the same requests, and / staticHitNs. */
  cacheHitDecideNs: number;
  cacheHitDecideRatio: number;
  /** decideAsync / static at 1 024 origins on prebuilt request strings (hashes cached): the strict view. */
  cacheHitStrictRatio: number;
  /**
   * The strict view with the two Maps' own difference taken out (the control rows): decideAsync
   * as it would cost on a Map as full as the static one's, / static, at 1 024 origins.
   */
  cacheHitStrictMatchedRatio: number;
  /** The control at 1 024 origins, prebuilt strings: Map.get in the Map of them alone / in the Map beside the base list. */
  mapAloneRatio: number;
  /** The largest decideAsync or decide() / static ratio over every count, on fresh strings. */
  cacheHitWorstRatio: number;
  /** Every count and string kind measured. */
  cacheHits: CacheHitRow[];
  /** The same three on one origin repeated (one prebuilt request). */
  staticHitOneNs: number;
  cacheHitOneNs: number;
  cacheHitOneRatio: number;
  cacheHitOneDecideNs: number;
  cacheHitOneDecideRatio: number;
  /** One Date.now(), for scale: what a clock read per lookup would add. */
  clockNs: number;
}

/** One cell of the cache-hit comparison: ns per request for each side. */
export interface CacheHitRow {
  /** Distinct origins cycled. */
  count: number;
  /** `fresh`: a new flat string per request (what a server's parser hands over); `prebuilt`: the same request objects every cycle. */
  strings: 'fresh' | 'prebuilt';
  staticNs: number;
  asyncNs: number;
  decideNs: number;
  /**
   * The control, with no corset in it: `Map.get` on the same strings, in a plain Map of this
   * count's origins alone (as full as the resolver cache) and in one of the base list plus them
   * (as full as the static policy's exact map).
   */
  mapAloneNs: number;
  mapBesideNs: number;
}

/** The distinct-origin counts the cache hit is measured at: the ratio moves with how the working set meets the caches. */
export const CACHE_HIT_COUNTS = [256, 1024, 4096] as const;
/** Rounds of the cache-hit tasks, interleaved; each side's fastest median is kept. */
const CACHE_HIT_ROUNDS = 3;

/**
 * A resolver's cache hit against a static exact hit. For each count, two policies on the same
 * base list (`small`): a static one that also lists the count's origins, and a live one whose
 * resolver allows them (every one in its cache before timing). Both sides see the same requests:
 * a fresh string per request, joined from two parts and flattened, as the grid does (the
 * headline), and prebuilt request objects whose strings keep their hashes (the strict view).
 * The origin strings are never the policies' own string objects. Interleaved rounds of one
 * tinybench run each; the fastest median of each task is kept.
 */
async function measureCacheHits(small: readonly string[], timeMs: number): Promise<{ rows: CacheHitRow[]; one: { staticNs: number; asyncNs: number; decideNs: number } }> {
  const BATCH = 256;
  const check = (d: CorsDecision | Promise<CorsDecision>, what: string, origin: string): void => {
    if (d instanceof Promise || !d.allowed) throw new Error(`bench:live: ${what} did not allow ${origin} synchronously`);
  };
  const tasks: [string, () => void][] = [];
  let sink = 0;
  let oneReq: CorsRequest | null = null;
  let onePolicies: [CorsPolicy, LivePolicy] | null = null;
  for (const count of CACHE_HIT_COUNTS) {
    const mask = count - 1; // a power of two: cycled with a mask
    // Flat strings (JSON.parse gives the static policy its list; a parsed header gives the
    // resolver cache its keys), then copies of their own for the requests.
    const built = Array.from({ length: count }, (_, k) => `https://r${k}.resolved${k % 7}.example`);
    const origins = JSON.parse(JSON.stringify(built)) as string[];
    const allowed = new Set(origins);
    const staticPolicy = compilePolicy({ origins: [...small, ...origins] });
    const resolving = createLivePolicy({ origins: small }, { resolveOrigin: (o) => allowed.has(o), cacheTtlMs: 3_600_000 });
    for (const o of origins) await resolving.decideAsync({ method: 'GET', origin: o });
    const reqs = (JSON.parse(JSON.stringify(built)) as string[]).map((origin): CorsRequest => ({ method: 'GET', origin }));
    const parts = built.map((o): [string, string] => [o.slice(0, 10), o.slice(10)].map((x) => JSON.parse(JSON.stringify(x)) as string) as [string, string]);
    for (const r of reqs) {
      check(resolving.decideAsync(r), 'a cached resolver answer', r.origin as string);
      check(resolving.decide(r), 'decide() on a cached resolver answer', r.origin as string);
      check(staticPolicy.decide(r), 'a static exact rule', r.origin as string);
    }
    if (count === 1024) {
      oneReq = reqs[count >> 1] as CorsRequest;
      onePolicies = [staticPolicy, resolving];
    }
    const fresh: CorsRequest = { method: 'GET', origin: '' };
    let h = 0;
    const freshTask = (decide: (req: CorsRequest) => CorsDecision | Promise<CorsDecision>) => () => {
      for (let k = 0; k < BATCH; k++) {
        const q = parts[(h = (h + 1) & mask)] as [string, string];
        fresh.origin = freshString(q[0], q[1]);
        if ((decide(fresh) as CorsDecision).allowed) sink++;
      }
    };
    const prebuiltTask = (decide: (req: CorsRequest) => CorsDecision | Promise<CorsDecision>) => () => {
      for (let k = 0; k < BATCH; k++) if ((decide(reqs[(h = (h + 1) & mask)] as CorsRequest) as CorsDecision).allowed) sink++;
    };
    // The control: the same lookups in plain Maps shaped as the two policies' are.
    const alone = new Map(origins.map((o, k) => [o, k]));
    const beside = new Map([...small, ...origins].map((o, k) => [o, k]));
    const freshMap = (map: Map<string, number>) => () => {
      for (let k = 0; k < BATCH; k++) {
        const q = parts[(h = (h + 1) & mask)] as [string, string];
        if (map.get(freshString(q[0], q[1])) !== undefined) sink++;
      }
    };
    const prebuiltMap = (map: Map<string, number>) => () => {
      for (let k = 0; k < BATCH; k++) if (map.get((reqs[(h = (h + 1) & mask)] as CorsRequest).origin as string) !== undefined) sink++;
    };
    for (const [strings, task, mapTask] of [['fresh', freshTask, freshMap], ['prebuilt', prebuiltTask, prebuiltMap]] as const) {
      tasks.push([`${count} ${strings} map alone`, mapTask(alone)]);
      tasks.push([`${count} ${strings} map beside`, mapTask(beside)]);
      tasks.push([`${count} ${strings} static`, task((r) => staticPolicy.decide(r))]);
      tasks.push([`${count} ${strings} decideAsync`, task((r) => resolving.decideAsync(r))]);
      tasks.push([`${count} ${strings} decide`, task((r) => resolving.decide(r))]);
    }
  }
  const [oneStatic, oneLive] = onePolicies as [CorsPolicy, LivePolicy];
  const one = oneReq as CorsRequest;
  tasks.push(['one static', () => { for (let k = 0; k < BATCH; k++) if (oneStatic.decide(one).allowed) sink++; }]);
  tasks.push(['one decideAsync', () => { for (let k = 0; k < BATCH; k++) if ((oneLive.decideAsync(one) as CorsDecision).allowed) sink++; }]);
  tasks.push(['one decide', () => { for (let k = 0; k < BATCH; k++) if (oneLive.decide(one).allowed) sink++; }]);

  const best = new Map<string, number>();
  for (let round = 0; round < CACHE_HIT_ROUNDS; round++) {
    const bench = new Bench({ time: timeMs, warmupTime: round === 0 ? Math.min(100, timeMs) : 0 });
    for (const [name, fn] of tasks) bench.add(name, fn);
    await bench.run();
    for (const [name] of tasks) {
      const ms = (bench.getTask(name)?.result as { latency?: { p50?: number } } | undefined)?.latency?.p50;
      if (ms === undefined) throw new Error(`bench:live: no result for ${name}`);
      const ns = (ms * 1e6) / BATCH;
      if (!(ns >= (best.get(name) as number))) best.set(name, ns);
    }
  }
  if (sink === 0) throw new Error('bench:live: nothing was allowed');
  const at = (name: string): number => best.get(name) as number;
  const rows: CacheHitRow[] = [];
  for (const count of CACHE_HIT_COUNTS) {
    for (const strings of ['fresh', 'prebuilt'] as const) {
      rows.push({
        count,
        strings,
        staticNs: at(`${count} ${strings} static`),
        asyncNs: at(`${count} ${strings} decideAsync`),
        decideNs: at(`${count} ${strings} decide`),
        mapAloneNs: at(`${count} ${strings} map alone`),
        mapBesideNs: at(`${count} ${strings} map beside`),
      });
    }
  }
  return { rows, one: { staticNs: at('one static'), asyncNs: at('one decideAsync'), decideNs: at('one decide') } };
}

/** CPU milliseconds (user + system, all threads) since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapNow(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The i-th tenant origin: distinct, canonical, the shape a SaaS list has. */
const tenant = (i: number): string => `https://t${i}.tenant${i % 1000}.example.com`;

export async function measureLive(size: number, timeMs: number): Promise<LiveNumbers> {
  const measureHeap = gc !== undefined;
  const h0 = heapNow();
  // Flat strings, as a policy file (JSON.parse) or a database driver hands them over: a string
  // built with a template literal is a rope that its first reader flattens, and that cost (the
  // Set pays it too) belongs to whoever built the string, not to either side of the ratio.
  const built: string[] = [];
  for (let i = 0; i < size; i++) built.push(tenant(i));
  const origins = JSON.parse(JSON.stringify(built)) as string[];
  built.length = 0;
  const h1 = heapNow();
  let t = performance.now();
  let cpu = process.cpuUsage();
  const set = new Set(origins);
  const setBuildMs = performance.now() - t;
  const setBuildCpuMs = cpuMs(cpu);
  const h2 = heapNow();
  const setBytes = h2 - h1;
  if (set.size !== size) throw new Error('bench:live: the origins are not distinct');

  const before = heapNow();
  t = performance.now();
  cpu = process.cpuUsage();
  const policy = compilePolicy({ origins });
  const compileMs = performance.now() - t;
  const compileCpuMs = cpuMs(cpu);
  const policyBytes = heapNow() - before;
  const live = createLivePolicy(policy);

  // Requests: 1 024 allowed origins spread over the big list, cycled, each a fresh string per
  // call (a header value), as the grid's floor does (bench/lib/contenders.ts).
  const probes: [string, string][] = [];
  for (let k = 0; k < 1024; k++) {
    const i = Math.floor((k * size) / 1024);
    probes.push([`https://t${i}.`, `tenant${i % 1000}.example.com`]);
  }
  let p = 0;
  const hitParts = probes[0] as [string, string];
  const hit = hitParts[0] + hitParts[1];
  const floorSet = set;
  const req: CorsRequest = { method: 'GET', origin: hit };
  const check = (d: CorsDecision | Promise<CorsDecision>, what: string, origin = hit): void => {
    if (d instanceof Promise || !d.allowed) throw new Error(`bench:live: ${what} did not allow ${origin} synchronously`);
  };
  check(policy.decide(req), 'decide()');

  let added = 0;
  const addSet = new Set<string>();
  let sink = 0;
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(100, timeMs) });
  // Each task runs BATCH calls, so the timer's own cost is spread over them (per call: / BATCH).
  const BATCH = 256;
  bench
    .add('floor: Set.has', () => {
      for (let k = 0; k < BATCH; k++) {
        const q = probes[(p = (p + 1) & 1023)] as [string, string];
        if (floorSet.has(freshString(q[0], q[1]))) sink++;
      }
    })
    .add('decide() allowed', () => {
      for (let k = 0; k < BATCH; k++) {
        const q = probes[(p = (p + 1) & 1023)] as [string, string];
        req.origin = freshString(q[0], q[1]);
        if (policy.decide(req).allowed) sink++;
      }
    })
    .add('Set.add one new string', () => {
      for (let k = 0; k < BATCH; k++) addSet.add(`https://n${added++}.added.example`);
    })
    .add('addOrigins one origin', () => {
      for (let k = 0; k < BATCH; k++) live.addOrigins([`https://n${added++}.added.example`]);
    })
    .add('Date.now()', () => {
      for (let k = 0; k < BATCH; k++) sink += Date.now() & 1;
    });
  await bench.run();
  if (sink === 0) throw new Error('bench:live: nothing was allowed');
  const ns = (name: string): number => {
    const task = bench.getTask(name);
    const r = task?.result as { latency?: { p50?: number } } | undefined;
    const ms = r?.latency?.p50;
    if (ms === undefined) throw new Error(`bench:live: no result for ${name}`);
    return (ms * 1e6) / BATCH;
  };
  const stringsBytes = h1 - h0;
  const floorNs = ns('floor: Set.has');
  const decideNs = ns('decide() allowed');
  const setAddNs = ns('Set.add one new string');
  const addNs = ns('addOrigins one origin');
  const hits = await measureCacheHits(origins.slice(0, 10_000), timeMs);
  const at1024 = hits.rows.find((r) => r.count === 1024 && r.strings === 'fresh') as CacheHitRow;
  const strict1024 = hits.rows.find((r) => r.count === 1024 && r.strings === 'prebuilt') as CacheHitRow;
  return {
    size,
    setBuildMs,
    compileMs,
    compileRatio: compileMs / setBuildMs,
    setBuildCpuMs,
    compileCpuMs,
    compileCpuRatio: compileCpuMs / setBuildCpuMs,
    stringsBytes: measureHeap ? stringsBytes : null,
    setBytes: measureHeap ? setBytes : null,
    policyBytes: measureHeap ? policyBytes : null,
    heapRatio: measureHeap ? policyBytes / (stringsBytes + setBytes) : null,
    floorNs,
    decideNs,
    decideRatio: decideNs / floorNs,
    setAddNs,
    addOriginsUs: addNs / 1000,
    addRatio: addNs / setAddNs,
    staticHitNs: at1024.staticNs,
    cacheHitNs: at1024.asyncNs,
    cacheHitRatio: at1024.asyncNs / at1024.staticNs,
    cacheHitDecideNs: at1024.decideNs,
    cacheHitDecideRatio: at1024.decideNs / at1024.staticNs,
    cacheHitStrictRatio: strict1024.asyncNs / strict1024.staticNs,
    cacheHitStrictMatchedRatio: matchedNs(strict1024) / strict1024.staticNs,
    mapAloneRatio: strict1024.mapAloneNs / strict1024.mapBesideNs,
    cacheHitWorstRatio: Math.max(...hits.rows.filter((r) => r.strings === 'fresh').map((r) => Math.max(r.asyncNs, r.decideNs) / r.staticNs)),
    cacheHits: hits.rows,
    staticHitOneNs: hits.one.staticNs,
    cacheHitOneNs: hits.one.asyncNs,
    cacheHitOneRatio: hits.one.asyncNs / hits.one.staticNs,
    cacheHitOneDecideNs: hits.one.decideNs,
    cacheHitOneDecideRatio: hits.one.decideNs / hits.one.staticNs,
    clockNs: ns('Date.now()'),
  };
}

/** A cache hit as it would cost on a Map as full as the static policy's: the control's difference taken out. */
const matchedNs = (c: CacheHitRow): number => c.asyncNs - c.mapAloneNs + c.mapBesideNs;

const mb = (b: number | null): string => (b === null ? 'n/a (run with --expose-gc)' : `${(b / 1e6).toFixed(0)} MB`);

export function formatLive(r: LiveNumbers): string {
  return [
    `live policies, ${r.size.toLocaleString('en-US')} exact origins:`,
    `  compile    ${r.compileMs.toFixed(0)} ms vs Set ${r.setBuildMs.toFixed(0)} ms: ${r.compileRatio.toFixed(1)}x (target <= 3x); CPU time ${r.compileCpuMs.toFixed(0)} ms vs ${r.setBuildCpuMs.toFixed(0)} ms: ${r.compileCpuRatio.toFixed(1)}x`,
    `  heap       policy ${mb(r.policyBytes)} vs strings ${mb(r.stringsBytes)} + Set ${mb(r.setBytes)}: ${r.heapRatio === null ? 'n/a' : `${r.heapRatio.toFixed(2)}x`} (target <= 2x)`,
    `  decide     ${r.decideNs.toFixed(0)} ns vs floor ${r.floorNs.toFixed(0)} ns: ${r.decideRatio.toFixed(2)}x (target <= 2x)`,
    `  add        addOrigins one origin ${r.addOriginsUs.toFixed(2)} µs (target <= 10 µs); ${r.addRatio.toFixed(1)}x one Set.add (${r.setAddNs.toFixed(0)} ns)`,
    `  cache hit  ns per request, static exact hit / resolver cache hit decideAsync (decide), ratio to static (target <= 1.5x):`,
    ...r.cacheHits.map(
      (c) =>
        `             ${String(c.count).padStart(5)} origins cycled, ${c.strings === 'fresh' ? 'a fresh string per request' : 'prebuilt requests         '}: ${c.staticNs.toFixed(0)} / ${c.asyncNs.toFixed(0)} (${c.decideNs.toFixed(0)}) ns: ${(c.asyncNs / c.staticNs).toFixed(2)}x (${(c.decideNs / c.staticNs).toFixed(2)}x); control, Map.get alone / beside: ${c.mapAloneNs.toFixed(0)} / ${c.mapBesideNs.toFixed(0)} ns: ${(c.mapAloneNs / c.mapBesideNs).toFixed(2)}x; matched ${(matchedNs(c) / c.staticNs).toFixed(2)}x`,
    ),
    `             one origin repeated: decideAsync ${r.cacheHitOneNs.toFixed(0)} ns vs ${r.staticHitOneNs.toFixed(0)} ns: ${r.cacheHitOneRatio.toFixed(2)}x; decide ${r.cacheHitOneDecideNs.toFixed(0)} ns: ${r.cacheHitOneDecideRatio.toFixed(2)}x (one Date.now() ${r.clockNs.toFixed(0)} ns)`,
    `             worst on fresh strings: ${r.cacheHitWorstRatio.toFixed(2)}x (target <= 1.5x)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/live.ts')) {
  const argv = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i < 0 ? undefined : argv[i + 1];
  };
  const size = Number(flag('size') ?? 1_000_000);
  const timeMs = Number(flag('time') ?? 500);
  const r = await measureLive(size, timeMs);
  process.stdout.write(argv.includes('--json') ? `${JSON.stringify(r)}\n` : `${formatLive(r)}\n`);
}
