// Where a Fetch-API preflight's time goes in corset-cors/fetch and corset-cors/hono, piece by
// piece, on real `Request`/`Response` objects of the runtime (undici on Node): what the runtime's
// objects cost against what corset's own code does. Each row names what it times; the rows share
// one tinybench run. (hono/cors against corset-cors/hono in a Hono app: bench/suite/frameworks.ts.)
//
//   node scripts/run-ts.mjs bench/suite/breakdown-fetch.ts [--shape exact] [--n 1] [--time 300]
import { Bench } from 'tinybench';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import { ready } from '../../src/engine/ready.js';
import { decideFetchRequest, emptyResponse } from '../../src/adapters/fetch-request.js';
import { newCorsRequest } from '../../src/adapters/options.js';
import { benchOrigins, describeMachine, formatMachine, generatePolicy } from '../../src/cli/bench.js';
import { breakdownArgs } from '../lib/breakdown-args.js';
import { formatNs } from '../lib/report.js';

const { shape, n, time } = breakdownArgs();

await ready();
const policy = compilePolicy(generatePolicy(shape, n));
const COUNT = 256;
const inputs = benchOrigins(shape, n, COUNT, true);
// Preflights as a browser sends them: Origin and Access-Control-Request-Method (a safelisted
// method, so that every policy of the suite allows it); no request headers asked for.
const requests = inputs.map(
  ([a, b]) => new Request('http://api.example.test/resource', { method: 'OPTIONS', headers: { origin: a + b, 'access-control-request-method': 'GET' } }),
);
const scratch = newCorsRequest();
const urlOptions = { trustProxy: false, publicUrl: null };
const first = decideFetchRequest(policy, urlOptions, scratch, requests[0] as Request);
if (!first.allowed || first.kind !== 'preflight') throw new Error(`breakdown-fetch: the ${shape} n=${n} policy did not allow the preflight (${first.reason})`);
const headers = first.headers;
const prepared = new Headers(headers);

let i = 0;
let sink = 0;
const next = (): Request => requests[(i = (i + 1) & (COUNT - 1))] as Request;
const steps: [string, () => void][] = [
  ['four Headers.get on the request (origin, the three Access-Control-Request-*)', () => {
    const h = next().headers;
    if (h.get('origin') !== null && h.get('access-control-request-method') !== null && h.get('access-control-request-headers') === null && h.get('access-control-request-private-network') === null) sink++;
  }],
  ['reading the request and decide() (decideFetchRequest)', () => {
    if (decideFetchRequest(policy, urlOptions, scratch, next()).allowed) sink++;
  }],
  ['new Response(null, { status: 204 }): no headers', () => {
    sink += new Response(null, { status: 204 }).status;
  }],
  ['new Response(null, { status: 204, headers: prepared Headers }): the response corset builds', () => {
    sink += new Response(null, { status: 204, headers: prepared }).status;
  }],
  ['new Response(null, { status: 204, headers: the plain record })', () => {
    sink += new Response(null, { status: 204, headers }).status;
  }],
  ['a built response cloned', (() => {
    const template = new Response(null, { status: 204, headers: prepared });
    return () => {
      sink += template.clone().status;
    };
  })()],
  ['corset in all: decideFetchRequest, then emptyResponse', () => {
    const d = decideFetchRequest(policy, urlOptions, scratch, next());
    sink += emptyResponse(d.status ?? 204, d.headers).status;
  }],
];

const bench = new Bench({ time, warmupTime: Math.min(200, time) });
for (const [name, fn] of steps) bench.add(name, fn);
await bench.run();
if (sink === 0) throw new Error('breakdown-fetch: nothing ran');
const ns = (name: string): number => ((bench.getTask(name)?.result as { latency?: { p50?: number } } | undefined)?.latency?.p50 ?? Number.NaN) * 1e6;
process.stdout.write(`Where a preflight's time goes, Fetch API (${shape}, n = ${n}; tinybench medians):\n`);
for (const [name] of steps) process.stdout.write(`  ${formatNs(ns(name)).padStart(9)}  ${name}\n`);
process.stdout.write(`machine: ${formatMachine(describeMachine())}\n`);
