// The miss-vs-hit rows of bench:guard: against 100 000 wildcard or glob rules, a miss must cost
// about what a hit costs (the tables answer both in one pass over the origin; a miss that fell
// back to trying rule after rule would cost n times more). bench/engine-match.ts in a child,
// both engines, one origin at a time. Target: a miss within 2x of a hit; guarded at 4x.
import { runBenchChild } from './bench-child.js';

const GUARD_SIZE = 100_000;
const TARGET = 2;
const GUARD = 4;

interface EngineRow {
  shape: string;
  n: number;
  input: 'hit' | 'miss';
  js: number;
  wasm: number;
}

/** Runs the rows and prints one line each; returns how many failed. */
export function runMissGuard(root: string): number {
  const out = runBenchChild<{ rows: EngineRow[] }>(root, 'engine miss/hit benchmark', 'engine-match.ts', ['--n', String(GUARD_SIZE), '--shape', 'wildcard,glob', '--class', 'hit,miss', '--time', '80', '--json']);
  if (out === null) return 1;
  const rows = out.rows;
  let failed = 0;
  for (const shape of ['wildcard', 'glob']) {
    const hit = rows.find((r) => r.shape === shape && r.input === 'hit');
    const miss = rows.find((r) => r.shape === shape && r.input === 'miss');
    for (const engine of ['js', 'wasm'] as const) {
      const ratio = hit === undefined || miss === undefined ? null : miss[engine] / hit[engine];
      const ok = ratio !== null && ratio <= GUARD;
      if (!ok) failed++;
      const detail = ratio === null ? 'not measured' : `${ratio.toFixed(2)}x  [${engine}: miss ${miss?.[engine].toFixed(0)} ns / hit ${hit?.[engine].toFixed(0)} ns]`;
      process.stdout.write(`${ok ? 'pass' : 'FAIL'} ${engine} engine, ${GUARD_SIZE} ${shape} rules: a miss / a hit, at most ${GUARD}x (target ${TARGET}x): ${detail}\n`);
    }
  }
  return failed;
}
