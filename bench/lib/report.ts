// Grid results as tables (console and markdown) and the targets as ratio checks, taken
// within one run: never a lone absolute time.
import type { BenchShape } from '../../src/cli/bench.js';
import type { Side } from './contenders.js';
import { CLASS_LABELS, type RequestClass } from './requests.js';

export interface GridRow {
  readonly shape: BenchShape;
  readonly n: number;
  readonly cls: RequestClass;
  readonly contender: string;
  readonly label: string;
  readonly side: Side;
  /** Median ns per request; null when the contender could not run (`unavailable` says why). */
  readonly nsPerOp: number | null;
  readonly samples: number;
  readonly batch: number;
  readonly rme: number;
  readonly unavailable?: string;
}

/** Which corset contender a peer is compared with (the same framework, the same mock). */
export const COUNTERPART: Readonly<Record<string, string>> = {
  'express-cors': 'corset-node',
  'koa-cors': 'corset-node',
  'hono-cors': 'corset-hono',
  'fastify-cors': 'corset-fastify',
};

/** A peer run inside a whole framework, and the same framework's route without CORS. */
export const FRAMEWORK_BASELINE: Readonly<Record<string, string>> = {
  'hono-cors': 'hono-bare',
  'fastify-cors': 'fastify-bare',
};

export class GridIndex {
  private readonly byKey = new Map<string, GridRow>();
  constructor(readonly rows: readonly GridRow[]) {
    for (const r of rows) this.byKey.set(key(r.shape, r.n, r.cls, r.contender), r);
  }
  get(shape: BenchShape, n: number, cls: RequestClass, contender: string): GridRow | undefined {
    return this.byKey.get(key(shape, n, cls, contender));
  }
  /** ns per request, looking up policy-free rows (the mocks) where they were measured. */
  ns(shape: BenchShape, n: number, cls: RequestClass, contender: string): number | null {
    const row = this.get(shape, n, cls, contender) ?? this.rows.find((r) => r.cls === cls && r.contender === contender && r.side === 'mock' && r.nsPerOp !== null);
    return row?.nsPerOp ?? null;
  }
  /** The floor of a cell: Set.has on the cell's allowed origins (else on its denied ones). */
  floor(shape: BenchShape, n: number): number | null {
    return this.ns(shape, n, 'get-allowed', 'floor') ?? this.ns(shape, n, 'get-denied', 'floor');
  }
}

function key(shape: string, n: number, cls: string, contender: string): string {
  return `${shape}|${n}|${cls}|${contender}`;
}

export function formatNs(ns: number | null): string {
  if (ns === null || !Number.isFinite(ns)) return '-';
  if (ns < 100) return `${ns.toFixed(1)} ns`;
  if (ns < 1000) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

export function formatRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '-';
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

/** A net ratio (minus the bare route) is shown only when corset's share is at least this part of the bare route's time. */
const NET_MIN_SHARE = 0.1;

export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly body: readonly (readonly string[])[];
}

/**
 * One table per (shape, n): a row per contender, a column per request class. A corset, floor or
 * mock cell reads `time (x floor)`; a peer cell reads `time (x its corset counterpart)`, and for
 * hono/cors and @fastify/cors also net of the framework (both minus the same framework on routes
 * without CORS, FRAMEWORK_BASELINE).
 */
