// npm run bench:live: what live policies cost, as ratios measured in one run.
//
//   compile    compilePolicy of N exact origins / building a Set of the same N strings (wall and CPU time)
//   heap       heap + array buffers the compiled policy holds / the N strings plus their Set
//   decide     decide() on allowed origins of that policy / the floor (Set.has on a fresh string), 1 024 origins cycled
//   add        addOrigins of one new origin into that policy, in µs (and / one Set.add)
//   cache hit  an origin the resolver allowed (cached) / the same origin listed in a static policy:
//              decide() and decideAsync() (its synchronous answer) of the live policy against decide()
//              of the static one, over 1 024 distinct origins cycled (the headline), and over one
//              origin repeated; request objects built beforehand, their origin strings flat copies
//              that are not the policy's own string objects (as a parsed header is not)
//
// Usage: node scripts/run-ts.mjs bench/live.ts [--size N] [--time ms] [--json]
// (run with --expose-gc for the heap row; npm run bench:live does). Default N = 1 000 000.
import { Bench } from 'tinybench';
import { compilePolicy, createLivePolicy } from '../src/index.js';
import type { CorsDecision, CorsRequest } from '../src/index.js';
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
  /** decide() of a static policy listing the cycled origins (1 024 distinct, requests prebuilt). */
  staticHitNs: number;
  /** decideAsync() of a live policy whose resolver allowed those origins (cached), same requests. */
  cacheHitNs: number;
  /** cacheHitNs / staticHitNs: the target is <= 1.5x. */
  cacheHitRatio: number;
  /** decide() of that live policy on the same requests, and / staticHitNs. */
  cacheHitDecideNs: number;
  cacheHitDecideRatio: number;
  /** The same three on one origin repeated (one prebuilt request). */
  staticHitOneNs: number;
  cacheHitOneNs: number;
  cacheHitOneRatio: number;
  cacheHitOneDecideNs: number;
  cacheHitOneDecideRatio: number;
  /** One Date.now(), for scale: what a clock read per lookup would add. */
  clockNs: number;
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

  // The resolver's cache hit against a static exact hit, on policies of the same (small) base
  // list: the static one also lists the HIT_COUNT origins, the live one's resolver allows them
  // (and every one is in its cache before timing). Both sides see the same request objects.
  const small = origins.slice(0, 10_000);
  const HIT_COUNT = 1024; // a power of two: cycled with a mask
  // Flat strings, as for the big list: what JSON.parse gives the static policy, and what a parsed
  // header gives the resolver cache as its keys.
  const hitOrigins = JSON.parse(JSON.stringify(Array.from({ length: HIT_COUNT }, (_, k) => `https://r${k}.resolved${k % 7}.example`))) as string[];
  const hitSet = new Set(hitOrigins);
  const staticPolicy = compilePolicy({ origins: [...small, ...hitOrigins] });
  const resolving = createLivePolicy({ origins: small }, { resolveOrigin: (o) => hitSet.has(o), cacheTtlMs: 3_600_000 });
  for (const o of hitOrigins) await resolving.decideAsync({ method: 'GET', origin: o });
  // Flat strings of their own (a JSON.parse copy, as a parsed header is), not the ones the policies hold.
  const hitReqs: CorsRequest[] = (JSON.parse(JSON.stringify(hitOrigins)) as string[]).map((origin) => ({ method: 'GET', origin }));
  for (const r of hitReqs) {
    check(resolving.decideAsync(r), 'a cached resolver answer', r.origin as string);
    check(resolving.decide(r), 'decide() on a cached resolver answer', r.origin as string);
    check(staticPolicy.decide(r), 'a static exact rule', r.origin as string);
  }
  const oneReq = hitReqs[HIT_COUNT >> 1] as CorsRequest;
  const hitMask = HIT_COUNT - 1;
  let h = 0;

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
    })
    .add('static exact hit', () => {
      for (let k = 0; k < BATCH; k++) if (staticPolicy.decide(hitReqs[(h = (h + 1) & hitMask)] as CorsRequest).allowed) sink++;
    })
    .add('resolver cache hit: decideAsync', () => {
      for (let k = 0; k < BATCH; k++) if ((resolving.decideAsync(hitReqs[(h = (h + 1) & hitMask)] as CorsRequest) as CorsDecision).allowed) sink++;
    })
    .add('resolver cache hit: decide', () => {
      for (let k = 0; k < BATCH; k++) if (resolving.decide(hitReqs[(h = (h + 1) & hitMask)] as CorsRequest).allowed) sink++;
    })
    .add('static exact hit, one origin', () => {
      for (let k = 0; k < BATCH; k++) if (staticPolicy.decide(oneReq).allowed) sink++;
    })
    .add('resolver cache hit, one origin: decideAsync', () => {
      for (let k = 0; k < BATCH; k++) if ((resolving.decideAsync(oneReq) as CorsDecision).allowed) sink++;
    })
    .add('resolver cache hit, one origin: decide', () => {
      for (let k = 0; k < BATCH; k++) if (resolving.decide(oneReq).allowed) sink++;
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
  const staticHitNs = ns('static exact hit');
  const cacheHitNs = ns('resolver cache hit: decideAsync');
  const cacheHitDecideNs = ns('resolver cache hit: decide');
  const staticHitOneNs = ns('static exact hit, one origin');
  const cacheHitOneNs = ns('resolver cache hit, one origin: decideAsync');
  const cacheHitOneDecideNs = ns('resolver cache hit, one origin: decide');
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
    staticHitNs,
    cacheHitNs,
    cacheHitRatio: cacheHitNs / staticHitNs,
    cacheHitDecideNs,
    cacheHitDecideRatio: cacheHitDecideNs / staticHitNs,
    staticHitOneNs,
    cacheHitOneNs,
    cacheHitOneRatio: cacheHitOneNs / staticHitOneNs,
    cacheHitOneDecideNs,
    cacheHitOneDecideRatio: cacheHitOneDecideNs / staticHitOneNs,
    clockNs: ns('Date.now()'),
  };
}

