// The command line of the breakdown benchmarks (bench/suite/breakdown*.ts): which policy shape,
// its size, and tinybench's time per row.
import { BENCH_SHAPES, type BenchShape } from '../../src/cli/bench.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** `--shape` (default exact), `--n` (default 1), `--time` in ms (default 300). */
export function breakdownArgs(): { shape: BenchShape; n: number; time: number } {
  const shape = flag('shape', 'exact') as BenchShape;
  if (!BENCH_SHAPES.includes(shape)) throw new Error(`--shape: one of ${BENCH_SHAPES.join(', ')}`);
  return { shape, n: Number(flag('n', '1')), time: Number(flag('time', '300')) };
}
