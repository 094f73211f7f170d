// isOriginAllowed and decide() on an exact list against the floor (Set.has of the list on the same
// fresh strings), hits and misses (256 distinct origins each), in CPU time, interleaved rounds.
// Target: both within 1.3x of the floor, hits and misses, at every n up to 1 000 000.
//   node scripts/run-ts.mjs bench/suite/exact-floor.ts [n] [--json]
// One size per process: in one process the sizes measured later run on a heap and on code the
// earlier ones shaped, and read slower.
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { benchOrigins, freshString, generatePolicy } from '../../src/cli/bench.js';
import { measure, report } from '../lib/cpu-measure.js';

export interface ExactFloorRow {
  readonly n: number;
  readonly input: 'hit' | 'miss';
  /** ns per call, minimum of the interleaved rounds. */
  readonly floor: number;
  readonly isOriginAllowed: number;
  readonly decide: number;
}

function rowsFor(n: number): ExactFloorRow[] {
  const init = generatePolicy('exact', n);
  const policy = compilePolicy(init);
  const hits = benchOrigins('exact', n, 256, true);
  const misses = benchOrigins('exact', n, 256, false);
  const set = new Set(init.origins as string[]);
  const req = { method: 'GET', origin: '' as string | null, requestMethod: null, requestHeaders: null, requestPrivateNetwork: false, url: undefined };
  for (const [a, b] of hits) if (!policy.isOriginAllowed(a + b) || !set.has(a + b)) throw new Error('hit ' + a + b);
  for (const [a, b] of misses) if (policy.isOriginAllowed(a + b) || set.has(a + b)) throw new Error('miss ' + a + b);
  const rows: ExactFloorRow[] = [];
  for (const [input, inputs] of [['hit', hits], ['miss', misses]] as const) {
    const best = measure({
      floor: () => { let k = 0; for (const [x, y] of inputs) if (set.has(freshString(x, y))) k++; return k; },
      isOriginAllowed: () => { let k = 0; for (const [x, y] of inputs) if (policy.isOriginAllowed(freshString(x, y))) k++; return k; },
      decide: () => { let k = 0; for (const [x, y] of inputs) { req.origin = freshString(x, y); if (policy.decide(req).allowed) k++; } return k; },
    }, inputs.length, 15, 20);
    rows.push({ n, input, floor: best.floor!, isOriginAllowed: best.isOriginAllowed!, decide: best.decide! });
    if (!process.argv.includes('--json')) console.log(`n=${n} ${input}: ${report(best, 'floor')}`);
  }
  return rows;
}

const args = process.argv.slice(2).filter((a) => a !== '--json');
const n = Number(args[0] ?? 1);
if (args.length > 1 || !Number.isInteger(n) || n < 1) throw new Error(`exact-floor: one list size, a positive integer, got ${JSON.stringify(args)}`);
const rows = rowsFor(n);
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ rows }) + '\n');
