// Running the grid: for each policy shape and size, set every contender up once, then for each
// request class check every contender's verdict and time them together (one tinybench run per
// cell, so the ratios within a cell come from one stretch of time on the machine).
import type { BenchShape } from '../../src/cli/bench.js';
import { closeCase, CONTENDERS, setupCase, Unavailable, type Contender, type Runner } from './contenders.js';
import { measureRunners } from './measure.js';
import type { GridRow } from './report.js';
import { CLASS_LABELS, expectedVerdict, requestsFor, type BenchRequest, type RequestClass } from './requests.js';

export interface GridOptions {
  readonly shapes: readonly BenchShape[];
  readonly sizes: readonly number[];
  readonly classes: readonly RequestClass[];
  /** Contender ids to run; all when absent. */
  readonly contenders?: readonly string[];
  /** Per contender per cell (tinybench `time`), ms. */
  readonly timeMs: number;
  readonly warmupMs: number;
  /**
   * Times each cell is measured; each contender keeps its fastest median. On a shared machine
   * noise only ever slows a measurement down, so the least disturbed round is the best estimate.
   * Default 1.
   */
  readonly rounds?: number;
  /** Called with a line of progress after each cell. */
  readonly log: (line: string) => void;
}

/** Requests whose verdict is checked before timing: every 32nd (all of them agree in kind). */
const CHECK_STRIDE = 32;

async function checkVerdicts(c: Contender, runner: Runner, requests: readonly BenchRequest[], cls: RequestClass, where: string): Promise<void> {
  const want = c.side === 'mock' ? true : c.side === 'floor' ? expectedVerdict(cls, 'corset') : expectedVerdict(cls, c.side);
  for (let k = 0; k < requests.length; k += CHECK_STRIDE) {
    const r = requests[k] as BenchRequest;
    const got = await runner.verdict(r);
    if (got !== want) {
      const origin = r.origin[0] + r.origin[1];
      const shown = origin.length > 80 ? `${origin.slice(0, 60)}... (${origin.length} chars)` : origin;
      throw new Error(`${where}: ${c.id}(${r.method} from ${shown}): got allowed=${got}; want ${want} (${CLASS_LABELS[cls]})`);
    }
  }
}

export async function runGrid(o: GridOptions): Promise<GridRow[]> {
  const rows: GridRow[] = [];
  const chosen = CONTENDERS.filter((c) => o.contenders === undefined || o.contenders.includes(c.id));
  const mocksDone = new Set<RequestClass>();
  for (const shape of o.shapes) {
    for (const n of o.sizes) {
      const allowed = requestsFor(shape, n, 'get-allowed').map((r) => r.origin[0] + r.origin[1]);
      const setup = await setupCase(shape, n, allowed);
      try {
        for (const cls of o.classes) {
          const requests = requestsFor(shape, n, cls);
          const where = `${shape} n=${n} ${cls}`;
          const runners = new Map<string, Runner>();
          const meta = new Map<string, Contender>();
          for (const c of chosen) {
            if (c.classes !== undefined && !c.classes.includes(cls)) continue;
            if (c.policyFree === true && mocksDone.has(cls)) continue;
            let runner: Runner;
            try {
              runner = c.make(setup, requests);
            } catch (err) {
              if (!(err instanceof Unavailable)) throw err;
              rows.push({ shape, n, cls, contender: c.id, label: c.label, side: c.side, nsPerOp: null, samples: 0, batch: 0, rme: 0, unavailable: err.message });
              continue;
            }
            await checkVerdicts(c, runner, requests, cls, where);
            runners.set(c.id, runner);
            meta.set(c.id, c);
          }
          mocksDone.add(cls);
          const measured = await measureRunners(runners, { timeMs: o.timeMs, warmupMs: o.warmupMs });
          for (let round = 1; round < (o.rounds ?? 1); round++) {
            // Odd rounds run the contenders in reverse order: no one is always first after setup.
            const order = round % 2 === 1 ? new Map([...runners].reverse()) : runners;
            for (const [id, m] of await measureRunners(order, { timeMs: o.timeMs, warmupMs: o.warmupMs })) {
              const best = measured.get(id);
              if (best === undefined || m.nsPerOp < best.nsPerOp) measured.set(id, m);
            }
          }
          for (const [id, m] of measured) {
            const c = meta.get(id) as Contender;
            rows.push({ shape, n, cls, contender: id, label: c.label, side: c.side, nsPerOp: m.nsPerOp, samples: m.samples, batch: m.batch, rme: m.rme });
          }
          const heapMiB = (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0);
          o.log(`  ${where}: ${[...measured].map(([id, m]) => `${id} ${m.nsPerOp < 1000 ? m.nsPerOp.toFixed(0) : (m.nsPerOp / 1000).toFixed(1) + 'k'}`).join(', ')} (ns; heap ${heapMiB} MiB)`);
        }
      } finally {
        await closeCase(setup);
      }
    }
  }
  return rows;
}
