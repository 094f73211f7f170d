// npm run bench:live: what live policies cost, as ratios measured in one run.
//
//   compile    compilePolicy of N exact origins / building a Set of the same N strings (wall and CPU time)
//   heap       heap + array buffers the compiled policy holds / the N strings plus their Set
//   decide     decide() on allowed origins of that policy / the floor (Set.has on a fresh string), 1 024 origins cycled
//   add        addOrigins of one new origin into that policy, in µs (and / one Set.add)
//   cache hit  decideAsync on an origin the resolver allowed (cached) / decide() on a static exact hit
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
  staticHitNs: number;
  cacheHitNs: number;
  cacheHitRatio: number;
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
  const check = (d: CorsDecision | Promise<CorsDecision>, what: string): void => {
    if (d instanceof Promise || !d.allowed) throw new Error(`bench:live: ${what} did not allow ${hit} synchronously`);
  };
  check(policy.decide(req), 'decide()');

  // The resolver's cache hit against a static exact hit, on policies of the same (small) size.
  const small = origins.slice(0, 10_000);
  const resolved = 'https://resolved.tenant.example';
  const staticPolicy = compilePolicy({ origins: [...small, resolved] });
  const resolving = createLivePolicy({ origins: small }, { resolveOrigin: (o) => o === resolved, cacheTtlMs: 3_600_000 });
  await resolving.decideAsync({ method: 'GET', origin: resolved });
  const resolvedParts: [string, string] = ['https://resolved.', 'tenant.example'];
  check(resolving.decideAsync({ method: 'GET', origin: resolved }), 'a cached resolver answer');
  check(staticPolicy.decide({ method: 'GET', origin: resolved }), 'a static exact rule');

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
    .add('static exact hit', () => {
      for (let k = 0; k < BATCH; k++) {
        req.origin = freshString(resolvedParts[0], resolvedParts[1]);
        if (staticPolicy.decide(req).allowed) sink++;
      }
    })
    .add('resolver cache hit', () => {
      for (let k = 0; k < BATCH; k++) {
        req.origin = freshString(resolvedParts[0], resolvedParts[1]);
        if ((resolving.decideAsync(req) as CorsDecision).allowed) sink++;
      }
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
  const cacheHitNs = ns('resolver cache hit');
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
    `  cache hit  ${r.cacheHitNs.toFixed(0)} ns vs static exact hit ${r.staticHitNs.toFixed(0)} ns: ${r.cacheHitRatio.toFixed(2)}x (target <= 1.5x)`,
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
