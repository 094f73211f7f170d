// isOriginAllowed and decide() on an exact list against the floor (Set.has of the list on the same
// fresh strings), hits and misses (256 distinct origins each), in CPU time, interleaved rounds.
//   node scripts/run-ts.mjs bench/suite/exact-floor.ts [n]
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { benchOrigins, freshString, generatePolicy } from '../../src/cli/bench.js';
import { measure, report } from '../lib/cpu-measure.js';
const n = Number(process.argv[2] ?? 1);
const init = generatePolicy('exact', n);
const policy = compilePolicy(init);
const hits = benchOrigins('exact', n, 256, true);
const misses = benchOrigins('exact', n, 256, false);
const set = new Set((init.origins as string[]));
const req = { method: 'GET', origin: '' as string | null, requestMethod: null, requestHeaders: null, requestPrivateNetwork: false, url: undefined };
for (const [a, b] of hits) if (!policy.isOriginAllowed(a + b) || !set.has(a + b)) throw new Error('hit ' + a + b);
for (const [a, b] of misses) if (policy.isOriginAllowed(a + b) || set.has(a + b)) throw new Error('miss ' + a + b);
for (const [name, inputs] of [['hit', hits], ['miss', misses]] as const) {
  const best = measure({
    floor: () => { let k = 0; for (const [x, y] of inputs) if (set.has(freshString(x, y))) k++; return k; },
    isOriginAllowed: () => { let k = 0; for (const [x, y] of inputs) if (policy.isOriginAllowed(freshString(x, y))) k++; return k; },
    decide: () => { let k = 0; for (const [x, y] of inputs) { req.origin = freshString(x, y); if (policy.decide(req).allowed) k++; } return k; },
  }, inputs.length, 15, 20);
  console.log(`n=${n} ${name}: ${report(best, 'floor')}`);
}
