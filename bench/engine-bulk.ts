// Benchmark of the bulk bytes path (tinybench): origins as LF-separated bytes, as they sit in a
// file, matched without a JS string per origin, against calling the compiled policy's
// isOriginAllowed line by line (on strings already split, and decoding each line first), in the
// same run. Targets (issue 3): the bulk path at least 2x the line-by-line rate, and over
// 10 million origins per second on one core for a 1 000-rule wildcard policy.
//
//   npm run bench:bulk [-- --n 1000 --shape wildcard --lines 1000000 --time 2000]
import { Bench } from 'tinybench';
import { createLineMatcher } from '../src/engine/bulk.js';
import { compilePolicy } from '../src/compile/compile-policy.js';
import { benchInputs, benchRules, type BenchShape } from './engine-policies.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const n = Number(arg('n') ?? 1000);
const shapes = (arg('shape') ?? 'wildcard,glob,exact,port').split(',') as BenchShape[];
const lineCount = Number(arg('lines') ?? 1_000_000);
const time = Number(arg('time') ?? 2000);

/** A log of `lineCount` origins: half hits, a quarter misses, a quarter look-alikes. */
function makeLog(shape: BenchShape): { bytes: Uint8Array; lines: string[] } {
  const hit = benchInputs(shape, n, 'hit', 4096);
  const miss = benchInputs(shape, n, 'miss', 2048);
  const look = benchInputs(shape, n, 'look-alike', 2048);
  const lines: string[] = [];
  for (let i = 0; i < lineCount; i++) {
    const pool = i % 4 < 2 ? hit : i % 4 === 2 ? miss : look;
    const [a, b] = pool[(i * 31) % pool.length] as [string, string];
    lines.push(a + b);
  }
  return { bytes: new TextEncoder().encode(`${lines.join('\n')}\n`), lines };
}

const decoder = new TextDecoder('latin1');

for (const shape of shapes) {
  const rules = benchRules(shape, n);
  const init = { origins: rules.map((r) => r.source) };
  const policy = compilePolicy(init);
  const wasm = createLineMatcher(rules, 'wasm');
  const js = createLineMatcher(rules, 'js');
  const { bytes, lines } = makeLog(shape);
  const verdicts = new Int32Array(1 << 16);
  const starts = new Int32Array(1 << 16);

  const bulk = (m: ReturnType<typeof createLineMatcher>) => (): number => {
    let allowed = 0;
    let pos = 0;
    while (pos < bytes.length) {
      const r = m.matchLines(bytes.subarray(pos), true, verdicts, starts);
      for (let k = 0; k < r.lines; k++) if ((verdicts[k] as number) >= 0) allowed++;
      pos += r.consumed;
    }
    return allowed;
  };
  const lineByLine = (): number => {
    let allowed = 0;
    for (let i = 0; i < lines.length; i++) if (policy.isOriginAllowed(lines[i] as string)) allowed++;
    return allowed;
  };
  const decodeAndCall = (): number => {
    let allowed = 0;
    let pos = 0;
    while (pos < bytes.length) {
      const end = bytes.indexOf(0x0a, pos);
      if (policy.isOriginAllowed(decoder.decode(bytes.subarray(pos, end)))) allowed++;
      pos = end + 1;
    }
    return allowed;
  };

  // Check before timing: every path allows the same number of origins (the hits).
  const want = lineByLine();
  for (const [name, fn] of [['wasm bulk', bulk(wasm)], ['js bulk', bulk(js)], ['decode + isOriginAllowed', decodeAndCall]] as const) {
    const got = fn();
    if (got !== want) throw new Error(`${shape}: ${name}: allowed ${got}; want ${want}`);
  }

  const bench = new Bench({ time, iterations: 3, warmup: true });
  bench
    .add('wasm bulk (bytes)', bulk(wasm))
    .add('js bulk (bytes)', bulk(js))
    .add(`isOriginAllowed per line (${policy.engine}, strings)`, lineByLine)
    .add(`decode + isOriginAllowed per line (${policy.engine})`, decodeAndCall);
  await bench.run();
  const rate = (name: string): number => {
    const r = bench.getTask(name)?.result;
    if (r === undefined || !('latency' in r)) throw new Error(`task ${name} did not complete`);
    return lineCount / (r.latency.p50 / 1000);
  };
  const base = rate(`isOriginAllowed per line (${policy.engine}, strings)`);
  process.stdout.write(`${shape} n=${n}, ${lineCount} lines (${(bytes.length / 1e6).toFixed(1)} MB), ${want} allowed\n`);
  for (const task of bench.tasks) {
    const r = rate(task.name);
    process.stdout.write(`  ${task.name.padEnd(48)} ${(r / 1e6).toFixed(2).padStart(7)} M origins/s  ${(r / base).toFixed(2)}x per-line strings\n`);
  }
}