export function gridTables(index: GridIndex, shapes: readonly BenchShape[], sizes: readonly number[], classes: readonly RequestClass[]): Table[] {
  const tables: Table[] = [];
  for (const shape of shapes) {
    for (const n of sizes) {
      const rows = index.rows.filter((r) => r.shape === shape && r.n === n);
      if (rows.length === 0) continue;
      const contenders: { id: string; label: string; side: Side }[] = [];
      for (const r of index.rows) {
        if (!contenders.some((c) => c.id === r.contender) && (r.side === 'mock' || (r.shape === shape && r.n === n))) {
          contenders.push({ id: r.contender, label: r.label, side: r.side });
        }
      }
      const floor = index.floor(shape, n);
      const body = contenders.map((c) => [
        c.label,
        ...classes.map((cls) => {
          const row = index.get(shape, n, cls, c.id) ?? (c.side === 'mock' ? index.rows.find((r) => r.cls === cls && r.contender === c.id) : undefined);
          if (row === undefined) return '';
          if (row.nsPerOp === null) return 'n/a';
          const ns = row.nsPerOp;
          const counterpart = COUNTERPART[c.id];
          if (counterpart !== undefined) {
            const mine = index.ns(shape, n, cls, counterpart);
            let cell = `${formatNs(ns)} (${formatRatio(mine === null ? null : ns / mine)})`;
            const baseline = FRAMEWORK_BASELINE[c.id];
            if (baseline !== undefined) {
              const bare = index.ns(shape, n, cls, baseline);
              // Net of the framework only where corset's own share stands out of the noise.
              if (bare !== null && mine !== null && mine - bare >= NET_MIN_SHARE * bare) cell += ` net ${formatRatio((ns - bare) / (mine - bare))}`;
            }
            return cell;
          }
          return `${formatNs(ns)} (${formatRatio(floor === null ? null : ns / floor)})`;
        }),
      ]);
      tables.push({ title: `${shape}, n = ${n.toLocaleString('en-US')}`, header: ['contender', ...classes.map((c) => CLASS_LABELS[c])], body });
    }
  }
  return tables;
}

