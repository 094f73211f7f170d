// The exact-list rows of bench:guard: isOriginAllowed and decide() against the Set.has floor on a
// list of exact origins, hits and misses, at n = 1 000 and 1 000 000 (bench/suite/exact-floor.ts,
// one child per size). Target 1.3x; guarded at 2x.
import { runBenchChild } from './bench-child.js';
import type { ExactFloorRow } from '../suite/exact-floor.js';

const SIZES = [1_000, 1_000_000];
const TARGET = 1.3;
const GUARD = 2;

/** Runs the rows and prints one line each; returns how many failed. */
export function runExactFloorGuard(root: string): number {
  const rows: ExactFloorRow[] = [];
  for (const n of SIZES) {
    // One child per size (see bench/suite/exact-floor.ts).
    const out = runBenchChild<{ rows: ExactFloorRow[] }>(root, `exact-list floor benchmark (n=${n})`, 'suite/exact-floor.ts', [String(n), '--json']);
    if (out === null) return 1;
    rows.push(...out.rows);
  }
  let failed = 0;
  for (const n of SIZES) {
    for (const input of ['hit', 'miss'] as const) {
      const row = rows.find((r) => r.n === n && r.input === input);
      for (const op of ['isOriginAllowed', 'decide'] as const) {
        const ratio = row === undefined ? null : row[op] / row.floor;
        const ok = ratio !== null && ratio <= GUARD;
        if (!ok) failed++;
        const detail = row === undefined || ratio === null ? 'not measured' : `${ratio.toFixed(2)}x  [${row[op].toFixed(0)} ns / floor ${row.floor.toFixed(0)} ns]`;
        process.stdout.write(`${ok ? 'pass' : 'FAIL'} ${op}, exact n=${n}, ${input}: times the Set.has floor, at most ${GUARD}x (target ${TARGET}x): ${detail}\n`);
      }
    }
  }
  return failed;
}
