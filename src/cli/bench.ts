// `corset bench`: how fast corset decides on this machine, for a policy of the operator's own (or
// one generated in a given shape and size), with each engine, against the floor of a bare
// `Set.has` measured in the same run (issue 6, "`corset bench`").
//
//   corset bench [--policy file.json] [--engine js|wasm|auto|all] [--size N]
//                [--shape exact|wildcard|glob|mixed] [--time ms] [--json]
//
// Peers are not a runtime dependency: the CLI compares corset's engines and the floor; the
// comparison with other middlewares lives in bench/ (npm run bench). tinybench is a
// devDependency, so the timing loop here is our own: calibrate a batch size, warm up, then take
// samples of one batch each until the time budget is spent and report the median.
//
// Every input is fresh: an origin is joined from two parts and flattened on each call (see
// `freshString`), as a server gets a new header string per request (no engine sees a string
// whose hash it has cached), and every answer is checked before timing: an input generated to be allowed must be allowed by every
// engine, one generated to be denied must be denied, and the engines must agree.
import { cpus, platform, arch, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { compilePolicy } from '../compile/compile-policy.js';
import { ready } from '../engine/ready.js';
import { PolicyError } from '../policy/issues.js';
import type { CorsPolicy, CorsPolicyInit, CorsRequest, EngineChoice } from '../types.js';
import { flagValue, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { EnvironmentError, reportError, wantsJson } from './errors.js';
import { invalidPolicy, readPolicyFile } from './policy-file.js';

export interface BenchIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

// ---------------------------------------------------------------------------------------------
// Generated policies and inputs (shared with bench/: one generator for the CLI and the suite)
// ---------------------------------------------------------------------------------------------

export type BenchShape = 'exact' | 'wildcard' | 'glob' | 'mixed';
export const BENCH_SHAPES: readonly BenchShape[] = ['exact', 'wildcard', 'glob', 'mixed'];

/** The largest generated policy: compiling it takes well under a second. */
export const MAX_BENCH_SIZE = 100_000;

/** Which single shape rule `i` of a policy of `shape` has (mixed: exact, wildcard, glob in turn). */
function ruleShape(shape: BenchShape, i: number): Exclude<BenchShape, 'mixed'> {
  if (shape !== 'mixed') return shape;
  const r = i % 3;
  return r === 0 ? 'exact' : r === 1 ? 'wildcard' : 'glob';
}

/** The i-th origin pattern of a generated policy of `shape`. Distinct for distinct `i`. */
export function benchPattern(shape: BenchShape, i: number): string {
  switch (ruleShape(shape, i)) {
    case 'exact':
      return `https://app${i}.client${i % 97}.example.com`;
    case 'wildcard':
      return `https://*.tenant${i}.example.com`;
    case 'glob':
      return `https://pr-*.svc${i}.example.com`;
  }
}

/** Methods and headers of every generated policy (and of the peers' configuration in bench/). */
export const BENCH_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'DELETE'];
export const BENCH_ALLOW_HEADERS: readonly string[] = ['content-type', 'x-requested-with'];
export const BENCH_EXPOSE_HEADERS: readonly string[] = ['x-request-id'];
export const BENCH_MAX_AGE = 600;

/** A policy of `size` rules of `shape` (see `benchPattern`), no credentials. */
export function generatePolicy(shape: BenchShape, size: number): CorsPolicyInit {
  const origins: string[] = [];
  for (let i = 0; i < size; i++) origins.push(benchPattern(shape, i));
  return {
    origins,
    methods: BENCH_METHODS,
    allowHeaders: BENCH_ALLOW_HEADERS,
    exposeHeaders: BENCH_EXPOSE_HEADERS,
    maxAge: BENCH_MAX_AGE,
  };
}

/**
 * An origin for rule `i` of a generated policy, as [scheme part, rest]: allowed ones are matched by
 * rule `i` (and no earlier rule); denied ones are canonical origins of the same length class that
 * no rule matches (`.example.org`). `k` is the wildcard part, so that inputs differ.
 */
export function benchOrigin(shape: BenchShape, i: number, k: number, allowed: boolean): [string, string] {
  const tld = allowed ? 'com' : 'org';
  switch (ruleShape(shape, i)) {
    case 'exact':
      return ['https://', `app${i}.client${i % 97}.example.${tld}`];
    case 'wildcard':
      return ['https://', `x${k}.tenant${i}.example.${tld}`];
    case 'glob':
      return ['https://', `pr-${k}.svc${i}.example.${tld}`];
  }
}

/** `count` inputs for a policy of `size` rules, spread over the rules (rule `(k * 7919) % size`). */
export function benchOrigins(shape: BenchShape, size: number, count: number, allowed: boolean): [string, string][] {
  const out: [string, string][] = [];
  for (let k = 0; k < count; k++) out.push(benchOrigin(shape, (k * 7919) % size, k, allowed));
  return out;
}

/**
 * A concrete origin that an origin pattern written by an operator matches, as [scheme part, rest]:
 * `*.` becomes a label, a `*` inside a label becomes `b1`, `:*` becomes `:8443`. null for what is
 * not an http(s) pattern (`null`, garbage): the policy's own answer decides the rest anyway.
 */
export function concreteOrigin(pattern: string, k: number): [string, string] | null {
  const m = /^(https?:\/\/)(.+)$/.exec(pattern);
  if (m === null) return null;
  let rest = m[2] as string;
  if (rest.endsWith(':*')) rest = `${rest.slice(0, -2)}:8443`;
  rest = rest.startsWith('*.') ? `b${k % 100}.${rest.slice(2)}` : rest.replace('*', `b${k % 100}`);
  return [m[1] as string, rest];
}

// ---------------------------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------------------------

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
}

