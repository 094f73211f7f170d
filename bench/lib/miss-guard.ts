// The miss-vs-hit rows of bench:guard: against 100 000 wildcard or glob rules, a miss must cost
// about what a hit costs (the tables answer both in one pass over the origin; a miss that fell
// back to trying rule after rule would cost n times more). bench/engine-match.ts in a child,
// both engines, one origin at a time. Target: a miss within 2x of a hit; guarded at 4x.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

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
  const child = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'run-ts.mjs'), path.join(root, 'bench', 'engine-match.ts'), '--n', String(GUARD_SIZE), '--shape', 'wildcard,glob', '--class', 'hit,miss', '--time', '80', '--json'],
    { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  if (child.status !== 0) {
    process.stdout.write(`FAIL engine miss/hit benchmark did not run (exit ${child.status}):\n${child.stderr}\n`);
    return 1;
  }
  const rows = (JSON.parse(child.stdout) as { rows: EngineRow[] }).rows;
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