const mb = (b: number | null): string => (b === null ? 'n/a (run with --expose-gc)' : `${(b / 1e6).toFixed(0)} MB`);

export function formatLive(r: LiveNumbers): string {
  return [
    `live policies, ${r.size.toLocaleString('en-US')} exact origins:`,
    `  compile    ${r.compileMs.toFixed(0)} ms vs Set ${r.setBuildMs.toFixed(0)} ms: ${r.compileRatio.toFixed(1)}x (target <= 3x); CPU time ${r.compileCpuMs.toFixed(0)} ms vs ${r.setBuildCpuMs.toFixed(0)} ms: ${r.compileCpuRatio.toFixed(1)}x`,
    `  heap       policy ${mb(r.policyBytes)} vs strings ${mb(r.stringsBytes)} + Set ${mb(r.setBytes)}: ${r.heapRatio === null ? 'n/a' : `${r.heapRatio.toFixed(2)}x`} (target <= 2x)`,
    `  decide     ${r.decideNs.toFixed(0)} ns vs floor ${r.floorNs.toFixed(0)} ns: ${r.decideRatio.toFixed(2)}x (target <= 2x)`,
    `  add        addOrigins one origin ${r.addOriginsUs.toFixed(2)} µs (target <= 10 µs); ${r.addRatio.toFixed(1)}x one Set.add (${r.setAddNs.toFixed(0)} ns)`,
    `  cache hit  1 024 origins cycled: decideAsync ${r.cacheHitNs.toFixed(0)} ns vs static exact hit ${r.staticHitNs.toFixed(0)} ns: ${r.cacheHitRatio.toFixed(2)}x (target <= 1.5x); decide ${r.cacheHitDecideNs.toFixed(0)} ns: ${r.cacheHitDecideRatio.toFixed(2)}x`,
    `             one origin repeated: decideAsync ${r.cacheHitOneNs.toFixed(0)} ns vs ${r.staticHitOneNs.toFixed(0)} ns: ${r.cacheHitOneRatio.toFixed(2)}x; decide ${r.cacheHitOneDecideNs.toFixed(0)} ns: ${r.cacheHitOneDecideRatio.toFixed(2)}x (one Date.now() ${r.clockNs.toFixed(0)} ns)`,
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
