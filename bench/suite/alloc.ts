// npm run bench:alloc: bytes allocated per decision (issue 6: "An allocation benchmark: bytes
// allocated per decision (median of trials, --expose-gc)"; target: zero or one allocation per
// actual-request decision on the hot path, where decisions are precomputed).
//
//   npm run bench:alloc              table
//   npm run bench:alloc -- --json    machine-readable
//   npm run bench:alloc -- --hot     only the rows the guard checks (the hot path, and rows with a bound)
//
// Method: the process runs with --expose-gc and a 64 MB young generation, so that no scavenge
// lands inside a trial. A trial collects garbage, reads `heapUsed`, runs TRIAL_OPS
// operations, and reads `heapUsed` again; the figure is the median over TRIALS trials of the
// difference divided by TRIAL_OPS, after a warm-up that lets the JIT settle. Origins are built
// before the trial as flat strings (what an HTTP parser hands over), so building them is not
// counted; middleware rows subtract the same trial run with a no-op middleware on the same mock.
// A small JS object is 16-40 bytes here (pointer compression), so "at most one allocation"
// reads as at most ONE_ALLOCATION_BYTES per operation.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import expressCors from 'cors';
import express from 'express';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { ready } from '../../src/engine/ready.js';
import { cors as corsetNode } from '../../src/adapters/node.js';
import {
  BENCH_ALLOW_HEADERS,
  BENCH_EXPOSE_HEADERS,
  BENCH_MAX_AGE,
  BENCH_METHODS,
  benchOrigins,
  describeMachine,
  formatMachine,
  generatePolicy,
  median,
  type BenchShape,
} from '../../src/cli/bench.js';
import type { CorsPolicy, CorsRequest } from '../../src/types.js';
import { asNodeRequest, asNodeResponse, MockRequest, MockResponse, nodeHeaders } from '../lib/mocks.js';
import { peerPattern } from '../lib/contenders.js';
import { PREFLIGHT_HEADERS, PREFLIGHT_METHOD, type BenchRequest } from '../lib/requests.js';

const TRIALS = 9;
const TRIAL_OPS = 20_000;
const WARMUP_TRIALS = 3;
/** The most one small object costs: a frozen decision record with six fields is 40 bytes. */
export const ONE_ALLOCATION_BYTES = 64;

const gc = (globalThis as { gc?: () => void }).gc;

if (gc === undefined) {
  // Re-run this file in a child with the flags the measurement needs (scripts/run-ts.mjs bundles
  // it again there); its output is ours.
  const entry = process.argv[1] as string;
  const root = path.resolve(path.dirname(entry), '..', '..');
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', path.join(root, 'scripts', 'run-ts.mjs'), entry, ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: root },
  );
  process.exit(child.status ?? 1);
}

export interface AllocCase {
  readonly id: string;
  readonly description: string;
  /** An actual-request decision on the hot path (the target applies to it). */
  readonly hotPath: boolean;
  /** One operation on the k-th prepared input. */
  readonly op: (k: number) => number;
  /** Subtracted: the same loop with a no-op in place of the measured call. */
  readonly baseline?: (k: number) => number;
  /** Operations per trial, when TRIAL_OPS of them would not fit the young generation. */
  readonly ops?: number;
  /** A bound the guard holds this row to (net bytes per operation); such rows run under --hot too. */
  readonly atMostBytes?: number;
}

/** Flat, unhashed origin strings, as an HTTP parser produces them. */
function flatOrigins(shape: BenchShape, n: number, count: number, allowed: boolean): string[] {
  return benchOrigins(shape, n, count, allowed).map(([a, b]) => Buffer.from(a + b, 'latin1').toString('latin1'));
}

function decideCase(id: string, description: string, hotPath: boolean, policy: CorsPolicy, origins: readonly string[], preflight: boolean, want: boolean): AllocCase {
  const mask = origins.length - 1;
  const req: CorsRequest = preflight
    ? { method: 'OPTIONS', origin: null, requestMethod: PREFLIGHT_METHOD, requestHeaders: PREFLIGHT_HEADERS, requestPrivateNetwork: false, url: undefined }
    : { method: 'GET', origin: null, requestMethod: null, requestHeaders: null, requestPrivateNetwork: false, url: undefined };
  for (const o of origins) {
    req.origin = o;
    const got = policy.decide(req).allowed;
    if (got !== want) throw new Error(`${id}: decide(${o}).allowed: got ${got}; want ${want}`);
  }
  return {
    id,
    description,
    hotPath,
    op(k) {
      req.origin = origins[k & mask] as string;
      return policy.decide(req).allowed ? 1 : 0;
    },
  };
}

