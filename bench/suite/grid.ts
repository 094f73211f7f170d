// npm run bench: corset against the CORS middlewares people use today, in one process, with the
// same requests (issue 6, "The suite"). The grid: policy size n = 1 ... 10 000, of exact,
// wildcard, glob and mixed origins, x actual / preflight x allowed / denied, plus a hostile
// 1 MB `Access-Control-Request-Headers` and a hostile 8 KB `Origin`. Baselines measured in the
// same run: a bare `Set.has` (the floor), corset's engines, decide() alone, the mocks alone, and
// Hono's app.fetch and fastify.inject on routes without CORS.
//
//   npm run bench
//   npm run bench -- --shape exact,wildcard --n 1,10000 --class get-allowed --time 200
//   npm run bench -- --contender floor,decide,corset-node,express-cors --no-write
//   npm run bench -- --rounds 3      each cell measured 3 times, each contender's fastest median kept
//
// Prints one table per (shape, n) and the targets; writes bench/results/grid.json and grid.md
// (unless --no-write). Figures are tinybench medians; ratios are within this run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_SHAPES, describeMachine, formatMachine, type BenchShape } from '../../src/cli/bench.js';
import { CONTENDERS } from '../lib/contenders.js';
import { runGrid } from '../lib/grid.js';
import { evaluateTargets, formatTarget, GridIndex, gridTables, renderConsole, renderMarkdown, type GridRow, type TargetCheck } from '../lib/report.js';
import { REQUEST_CLASSES, type RequestClass } from '../lib/requests.js';

const SIZES = [1, 10, 100, 1000, 10_000];

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`--${name} needs a value`);
  return v;
}

function list<T extends string>(name: string, all: readonly T[]): T[] {
  const v = flag(name);
  if (v === undefined) return [...all];
  const out = v.split(',') as T[];
  for (const x of out) if (!all.includes(x)) throw new Error(`--${name}: ${JSON.stringify(x)} is not one of ${all.join(', ')}`);
  return out;
}

const shapes = list<BenchShape>('shape', BENCH_SHAPES);
const classes = list<RequestClass>('class', REQUEST_CLASSES);
const contenders = list<string>('contender', CONTENDERS.map((c) => c.id));
const sizes = (flag('n') ?? SIZES.join(',')).split(',').map((s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`--n: ${JSON.stringify(s)} is not a size from 1 to 100000`);
  return n;
});
const timeMs = Number(flag('time') ?? 100);
const rounds = Number(flag('rounds') ?? 1);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: want a whole number from 1');
const write = !process.argv.includes('--no-write');
const outDir = flag('out') ?? path.join(process.cwd(), 'bench', 'results');

const machine = describeMachine();
const started = new Date();
process.stdout.write(`corset benchmark grid: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`);
process.stdout.write(`shapes ${shapes.join(', ')}; n ${sizes.join(', ')}; ${timeMs} ms per contender per cell${rounds > 1 ? `, best of ${rounds} rounds` : ''}\n`);

const rows = await runGrid({
  shapes,
  sizes,
  classes,
  contenders,
  timeMs,
  warmupMs: Math.max(30, timeMs / 3),
  rounds,
  log: (line) => process.stdout.write(`${line}\n`),
});
const index = new GridIndex(rows);
const tables = gridTables(index, shapes, sizes, classes);
const targets: TargetCheck[] = evaluateTargets(index);

const legend =
  'Medians per request (tinybench). In parentheses: for corset, the floor and the mocks, times the floor ' +
  '(a bare Set.has on the same fresh strings); for a peer, times its corset counterpart on the same mock or ' +
  'framework (cors and @koa/cors: corset-cors/node; hono/cors: corset-cors/hono; @fastify/cors: corset-cors/fastify; for the ' +
  'two frameworks also "net", both after subtracting the same framework on routes without CORS: Hono app.fetch, fastify.inject). ' +
  'Mock rows are measured once per request class.';

const unavailable = [...new Set(rows.flatMap((r) => (r.unavailable === undefined ? [] : [`${r.label}: ${r.unavailable}`])))];
const notes = unavailable.length === 0 ? '' : `\nn/a: ${unavailable.join('; ')}\n`;
process.stdout.write(`\n${tables.map(renderConsole).join('\n\n')}\n${notes}\n${legend}\n\nTargets (issue 6):\n`);
for (const t of targets) process.stdout.write(`  ${formatTarget(t)}\n`);
process.stdout.write(`\nmachine: ${formatMachine(machine)}\n`);

if (write) {
  mkdirSync(outDir, { recursive: true });
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');
  writeFileSync(
    path.join(outDir, 'grid.json'),
    gridJson({ machine, date: started.toISOString(), command, options: { shapes, sizes, classes, contenders, timeMs, rounds }, targets }, rows),
  );
  const md = [
    '# corset benchmark grid',
    '',
    `Machine: ${formatMachine(machine)}. Run ${started.toISOString()} with \`${command}\`.`,
    '',
    legend,
    '',
    '## Targets',
    '',
    ...targets.map((t) => `- ${formatTarget(t).replace(/^(\S+)\s+/, '**$1** ')}`),
    '',
    '## Grid',
    '',
    tables.map(renderMarkdown).join('\n\n'),
    notes,
  ].join('\n');
  writeFileSync(path.join(outDir, 'grid.md'), md);
  process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(outDir, 'grid.json'))} and grid.md\n`);
}

/**
 * The result as JSON, compact enough to commit: contender labels once, then one row per line
 * (`nsPerOp` to 0.1 ns, `rme` to 0.1 %).
 */
function gridJson(head: Record<string, unknown>, rows: readonly GridRow[]): string {
  const labels = Object.fromEntries(CONTENDERS.map((c) => [c.id, { label: c.label, side: c.side }]));
  const lines = rows.map((r) =>
    JSON.stringify({
      shape: r.shape,
      n: r.n,
      cls: r.cls,
      contender: r.contender,
      nsPerOp: r.nsPerOp === null ? null : Math.round(r.nsPerOp * 10) / 10,
      samples: r.samples,
      batch: r.batch,
      rme: Math.round(r.rme * 10) / 10,
      ...(r.unavailable === undefined ? {} : { unavailable: r.unavailable }),
    }),
  );
  const top = JSON.stringify({ ...head, contenders: labels }, null, 2).replace(/\n}$/, '');
  return `${top},\n  "rows": [\n    ${lines.join(',\n    ')}\n  ]\n}\n`;
}