export function renderConsole(t: Table): string {
  const widths = t.header.map((h, c) => Math.max(h.length, ...t.body.map((row) => (row[c] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ');
  return [t.title, line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.body.map(line)].join('\n');
}

export function renderMarkdown(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `### ${t.title}`,
    '',
    `| ${t.header.map(esc).join(' | ')} |`,
    `| ${t.header.map((_, c) => (c === 0 ? '---' : '---:')).join(' | ')} |`,
    ...t.body.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Targets (issue 6, "Targets"): ratios in one run
// ---------------------------------------------------------------------------------------------

export interface TargetCheck {
  readonly id: string;
  readonly description: string;
  /** `>=`: the measured ratio must reach the threshold; `<=`: must not exceed it. */
  readonly want: '>=' | '<=';
  /** The target. */
  readonly target: number;
  /** What `npm run bench:guard` asserts (see TargetSpec.guard). */
  readonly guard: number;
  /** null when the rows it needs were not measured in this run. */
  readonly measured: number | null;
  readonly metTarget: boolean | null;
  readonly passedGuard: boolean | null;
  readonly detail: string;
}

interface TargetSpec {
  readonly id: string;
  readonly description: string;
  readonly want: '>=' | '<=';
  readonly target: number;
  /**
   * The guard's threshold. Half the target (a `>=` target halved, a `<=` one doubled) where corset
   * meets the target, so that noise never fails the guard and a real regression does. Where the
   * target is missed today (see docs/performance.md, "Targets missed, and what bounds them"), the
   * guard cannot assert the target: it holds about half the ratio measured on the reference
   * machine instead, a floor against regressions, and says so (`guardNote`).
   */
  readonly guard: number;
  readonly guardNote?: string;
  /** The ratio and a detail line, or null when not measured. */
  measure(ix: GridIndex): { ratio: number; detail: string } | null;
}

function ratioOf(ix: GridIndex, shape: BenchShape, n: number, cls: RequestClass, num: string, den: string): { ratio: number; detail: string } | null {
  const a = ix.ns(shape, n, cls, num);
  const b = ix.ns(shape, n, cls, den);
  if (a === null || b === null) return null;
  return { ratio: a / b, detail: `${num} ${formatNs(a)} / ${den} ${formatNs(b)} (${shape}, n=${n}, ${CLASS_LABELS[cls]})` };
}

/** The worst ratio over every measured cell of the given shapes (max for `<=`, min for `>=`). */
function worst(
  ix: GridIndex,
  want: '>=' | '<=',
  cells: (shape: BenchShape, n: number) => { ratio: number; detail: string } | null,
): { ratio: number; detail: string } | null {
  let out: { ratio: number; detail: string } | null = null;
  const seen = new Set<string>();
  for (const r of ix.rows) {
    const k = `${r.shape}|${r.n}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const m = cells(r.shape, r.n);
    if (m === null) continue;
    if (out === null || (want === '<=' ? m.ratio > out.ratio : m.ratio < out.ratio)) out = m;
  }
  return out;
}

/**
 * A peer's cost inside its framework over corset's, both net of the framework's routes without
 * CORS (FRAMEWORK_BASELINE). corset's share is floored at 1% of the bare route, so that a share
 * lost in the noise reads as a large ratio, never a negative or infinite one.
 */
function netRatioOf(ix: GridIndex, shape: BenchShape, n: number, cls: RequestClass, peer: string): { ratio: number; detail: string } | null {
  const mine = COUNTERPART[peer];
  const baseline = FRAMEWORK_BASELINE[peer];
  if (mine === undefined || baseline === undefined) throw new Error(`netRatioOf: ${peer} is not a framework peer`);
  const p = ix.ns(shape, n, cls, peer);
  const m = ix.ns(shape, n, cls, mine);
  const b = ix.ns(shape, n, cls, baseline);
  if (p === null || m === null || b === null) return null;
  const ratio = (p - b) / Math.max(m - b, b / 100);
  return { ratio, detail: `${peer} ${formatNs(p)}, ${mine} ${formatNs(m)}, ${baseline} ${formatNs(b)} (${shape}, n=${n}, ${CLASS_LABELS[cls]})` };
}

/** The worse of an allowed GET and an allowed preflight. */
function worseOfGetAndPreflight(
  want: '>=' | '<=',
  cell: (cls: RequestClass) => { ratio: number; detail: string } | null,
): { ratio: number; detail: string } | null {
  const a = cell('get-allowed');
  const b = cell('preflight-allowed');
  if (a === null || b === null) return a ?? b;
  return (want === '>=' ? a.ratio <= b.ratio : a.ratio >= b.ratio) ? a : b;
}

export const TARGETS: readonly TargetSpec[] = [
  {
    id: 'node-get-n1',
    description: 'corset-cors/node allowed GET at n=1: faster than expressjs/cors by',
    want: '>=',
    target: 4,
    guard: 1.6,
    guardNote: 'target missed (measured 2.7-3.4x): guarded against regression',
    measure: (ix) => ratioOf(ix, 'exact', 1, 'get-allowed', 'express-cors', 'corset-node'),
  },
  {
    id: 'node-preflight-n1',
    description: 'corset-cors/node allowed preflight at n=1: faster than expressjs/cors by',
    want: '>=',
    target: 5,
    guard: 2.5,
    measure: (ix) => ratioOf(ix, 'exact', 1, 'preflight-allowed', 'express-cors', 'corset-node'),
  },
  {
    id: 'node-exact-10000',
    description: 'corset-cors/node allowed GET, 10 000 exact origins: faster than expressjs/cors (string array) by',
    want: '>=',
    target: 300,
    guard: 20,
    guardNote: 'target missed (measured 56-97x): guarded against regression',
    measure: (ix) => ratioOf(ix, 'exact', 10_000, 'get-allowed', 'express-cors', 'corset-node'),
  },
  {
    id: 'node-wildcard-10000',
    description: 'corset-cors/node allowed GET, 10 000 wildcard patterns: faster than expressjs/cors (RegExps) by',
    want: '>=',
    target: 10_000,
    guard: 250,
    guardNote: 'target missed (measured 1000-8900x): guarded against regression',
    measure: (ix) => ratioOf(ix, 'wildcard', 10_000, 'get-allowed', 'express-cors', 'corset-node'),
  },
  {
    id: 'decide-vs-floor',
    description: 'policy.decide() allowed GET, every shape and n: times the Set.has floor, at most',
    want: '<=',
    target: 3,
    guard: 6,
    measure: (ix) => worst(ix, '<=', (shape, n) => ratioOf(ix, shape, n, 'get-allowed', 'decide', 'floor')),
  },
  {
    id: 'hostile-acrh-decide',
    description: 'decide(): preflight with 1 MB Access-Control-Request-Headers vs a normal rejected preflight, at most',
    want: '<=',
    target: 5,
    guard: 10,
    measure: (ix) => worst(ix, '<=', (shape, n) => hostile(ix, shape, n, 'decide')),
  },
  {
    id: 'hostile-acrh-node',
    description: 'corset-cors/node: preflight with 1 MB Access-Control-Request-Headers vs a normal rejected preflight, at most',
    want: '<=',
    target: 5,
    guard: 10,
    measure: (ix) => worst(ix, '<=', (shape, n) => hostile(ix, shape, n, 'corset-node')),
  },
  {
    id: 'hono-net',
    description: 'corset-cors/hono, allowed GET and preflight, every n, net of Hono on routes without CORS: faster than hono/cors by',
    want: '>=',
    target: 2,
    guard: 1,
    measure: (ix) => worst(ix, '>=', (shape, n) => worseOfGetAndPreflight('>=', (cls) => netRatioOf(ix, shape, n, cls, 'hono-cors'))),
  },
  {
    id: 'fastify-not-behind',
    description: 'corset-cors/fastify via fastify.inject, allowed GET and preflight, every n: @fastify/cors time over corset time, at least',
    want: '>=',
    target: 1,
    guard: 0.8,
    guardNote: 'a 1x target: guarded at 0.8x, the noise of whole fastify.inject requests',
    measure: (ix) =>
      worst(ix, '>=', (shape, n) => worseOfGetAndPreflight('>=', (cls) => ratioOf(ix, shape, n, cls, 'fastify-cors', 'corset-fastify'))),
  },
];

function hostile(ix: GridIndex, shape: BenchShape, n: number, contender: string): { ratio: number; detail: string } | null {
  const a = ix.ns(shape, n, 'preflight-hostile-acrh', contender);
  const b = ix.ns(shape, n, 'preflight-denied', contender);
  if (a === null || b === null) return null;
  return { ratio: a / b, detail: `${contender}: 1 MB header ${formatNs(a)} / rejected preflight ${formatNs(b)} (${shape}, n=${n})` };
}

/** Check the targets, and the guard's thresholds, on a run. */
export function evaluateTargets(ix: GridIndex): TargetCheck[] {
  return TARGETS.map((t) => {
    const m = t.measure(ix);
    const holds = (threshold: number): boolean | null =>
      m === null ? null : t.want === '>=' ? m.ratio >= threshold : m.ratio <= threshold;
    return {
      id: t.id,
      description: t.description,
      want: t.want,
      target: t.target,
      guard: t.guard,
      measured: m === null ? null : m.ratio,
      metTarget: holds(t.target),
      passedGuard: holds(t.guard),
      detail: m === null ? 'not measured in this run' : m.detail,
    };
  });
}

/** `ok`/`MISS` against the target. */
export function formatTarget(t: TargetCheck): string {
  const verdict = t.metTarget === null ? 'SKIP' : t.metTarget ? 'ok  ' : 'MISS';
  return `${verdict} ${t.description} ${formatRatio(t.target)}: measured ${formatRatio(t.measured)}  [${t.detail}]`;
}

/** `pass`/`FAIL` against the guard's threshold, with the target beside it. */
export function formatGuard(t: TargetCheck): string {
  const spec = TARGETS.find((x) => x.id === t.id);
  const verdict = t.passedGuard === null ? 'FAIL' : t.passedGuard ? 'pass' : 'FAIL';
  const note = spec?.guardNote === undefined ? 'half the target' : spec.guardNote;
  return `${verdict} ${t.description} ${formatRatio(t.guard)} (${note}; target ${formatRatio(t.target)}): measured ${formatRatio(t.measured)}${t.measured === null ? ' (not measured)' : ''}  [${t.detail}]`;
}