function middlewareCase(
  id: string,
  description: string,
  mw: (req: MockRequest, res: MockResponse, next: () => void) => void,
  origins: readonly string[],
): AllocCase {
  const mask = origins.length - 1;
  const r: BenchRequest = { method: 'GET', origin: ['', ''], requestMethod: null, requestHeaders: null };
  const noop = (): void => {};
  const trivial = (_req: MockRequest, res: MockResponse, next: () => void): void => {
    res.setHeader('vary', 'Origin');
    next();
  };
  for (const o of origins) {
    const res = new MockResponse();
    mw(new MockRequest('GET', nodeHeaders(r, o)), res, noop);
    if (res.getHeader('access-control-allow-origin') !== o) throw new Error(`${id}: ${o} not allowed`);
  }
  return {
    id,
    description,
    hotPath: false,
    op(k) {
      const res = new MockResponse();
      mw(new MockRequest('GET', nodeHeaders(r, origins[k & mask] as string)), res, noop);
      return res.statusCode;
    },
    baseline(k) {
      const res = new MockResponse();
      trivial(new MockRequest('GET', nodeHeaders(r, origins[k & mask] as string)), res, noop);
      return res.statusCode;
    },
  };
}

/**
 * A middleware on real `node:http` objects made as Express 5 makes them for each request (the
 * response given Express's prototype with `Object.setPrototypeOf`, then `req` and `locals` set),
 * its head written; minus the same with a middleware that only sets `Vary`. Such a response has a
 * hidden class of its own, so what a middleware adds to the object itself shows here.
 */
