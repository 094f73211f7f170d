// Where corset-cors/node's time goes for one request, piece by piece (issue 6: "Where a target is
// missed, the note says what bounds it, measured"). Each row does a little more of the work than
// the one before it (or, for the second group, than the mock alone), on the same fresh requests
// in one tinybench run; expressjs/cors on the same mock closes the table.
//
//   node scripts/run-ts.mjs bench/suite/breakdown.ts [--shape exact] [--n 1] [--time 300]
import { Bench } from 'tinybench';
import expressCors from 'cors';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { ready } from '../../src/engine/ready.js';
import { cors as corsetNode } from '../../src/adapters/node.js';
import { decideNodeRequest } from '../../src/adapters/node-request.js';
import { newCorsRequest, ownUrlFor } from '../../src/adapters/options.js';
import {
  BENCH_ALLOW_HEADERS,
  BENCH_EXPOSE_HEADERS,
  BENCH_MAX_AGE,
  BENCH_METHODS,
  benchOrigins,
  benchPattern,
  describeMachine,
  formatMachine,
  freshString,
  generatePolicy,
} from '../../src/cli/bench.js';
import { asNodeRequest, asNodeResponse, BENCH_HOST, MockRequest, MockResponse, nodeHeaders } from '../lib/mocks.js';
import { peerPattern } from '../lib/contenders.js';
import { breakdownArgs } from '../lib/breakdown-args.js';
import { formatNs, formatRatio } from '../lib/report.js';
import type { BenchRequest } from '../lib/requests.js';

const { shape, n, time } = breakdownArgs();

await ready();
const init = generatePolicy(shape, n);
const policy = compilePolicy(init);
const BATCH = 256;
const inputs = benchOrigins(shape, n, BATCH, true);
const set = new Set(inputs.map(([a, b]) => a + b));
const get: BenchRequest = { method: 'GET', origin: ['', ''], requestMethod: null, requestHeaders: null };
const scratch = newCorsRequest();
const urlOptions = { trustProxy: false, publicUrl: null };
const noop = (): void => {};
const middleware = corsetNode(policy);
const peer = expressCors({
  origin: Array.from({ length: n }, (_, i) => peerPattern(benchPattern(shape, i))),
  methods: [...BENCH_METHODS],
  allowedHeaders: [...BENCH_ALLOW_HEADERS],
  exposedHeaders: [...BENCH_EXPOSE_HEADERS],
  maxAge: BENCH_MAX_AGE,
}) as unknown as (req: MockRequest, res: MockResponse, next: () => void) => void;
let sink = 0;

// Checked before timing: every step sees allowed origins.
for (const [a, b] of inputs) {
  const res = new MockResponse();
  middleware(asNodeRequest(new MockRequest('GET', nodeHeaders(get, a + b))), asNodeResponse(res), noop);
  if (res.getHeader('access-control-allow-origin') !== a + b) throw new Error(`corset-cors/node(${a + b}): not allowed`);
  if (!policy.isOriginAllowed(a + b) || !set.has(a + b)) throw new Error(`${a + b}: not allowed`);
}

const steps: [string, () => void][] = [
  ['fresh origin string', () => {
    let s = 0;
    for (const [a, b] of inputs) s += freshString(a, b).length;
    sink += s;
  }],
  ['Set.has (the floor)', () => {
    let s = 0;
    for (const [a, b] of inputs) if (set.has(freshString(a, b))) s++;
    sink += s;
  }],
  ['isOriginAllowed (engine ' + policy.engine + ')', () => {
    let s = 0;
    for (const [a, b] of inputs) if (policy.isOriginAllowed(freshString(a, b))) s++;
    sink += s;
  }],
  ['decide(), no url', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      scratch.method = 'GET';
      scratch.origin = freshString(a, b);
      scratch.url = undefined;
      if (policy.decide(scratch).allowed) s++;
    }
    sink += s;
  }],
  ['decide(), a cross-origin url', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      scratch.method = 'GET';
      scratch.origin = freshString(a, b);
      scratch.url = `http://${BENCH_HOST}/`;
      if (policy.decide(scratch).allowed) s++;
    }
    scratch.url = undefined;
    sink += s;
  }],
  ['mock req/res (with the fresh string)', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      const res = new MockResponse();
      const req = new MockRequest('GET', nodeHeaders(get, freshString(a, b)));
      s += req.method.length + res.statusCode;
    }
    sink += s;
  }],
  ['mock + ownUrlFor (same-origin URL)', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      const res = new MockResponse();
      const req = new MockRequest('GET', nodeHeaders(get, freshString(a, b)));
      s += (ownUrlFor(req.headers.origin as string, 'http', BENCH_HOST) === undefined ? 1 : 0) + res.statusCode;
    }
    sink += s;
  }],
  ['mock + decideNodeRequest', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      const res = new MockResponse();
      const req = new MockRequest('GET', nodeHeaders(get, freshString(a, b)));
      if (decideNodeRequest(policy, urlOptions, scratch, asNodeRequest(req)).allowed) s++;
      s += res.statusCode;
    }
    sink += s;
  }],
  ['corset-cors/node middleware (headers set)', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      const res = new MockResponse();
      middleware(asNodeRequest(new MockRequest('GET', nodeHeaders(get, freshString(a, b)))), asNodeResponse(res), noop);
      s += res.statusCode;
    }
    sink += s;
  }],
  ['expressjs/cors on the same mock', () => {
    let s = 0;
    for (const [a, b] of inputs) {
      const res = new MockResponse();
      peer(new MockRequest('GET', nodeHeaders(get, freshString(a, b))), res, noop);
      s += res.statusCode;
    }
    sink += s;
  }],
];

const bench = new Bench({ time, warmupTime: time / 3 });
for (const [name, fn] of steps) bench.add(name, fn);
await bench.run();
const ns = (name: string): number => {
  const r = bench.getTask(name)?.result;
  if (r === undefined || !('latency' in r)) throw new Error(`${name}: no result`);
  return (r.latency.p50 * 1e6) / BATCH;
};
process.stdout.write(`corset-cors/node, allowed GET, ${shape} n=${n}, piece by piece (${BATCH} fresh requests per sample)\n`);
process.stdout.write(`machine: ${formatMachine(describeMachine())}\n\n`);
const width = Math.max(...steps.map(([name]) => name.length));
const floor = ns('Set.has (the floor)');
for (const [name] of steps) {
  const t = ns(name);
  process.stdout.write(`${name.padEnd(width)}  ${formatNs(t).padStart(9)}  ${formatRatio(t / floor).padStart(6)} floor\n`);
}
const express = ns('expressjs/cors on the same mock');
const corset = ns('corset-cors/node middleware (headers set)');
process.stdout.write(`\nexpressjs/cors / corset-cors/node: ${formatRatio(express / corset)}\n`);
if (sink === -1) process.stdout.write('\n');
