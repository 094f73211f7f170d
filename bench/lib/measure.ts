// Timing with tinybench: each contender's runner is called with a batch of requests per sample,
// the batch sized so that a sample lasts about TARGET_SAMPLE_NS (the timer's own cost and
// tinybench's bookkeeping then stay under a few percent even for a 50 ns operation), and the
// figure kept is the median sample divided by the batch.
import { Bench } from 'tinybench';
import type { Runner } from './contenders.js';

export interface Measured {
  /** Median nanoseconds per request. */
  readonly nsPerOp: number;
  /** tinybench samples taken (each one batch). */
  readonly samples: number;
  readonly batch: number;
  /** Relative margin of error of the mean (%), as tinybench reports it. */
  readonly rme: number;
}

export interface MeasureOptions {
  /** Time budget per contender, in milliseconds (tinybench `time`). */
  readonly timeMs: number;
  /** Warm-up per contender, in milliseconds. */
  readonly warmupMs: number;
}

const TARGET_SAMPLE_NS = 100_000;
const MAX_BATCH = 4096;

let sink = 0;

/** How long calibration runs a contender before sizing its batch. */
const CALIBRATION_MS = 15;

/**
 * Calls needed for one sample of at least TARGET_SAMPLE_NS: a power of two from 1 to MAX_BATCH.
 * The contender runs for CALIBRATION_MS first, in growing batches, and the batch is sized from the
 * fastest time per call seen: the first calls run before the JIT has compiled anything, and a
 * batch sized from them would be far too short once it has.
 */
async function calibrate(runner: Runner): Promise<number> {
  const end = performance.now() + CALIBRATION_MS;
  let batch = 1;
  let perCall = Infinity;
  for (;;) {
    const t0 = process.hrtime.bigint();
    sink += await runner.run(batch);
    const ns = Number(process.hrtime.bigint() - t0);
    perCall = Math.min(perCall, ns / batch);
    if (ns < TARGET_SAMPLE_NS && batch < MAX_BATCH) batch *= 2;
    if (performance.now() >= end) break;
  }
  let sized = 1;
  while (sized < MAX_BATCH && sized * perCall < TARGET_SAMPLE_NS) sized *= 2;
  return sized;
}

/** Time every runner of one grid cell in one tinybench run; names are the map's keys. */
export async function measureRunners(runners: ReadonlyMap<string, Runner>, o: MeasureOptions): Promise<Map<string, Measured>> {
  const bench = new Bench({
    time: o.timeMs,
    warmupTime: o.warmupMs,
    // Few minimum iterations: a RegExp list against an 8 KB origin takes ~100 ms per call.
    iterations: 5,
    warmupIterations: 2,
    throws: true,
  });
  const batches = new Map<string, number>();
  for (const [name, runner] of runners) {
    const batch = await calibrate(runner);
    batches.set(name, batch);
    if (runner.async) {
      bench.add(name, async () => {
        sink += await runner.run(batch);
      });
    } else {
      bench.add(name, () => {
        sink += runner.run(batch) as number;
      });
    }
  }
  await bench.run();
  const out = new Map<string, Measured>();
  for (const [name, batch] of batches) {
    const result = bench.getTask(name)?.result;
    if (result === undefined || !('latency' in result)) throw new Error(`tinybench: task ${name} did not complete`);
    out.set(name, {
      nsPerOp: (result.latency.p50 * 1e6) / batch,
      samples: result.latency.samplesCount,
      batch,
      rme: result.latency.rme,
    });
  }
  return out;
}

/** Keeps the measured results observable. */
export function measureSink(): number {
  return sink;
}
