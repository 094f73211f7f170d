// Benchmark of the origin matchers (tinybench): for each policy shape and size, each input class,
// a bare `Set.has` on the same freshly built strings (the baseline, in the same run), the
// TypeScript engine and the WebAssembly engine, one origin per call and in batches.
//
//   npm run bench:engine                      all shapes, n = 1, 100, 10 000, 100 000
//   npm run bench:engine -- --n 10000 --shape wildcard,glob --time 300 --json
//
// Every answer is checked before timing. Figures are ns per origin (tinybench median of samples
// of BATCH lookups each).
import { Bench } from 'tinybench';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import type { OriginMatcher } from '../src/policy/rules.js';
import { BENCH_SHAPES, benchInputs, benchRules, expectedAllowed, INPUT_CLASSES, type BenchShape, type InputClass } from './engine-policies.js';
import { freshString } from '../src/cli/bench.js';

const BATCH = 1024;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sizes = (arg('n') ?? '1,100,10000,100000').split(',').map(Number);
const shapes = (arg('shape') ?? BENCH_SHAPES.join(',')).split(',') as BenchShape[];
const classes = (arg('class') ?? INPUT_CLASSES.join(',')).split(',') as InputClass[];
const time = Number(arg('time') ?? 250);
const asJson = process.argv.includes('--json');

interface Row {
  shape: BenchShape;
  n: number;
  input: InputClass;
  /** ns per origin */
  setHas: number;
  js: number;
  wasm: number;
  jsBatch: number;
  wasmBatch: number;
}

/** Check every answer before timing: the class's expected verdict, and both engines agreeing. */
function check(name: string, matchers: Record<string, OriginMatcher>, inputs: [string, string][], want: boolean): void {
  for (const [a, b] of inputs) {
    const origin = a + b;
    for (const [engine, m] of Object.entries(matchers)) {
      const got = m.match(origin) >= 0;
      if (got !== want) throw new Error(`${name}: ${engine}.match(${origin}): got ${got}; want ${want}`);
    }
  }
}

let sink = 0;

async function measure(shape: BenchShape, n: number): Promise<Row[]> {
  const rules = benchRules(shape, n);
  const js = createJsMatcher(rules);
  const wasm = createWasmMatcher(rules);
  const rows: Row[] = [];
  for (const cls of classes) {
    const inputs = benchInputs(shape, n, cls, BATCH);
    check(`${shape} n=${n} ${cls}`, { js, wasm }, inputs, expectedAllowed(cls));
    // The floor: for an exact list, a Set of the list's n origins (what a plain implementation of
    // an exact list keeps, at the same size as corset's map); for the other shapes, a Set of the
    // hit inputs (the cost of one hash lookup on a fresh string).
    const set = new Set(shape === 'exact' ? rules.map((r) => r.source) : benchInputs(shape, n, 'hit', BATCH).map(([a, b]) => a + b));
    const bench = new Bench({ time, warmup: true });
    const single = (m: OriginMatcher) => () => {
      let s = 0;
      for (let k = 0; k < BATCH; k++) {
        const p = inputs[k] as [string, string];
        s += m.match(freshString(p[0], p[1]));
      }
      sink += s;
    };
    const batch = (m: OriginMatcher) => () => {
      const origins: string[] = new Array(BATCH);
      for (let k = 0; k < BATCH; k++) {
        const p = inputs[k] as [string, string];
        origins[k] = freshString(p[0], p[1]);
      }
      sink += m.matchMany(origins)[0] as number;
    };
    bench
      .add('set', () => {
        let s = 0;
        for (let k = 0; k < BATCH; k++) {
          const p = inputs[k] as [string, string];
          if (set.has(freshString(p[0], p[1]))) s++;
        }
        sink += s;
      })
      .add('js', single(js))
      .add('wasm', single(wasm))
      .add('jsBatch', batch(js))
      .add('wasmBatch', batch(wasm));
    await bench.run();
    const ns = (name: string): number => {
      const task = bench.getTask(name);
      const result = task?.result;
      if (result === undefined || !('latency' in result)) throw new Error(`bench task ${name} did not complete`);
      return (result.latency.p50 * 1e6) / BATCH;
    };
    rows.push({ shape, n, input: cls, setHas: ns('set'), js: ns('js'), wasm: ns('wasm'), jsBatch: ns('jsBatch'), wasmBatch: ns('wasmBatch') });
  }
  return rows;
}

const all: Row[] = [];
for (const shape of shapes) {
  for (const n of sizes) {
    const rows = await measure(shape, n);
    all.push(...rows);
    if (!asJson) {
      for (const r of rows) {
        const f = (x: number) => x.toFixed(0).padStart(5);
        const ratio = (x: number) => (x / r.setHas).toFixed(2).padStart(5);
        process.stdout.write(
          `${shape.padEnd(8)} n=${String(n).padEnd(6)} ${r.input.padEnd(10)} ns/origin: set ${f(r.setHas)}  js ${f(r.js)}  wasm ${f(r.wasm)}  js-batch ${f(r.jsBatch)}  wasm-batch ${f(r.wasmBatch)}` +
            ` | vs set: js ${ratio(r.js)} wasm ${ratio(r.wasm)} wasm-batch ${ratio(r.wasmBatch)} | js/wasm ${(r.js / r.wasm).toFixed(2)} batch ${(r.jsBatch / r.wasmBatch).toFixed(2)}\n`,
        );
      }
    }
  }
}
if (asJson) process.stdout.write(`${JSON.stringify({ node: process.version, batch: BATCH, rows: all }, null, 1)}\n`);
if (sink === 0.5) process.stdout.write('');