/** What a figure was measured on: CPU model, core count, Node and V8 versions. */
export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() || 'unknown CPU',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${arch()}`,
  };
}

export function formatMachine(m: MachineInfo): string {
  return `${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node} (V8 ${m.v8}), ${m.platform}`;
}

// ---------------------------------------------------------------------------------------------
// The timing loop
// ---------------------------------------------------------------------------------------------

/** One measured operation: `run(n)` performs it `n` times and returns a value to keep. */
export interface Timed {
  run(n: number): number;
}

export interface Timing {
  /** Median over samples of (sample time / batch), in nanoseconds. */
  readonly nsPerOp: number;
  readonly samples: number;
  readonly batch: number;
}

/** A sample lasts about this long, or less when the budget is smaller. */
const SAMPLE_MS = 2;
const MIN_SAMPLES = 5;
let blackhole = 0;

/**
 * Time `op` for about `budgetMs` (warm-up included): batch size doubled until a batch lasts
 * about one sample, a warm-up of a fifth of the budget, then samples until the budget is spent
 * (at least MIN_SAMPLES). The median resists the odd sample a garbage collection or another
 * process lands in.
 */
export function timeOperation(op: Timed, budgetMs: number): Timing {
  const sampleMs = Math.min(SAMPLE_MS, Math.max(budgetMs / 20, 0.05));
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    blackhole += op.run(batch);
    const dt = performance.now() - t0;
    if (dt >= sampleMs || batch >= 1 << 24) break;
    batch *= dt <= 0 ? 16 : Math.min(16, Math.max(2, Math.ceil(sampleMs / dt)));
  }
  const warmupEnd = performance.now() + budgetMs / 5;
  while (performance.now() < warmupEnd) blackhole += op.run(batch);
  const samples: number[] = [];
  const end = performance.now() + (budgetMs * 4) / 5;
  while (samples.length < MIN_SAMPLES || performance.now() < end) {
    const t0 = performance.now();
    blackhole += op.run(batch);
    samples.push(((performance.now() - t0) * 1e6) / batch);
  }
  samples.sort((a, b) => a - b);
  return { nsPerOp: median(samples), samples: samples.length, batch };
}

/** The median of sorted numbers. */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

let flatZero = 0;

/**
 * A fresh header string: `a + b` joined, then flattened. V8 keeps a joined string as a rope (a
 * ConsString) until something reads its characters, and `Set.has` on a rope takes a slow path
 * (measured here: ~3x a flat string), while a header from Node's HTTP parser is a flat string
 * whose hash is not computed yet. Reading a character flattens the rope, as the parser's copy
 * would; the result is used (counted when it is NUL, which no origin holds) so that the read is
 * not optimised away. Every row pays this the same; the "fresh string alone" row measures it.
 */
export function freshString(a: string, b: string): string {
  const s = a + b;
  if (s.charCodeAt(0) === 0) flatZero++;
  return s;
}

/** Inputs are a power-of-two count of [part, part] pairs, joined per call (a fresh string). */
function inputMask(inputs: readonly (readonly [string, string])[]): number {
  const n = inputs.length;
  if (n === 0 || (n & (n - 1)) !== 0) throw new RangeError(`corset bench: input count ${n} is not a power of two`);
  return n - 1;
}

/** The floor: `Set.has` of the allowed origins, on the same fresh strings. */
function floorOp(set: ReadonlySet<string>, inputs: readonly (readonly [string, string])[]): Timed {
  const mask = inputMask(inputs);
  let at = 0; // carried on between batches, so every sample sees all the inputs in turn
  return {
    run(n) {
      let hits = 0;
      for (let k = 0; k < n; k++) {
        const p = inputs[(at = (at + 1) & mask)] as readonly [string, string];
        if (set.has(freshString(p[0], p[1]))) hits++;
      }
      return hits;
    },
  };
}

function isOriginAllowedOp(policy: CorsPolicy, inputs: readonly (readonly [string, string])[]): Timed {
  const mask = inputMask(inputs);
  let at = 0; // carried on between batches, so every sample sees all the inputs in turn
  return {
    run(n) {
      let hits = 0;
      for (let k = 0; k < n; k++) {
        const p = inputs[(at = (at + 1) & mask)] as readonly [string, string];
        if (policy.isOriginAllowed(freshString(p[0], p[1]))) hits++;
      }
      return hits;
    },
  };
}

/** Building the fresh strings alone: what every other row pays for its input. */
function freshStringOp(inputs: readonly (readonly [string, string])[]): Timed {
  const mask = inputMask(inputs);
  let at = 0; // carried on between batches, so every sample sees all the inputs in turn
  return {
    run(n) {
      let length = 0;
      for (let k = 0; k < n; k++) {
        const p = inputs[(at = (at + 1) & mask)] as readonly [string, string];
        length += freshString(p[0], p[1]).length;
      }
      return length;
    },
  };
}

/** `policy.decide` for a GET (actual) or an OPTIONS preflight for PUT with one allowed header. */
function decideOp(policy: CorsPolicy, inputs: readonly (readonly [string, string])[], preflight: boolean): Timed {
  const mask = inputMask(inputs);
  let at = 0;
  // No `url`: as corset-cors/node passes none for a request whose Host cannot make it same-origin.
  // (With a cross-origin `url`, decide() parses it for same-origin detection: see
  // docs/performance.md; that cost does not depend on the engine.)
  const req: CorsRequest = preflight
    ? { method: 'OPTIONS', origin: null, requestMethod: 'PUT', requestHeaders: 'content-type', url: undefined }
    : { method: 'GET', origin: null, requestMethod: null, requestHeaders: null, url: undefined };
  return {
    run(n) {
      let allowed = 0;
      for (let k = 0; k < n; k++) {
        const p = inputs[(at = (at + 1) & mask)] as readonly [string, string];
        req.origin = freshString(p[0], p[1]);
        if (policy.decide(req).allowed) allowed++;
      }
      return allowed;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

const BENCH_FLAGS = {
  policy: { value: true },
  engine: { value: true },
  size: { value: true },
  shape: { value: true },
  time: { value: true },
  json: { value: false },
  help: { value: false },
} as const;

export const BENCH_USAGE = `Usage: corset bench [--policy file.json] [--engine js|wasm|auto|all] [--size N]
                    [--shape exact|wildcard|glob|mixed] [--time ms] [--json]