function expressResponseCase(
  id: string,
  description: string,
  mw: (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
  origin: string,
  atMostBytes?: number,
): AllocCase {
  const proto = express().response;
  const noop = (): void => {};
  const make = (): [IncomingMessage, ServerResponse] => {
    const req = new IncomingMessage(null as unknown as Socket);
    req.method = 'GET';
    req.headers = { origin, host: 'api.example.test' };
    const res = new ServerResponse(req);
    Object.setPrototypeOf(res, proto);
    (res as unknown as { locals: object }).locals = Object.create(null) as object;
    return [req, res];
  };
  const trivial = (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    res.setHeader('vary', 'Origin');
    next();
  };
  const [q, r] = make();
  mw(q, r, noop);
  if (r.getHeader('access-control-allow-origin') !== origin) throw new Error(`${id}: ${origin} not allowed`);
  const run = (m: typeof mw) => (): number => {
    const [req, res] = make();
    m(req, res, noop);
    res.writeHead(200);
    return res.statusCode;
  };
  return { id, description, hotPath: false, op: run(mw), baseline: run(trivial), ops: 2_000, ...(atMostBytes === undefined ? {} : { atMostBytes }) };
}

export function allocCases(): AllocCase[] {
  const exact1 = compilePolicy(generatePolicy('exact', 1));
  const exact10k = compilePolicy(generatePolicy('exact', 10_000));
  const wildcard100 = compilePolicy(generatePolicy('wildcard', 100));
  const mixed10k = compilePolicy(generatePolicy('mixed', 10_000));
  const peer1 = expressCors({
    origin: [peerPattern(generatePolicy('exact', 1).origins[0] as string)],
    methods: [...BENCH_METHODS],
    allowedHeaders: [...BENCH_ALLOW_HEADERS],
    exposedHeaders: [...BENCH_EXPOSE_HEADERS],
    maxAge: BENCH_MAX_AGE,
  }) as unknown as (req: MockRequest, res: MockResponse, next: () => void) => void;
  const corset1 = corsetNode(exact1);
  const node1 = (req: MockRequest, res: MockResponse, next: () => void): void => {
    corset1(asNodeRequest(req), asNodeResponse(res), next);
  };
  const origin1 = generatePolicy('exact', 1).origins[0] as string;
  const wildcardHot = flatOrigins('wildcard', 100, 256, true); // 256 distinct: inside the per-origin cache
  const wildcardCold = flatOrigins('wildcard', 100, 4096, true); // 4096 distinct: beyond it
  return [
    decideCase('decide-get-exact-1', 'decide(), allowed GET, 1 exact origin', true, exact1, flatOrigins('exact', 1, 1024, true), false, true),
    decideCase('decide-get-exact-10000', 'decide(), allowed GET, 10 000 exact origins', true, exact10k, flatOrigins('exact', 10_000, 1024, true), false, true),
    decideCase('decide-get-mixed-10000', 'decide(), allowed GET, 10 000 mixed rules', true, mixed10k, flatOrigins('mixed', 10_000, 1024, true).slice(0, 256), false, true),
    decideCase('decide-get-wildcard-hot', 'decide(), allowed GET, 100 wildcards, 256 distinct origins (cached)', true, wildcard100, wildcardHot, false, true),
    decideCase('decide-get-wildcard-cold', 'decide(), allowed GET, 100 wildcards, 4096 distinct origins (cache churn)', false, wildcard100, wildcardCold, false, true),
    decideCase('decide-get-denied', 'decide(), denied GET, 10 000 exact origins', true, exact10k, flatOrigins('exact', 10_000, 1024, false), false, false),
    decideCase('decide-preflight-exact-1', 'decide(), allowed preflight, 1 exact origin', false, exact1, flatOrigins('exact', 1, 1024, true), true, true),
    decideCase('decide-preflight-exact-10000', 'decide(), allowed preflight, 10 000 exact origins', false, exact10k, flatOrigins('exact', 10_000, 1024, true), true, true),
    middlewareCase('corset-node-get-1', 'corset-cors/node, allowed GET, 1 exact origin (minus the mock)', node1, flatOrigins('exact', 1, 1024, true)),
    middlewareCase('express-cors-get-1', 'cors (expressjs/cors), allowed GET, 1 origin (minus the mock)', peer1, flatOrigins('exact', 1, 1024, true)),
    // About 600 B measured; a property corset added to the response itself would cost ~1.5 KB more.
    expressResponseCase('corset-node-express-res', 'corset-cors/node, allowed GET, on an Express response (minus a Vary-only middleware)', corset1, origin1, 1_200),
    expressResponseCase(
      'express-cors-express-res',
      'cors (expressjs/cors), allowed GET, on an Express response (minus the same)',
      peer1 as unknown as (req: IncomingMessage, res: ServerResponse, next: () => void) => void,
      origin1,
    ),
  ];
}

function trial(op: (k: number) => number, g: () => void, ops: number): number {
  g();
  let s = 0;
  const before = process.memoryUsage().heapUsed;
  for (let k = 0; k < ops; k++) s += op(k);
  const after = process.memoryUsage().heapUsed;
  if (s < 0) throw new Error('unreachable');
  return (after - before) / ops;
}

function bytesPerOp(op: (k: number) => number, g: () => void, ops = TRIAL_OPS): number {
  for (let w = 0; w < WARMUP_TRIALS; w++) trial(op, g, ops);
  const samples: number[] = [];
  for (let t = 0; t < TRIALS; t++) samples.push(trial(op, g, ops));
  samples.sort((a, b) => a - b);
  return median(samples);
}

export interface AllocResult {
  readonly id: string;
  readonly description: string;
  readonly hotPath: boolean;
  readonly bytesPerOp: number;
  readonly baselineBytesPerOp: number | null;
  /** bytesPerOp minus the baseline, floored at 0. */
  readonly netBytesPerOp: number;
  readonly withinOneAllocation: boolean;
  /** The guard's bound for a row that is not a hot-path decision, or null. */
  readonly atMostBytes: number | null;
}

if (gc !== undefined) {
  await ready(); // decide() with engine 'auto' uses the WebAssembly engine where it runs
  const g = gc;
  const results: AllocResult[] = [];
  const hotOnly = process.argv.includes('--hot');
  for (const c of allocCases()) {
    if (hotOnly && !c.hotPath && c.atMostBytes === undefined) continue;
    const bytes = bytesPerOp(c.op, g, c.ops);
    const base = c.baseline === undefined ? null : bytesPerOp(c.baseline, g, c.ops);
    const net = Math.max(0, bytes - (base ?? 0));
    results.push({
      id: c.id,
      description: c.description,
      hotPath: c.hotPath,
      bytesPerOp: bytes,
      baselineBytesPerOp: base,
      netBytesPerOp: net,
      withinOneAllocation: net <= ONE_ALLOCATION_BYTES,
      atMostBytes: c.atMostBytes ?? null,
    });
  }
  const machine = describeMachine();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ machine, trials: TRIALS, opsPerTrial: TRIAL_OPS, oneAllocationBytes: ONE_ALLOCATION_BYTES, results }, null, 2)}\n`);
  } else {
    process.stdout.write(`bytes allocated per operation (median of ${TRIALS} trials of ${TRIAL_OPS.toLocaleString('en-US')}; --expose-gc)\n`);
    process.stdout.write(`machine: ${formatMachine(machine)}\n\n`);
    const w = Math.max(...results.map((r) => r.description.length));
    for (const r of results) {
      const base = r.baselineBytesPerOp === null ? '' : ` (measured ${r.bytesPerOp.toFixed(1)}, mock alone ${r.baselineBytesPerOp.toFixed(1)})`;
      const mark = r.hotPath ? (r.withinOneAllocation ? '  ok: at most one allocation' : '  MISS: more than one allocation') : '';
      process.stdout.write(`${r.description.padEnd(w)}  ${r.netBytesPerOp.toFixed(1).padStart(7)} B${base}${mark}\n`);
    }
  }
}