Measure how fast corset answers on this machine: isOriginAllowed and decide() for allowed and
denied origins, with each engine, beside a bare Set.has on the same fresh strings (the floor).

Options:
  --policy FILE   a JSON policy (CorsPolicyInit); its origins are sampled for allowed inputs
  --shape S       without --policy: generate rules of this shape (default mixed)
                    exact     https://app1.client1.example.com
                    wildcard  https://*.tenant1.example.com
                    glob      https://pr-*.svc1.example.com
                    mixed     the three in turn
  --size N        without --policy: how many rules (default 100, at most ${MAX_BENCH_SIZE})
  --engine E      js, wasm, auto or all (default all: js and wasm, and which one auto picks)
  --time MS       time per row in milliseconds (default 300)
  --json          print the result as JSON (progress, on a terminal, still goes to stderr)

Figures are medians; ratios are taken within this run. Progress goes to stderr on a terminal.

Example:
  corset bench --policy policy.json --engine all --json

Exit codes: 0 measured; 1 the engines disagree on an input; 2 bad usage; 3 the policy file cannot
be used; 4 an engine is unavailable here.
`;

const DEFAULT_SIZE = 100;
const DEFAULT_TIME_MS = 300;
const MAX_TIME_MS = 60_000;
/** Distinct inputs per row (a power of two). */
const INPUT_COUNT = 256;

export interface BenchRow {
  readonly name: string;
  /** 'floor' for the Set.has baseline, 'input' for building the fresh strings, else the engine. */
  readonly engine: 'floor' | 'input' | 'js' | 'wasm';
  readonly nsPerOp: number;
  readonly opsPerSec: number;
  /** nsPerOp / the floor's nsPerOp. */
  readonly vsFloor: number;
  /** nsPerOp / the same row's nsPerOp with the js engine; null for js and the floor. */
  readonly vsJs: number | null;
  readonly samples: number;
  readonly batch: number;
}

export interface BenchResult {
  readonly machine: MachineInfo;
  readonly policy: { readonly source: string; readonly shape: BenchShape | null; readonly rules: number };
  readonly timeMs: number;
  /** Which engine `engine: 'auto'` compiles this policy with. */
  readonly autoPicks: 'js' | 'wasm';
  readonly engines: readonly { readonly engine: 'js' | 'wasm'; readonly available: boolean; readonly error: string | null }[];
  readonly inputs: { readonly allowed: number; readonly denied: number };
  readonly rows: readonly BenchRow[];
}

/**
 * `corset bench`: returns the exit code. Writes a progress line to stderr while it runs, then the
 * table (or JSON) to stdout. Never throws for bad usage (exit 2), a bad policy (exit 3) or a missing engine (exit 4).
 */
export async function runBench(argv: readonly string[], io: BenchIO): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, BENCH_FLAGS);
    if (args.flags.has('help')) {
      io.stdout.write(BENCH_USAGE);
      return 0;
    }
    const options = readOptions(args);
    return await bench(options, io);
  } catch (err) {
    return reportError(err, io, BENCH_USAGE, wantsJson(argv), 'corset bench');
  }
}

interface BenchOptions {
  readonly policyFile: string | null;
  readonly shape: BenchShape;
  readonly size: number;
  readonly engine: EngineChoice | 'all';
  readonly timeMs: number;
  readonly json: boolean;
}

function readOptions(args: ParsedArgs): BenchOptions {
  const extra = args.positionals[0];
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const policyFile = flagValue(args, 'policy') ?? null;
  const shapeFlag = flagValue(args, 'shape');
  const sizeFlag = flagValue(args, 'size');
  if (policyFile !== null && (shapeFlag !== undefined || sizeFlag !== undefined)) {
    throw new UsageError('--shape and --size describe a generated policy; they cannot be combined with --policy');
  }
  const shape = (shapeFlag ?? 'mixed') as BenchShape;
  if (!BENCH_SHAPES.includes(shape)) {
    throw new UsageError(`--shape ${JSON.stringify(shapeFlag)}: want one of ${BENCH_SHAPES.join(', ')}`);
  }
  const engine = (flagValue(args, 'engine') ?? 'all') as EngineChoice | 'all';
  if (engine !== 'js' && engine !== 'wasm' && engine !== 'auto' && engine !== 'all') {
    throw new UsageError(`--engine ${JSON.stringify(engine)}: want js, wasm, auto or all`);
  }
  const size = sizeFlag === undefined ? DEFAULT_SIZE : positiveInteger('--size', sizeFlag, MAX_BENCH_SIZE);
  const timeFlag = flagValue(args, 'time');
  const timeMs = timeFlag === undefined ? DEFAULT_TIME_MS : positiveInteger('--time', timeFlag, MAX_TIME_MS);
  return { policyFile, shape, size, engine, timeMs, json: args.flags.has('json') };
}

function positiveInteger(flag: string, text: string, max: number): number {
  if (!/^[0-9]{1,9}$/.test(text)) throw new UsageError(`${flag} ${JSON.stringify(text)}: want a whole number from 1 to ${max}`);
  const n = Number(text);
  if (n < 1 || n > max) throw new UsageError(`${flag} ${JSON.stringify(text)}: want a whole number from 1 to ${max}`);
  return n;
}

/** The policy compiled with one engine, or why it cannot be. PolicyError is rethrown. */
function compileWith(init: CorsPolicyInit, engine: EngineChoice): { policy: CorsPolicy | null; error: string | null } {
  try {
    return { policy: compilePolicy({ ...init, engine }), error: null };
  } catch (err) {
    if (err instanceof PolicyError) throw err;
    return { policy: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Up to INPUT_COUNT inputs of each kind, cycled to a power of two; [] when there are none. */
function cycle(list: readonly [string, string][]): [string, string][] {
  if (list.length === 0) return [];
  const out: [string, string][] = [];
  for (let k = 0; k < INPUT_COUNT; k++) out.push(list[k % list.length] as [string, string]);
  return out;
}

/** Allowed and denied inputs for a policy read from a file, each confirmed by `reference`. */
function inputsFromPolicy(init: CorsPolicyInit, reference: CorsPolicy): { allowed: [string, string][]; denied: [string, string][] } {
  const allowed: [string, string][] = [];
  const patterns = Array.isArray(init.origins) ? init.origins : [];
  for (let k = 0; allowed.length < INPUT_COUNT && k < INPUT_COUNT * 4 && patterns.length > 0; k++) {
    const pattern = patterns[k % patterns.length];
    const origin = typeof pattern === 'string' ? concreteOrigin(pattern, k) : null;
    if (origin !== null && reference.isOriginAllowed(origin[0] + origin[1])) allowed.push(origin);
  }
  if (allowed.length === 0) {
    // origins '*' (or only RegExp/`null` rules, which JSON cannot hold anyway): plain origins.
    for (let k = 0; k < INPUT_COUNT; k++) {
      const origin: [string, string] = ['https://', `app${k}.corset-bench.example`];
      if (reference.isOriginAllowed(origin[0] + origin[1])) allowed.push(origin);
    }
  }
  const denied: [string, string][] = [];
  for (let k = 0; k < INPUT_COUNT; k++) {
    const origin: [string, string] = ['https://', `app${k}.corset-bench-denied.invalid`];
    if (!reference.isOriginAllowed(origin[0] + origin[1])) denied.push(origin);
  }
  return { allowed: cycle(allowed), denied: cycle(denied) };
}

interface Progress {
  step(label: string): void;
  done(): void;
}

/** A progress line on a terminal; nothing when stderr is a pipe or a file. */
function progressLine(io: BenchIO, total: number): Progress {
  if (io.stderr.isTTY !== true) return { step() {}, done() {} };
  let n = 0;
  let width = 0;
  return {
    step(label) {
      n++;
      const line = `corset bench: [${n}/${total}] ${label}`;
      io.stderr.write(`\r${line.padEnd(width)}`);
      width = line.length;
    },
    done() {
      if (width > 0) io.stderr.write(`\r${' '.repeat(width)}\r`);
    },
  };
}

async function bench(o: BenchOptions, io: BenchIO): Promise<number> {
  const init = o.policyFile === null ? generatePolicy(o.shape, o.size) : readPolicyFile(o.policyFile);
  await ready(); // the WebAssembly engine, where it can run (the documented way, as in a browser)
  let auto: CorsPolicy;
  try {
    auto = compilePolicy({ ...init, engine: 'auto' });
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    throw invalidPolicy(o.policyFile ?? undefined, err.issues, init);
  }
  const wanted: ('js' | 'wasm')[] =
    o.engine === 'all' ? ['js', 'wasm'] : o.engine === 'auto' ? [auto.engine] : [o.engine];
  const compiled = new Map<'js' | 'wasm', CorsPolicy>();
  const engines: { engine: 'js' | 'wasm'; available: boolean; error: string | null }[] = [];
  for (const engine of wanted) {
    const { policy, error } = compileWith(init, engine);
    engines.push({ engine, available: policy !== null, error });
    if (policy !== null) compiled.set(engine, policy);
    else if (o.engine !== 'all') {
      throw new EnvironmentError(`engine ${engine} is not available here: ${error}`);
    }
  }

  // Inputs, checked before timing: generated ones must get the verdict they were made for.
  const reference = compiled.get('js') ?? (compiled.values().next().value as CorsPolicy);
  const { allowed, denied } =
    o.policyFile === null
      ? { allowed: benchOrigins(o.shape, o.size, INPUT_COUNT, true), denied: benchOrigins(o.shape, o.size, INPUT_COUNT, false) }
      : inputsFromPolicy(init, reference);
  for (const [kind, list, want] of [['allowed', allowed, true], ['denied', denied, false]] as const) {
    for (const [a, b] of list) {
      for (const [engine, policy] of compiled) {
        const got = policy.isOriginAllowed(a + b);
        if (got !== want) {
          io.stderr.write(`corset bench: ${engine} engine: isOriginAllowed(${JSON.stringify(a + b)}): got ${got}; want ${want} (a ${kind} input)\n`);
          return 1;
        }
      }
    }
  }
  const floorSet = new Set(allowed.map(([a, b]) => a + b));

  type Plan = { name: string; engine: BenchRow['engine']; op: Timed };
  const plans: Plan[] = [];
  if (allowed.length > 0) {
    plans.push({ name: 'Set.has, allowed origin (floor)', engine: 'floor', op: floorOp(floorSet, allowed) });
    plans.push({ name: 'fresh string alone (in every row)', engine: 'input', op: freshStringOp(allowed) });
  }
  for (const [engine, policy] of compiled) {
    if (allowed.length > 0) plans.push({ name: 'isOriginAllowed, allowed origin', engine, op: isOriginAllowedOp(policy, allowed) });
    if (denied.length > 0) plans.push({ name: 'isOriginAllowed, denied origin', engine, op: isOriginAllowedOp(policy, denied) });
    if (allowed.length > 0) plans.push({ name: 'decide, allowed GET', engine, op: decideOp(policy, allowed, false) });
    if (allowed.length > 0) plans.push({ name: 'decide, allowed preflight', engine, op: decideOp(policy, allowed, true) });
    if (denied.length > 0) plans.push({ name: 'decide, denied GET', engine, op: decideOp(policy, denied, false) });
  }

  const progress = progressLine(io, plans.length);
  const timings = new Map<Plan, Timing>();
  for (const plan of plans) {
    progress.step(`${plan.name}${plan.engine === 'floor' || plan.engine === 'input' ? '' : ` (${plan.engine})`}`);
    timings.set(plan, timeOperation(plan.op, o.timeMs));
    await new Promise<void>((resolve) => setImmediate(resolve)); // let the progress line out
  }
  progress.done();

  const floorNs = [...timings].find(([p]) => p.engine === 'floor')?.[1].nsPerOp ?? NaN;
  const rows: BenchRow[] = plans.map((plan) => {
    const t = timings.get(plan) as Timing;
    const js = plan.engine === 'wasm' ? plans.find((p) => p.engine === 'js' && p.name === plan.name) : undefined;
    const jsNs = js === undefined ? null : (timings.get(js) as Timing).nsPerOp;
    return {
      name: plan.name,
      engine: plan.engine,
      nsPerOp: t.nsPerOp,
      opsPerSec: 1e9 / t.nsPerOp,
      vsFloor: t.nsPerOp / floorNs,
      vsJs: jsNs === null ? null : t.nsPerOp / jsNs,
      samples: t.samples,
      batch: t.batch,
    };
  });
  const rules = Array.isArray(init.origins) ? init.origins.length : 0;
  const result: BenchResult = {
    machine: describeMachine(),
    policy: { source: o.policyFile ?? 'generated', shape: o.policyFile === null ? o.shape : null, rules },
    timeMs: o.timeMs,
    autoPicks: auto.engine,
    engines,
    inputs: { allowed: allowed.length === 0 ? 0 : floorSet.size, denied: new Set(denied.map(([a, b]) => a + b)).size },
    rows,
  };
  io.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/** 12.3 M, 456 k, 789. */
export function formatRate(opsPerSec: number): string {
  if (!Number.isFinite(opsPerSec)) return '-';
  if (opsPerSec >= 1e6) return `${(opsPerSec / 1e6).toFixed(1)} M`;
  if (opsPerSec >= 1e3) return `${(opsPerSec / 1e3).toFixed(1)} k`;
  return opsPerSec.toFixed(0);
}

function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  return ns >= 100 ? ns.toFixed(0) : ns.toFixed(1);
}

function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '-';
  return `${r.toFixed(2)}x`;
}

export function formatResult(r: BenchResult): string {
  const lines: string[] = [];
  const policy = r.policy.shape === null ? r.policy.source : `generated, ${r.policy.shape}`;
  lines.push(`corset bench: ${r.policy.rules} rule(s) (${policy}), ${r.timeMs} ms per row`);
  lines.push(`machine: ${formatMachine(r.machine)}`);
  lines.push(`inputs:  ${r.inputs.allowed} distinct allowed and ${r.inputs.denied} distinct denied origins, each a fresh string per call`);
  for (const e of r.engines) if (!e.available) lines.push(`engine ${e.engine}: unavailable (${e.error})`);
  lines.push(`engine 'auto' picks ${r.autoPicks} for this policy`);
  lines.push('');
  const header = ['row', 'engine', 'ops/s', 'ns/op', 'x floor', 'x js'];
  const table = r.rows.map((row) => [
    row.name,
    row.engine === 'floor' || row.engine === 'input' ? '-' : row.engine,
    formatRate(row.opsPerSec),
    formatNs(row.nsPerOp),
    formatRatio(row.vsFloor),
    formatRatio(row.vsJs),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((t) => (t[c] as string).length)));
  const fmt = (cells: string[]) => cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ');
  lines.push(fmt(header));
  lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) lines.push(fmt(t));
  lines.push('');
  lines.push('Medians over samples. x floor: times a bare Set.has on the same fresh strings (building them, the');
  lines.push("'fresh string alone' row, is in every row). x js: times the js engine on the same row.");
  return `${lines.join('\n')}\n`;
}

/** Keeps the timing loops' results observable (nothing reads it). */
export function benchBlackhole(): number {
  return blackhole + flatZero;
}
