// npm run load:profile: where a real server's CPU goes under load, from V8's sampling profiler,
// per request: the CORS layer's own code (corset's built files, the peer middleware's package, the
// hand-written floor) beside the whole server. On a shared machine req/s and even server CPU time
// move by more than a CORS layer costs (see bench/load.mjs); the samples that land in the layer's
// own functions do not depend on what else the machine runs. What the layer calls into (Node's
// `setHeader`, Fastify's `reply.header`, `Headers`) is counted with the framework and Node, as
// it is for every variant alike; the floor variant shows what those calls cost with no library.
//
// Per Node row of the load test (node:http, Express 5, Fastify 5, Hono on @hono/node-server) and
// variant (none, floor, peer, corset): the server (bench/load/node-server.mjs) runs under
// `--cpu-prof`, is checked (every kind of request of the MIX answered right), warmed up with
// WARMUP requests, then sent REQUESTS requests of the load test's mixed traffic by autocannon
// in this process (10 connections, loopback), then stopped with SIGTERM so that it writes its
// profile. Only the samples taken while the REQUESTS ran count (start-up, the policy's compilation
// and the warm-up do not: V8's sample times and process.hrtime are the same monotonic clock); they
// are split by the script each sample's function comes from and divided by those requests.
//
//   npm run build && node bench/load-profile.mjs [--only node,fastify] [--requests 100000] [--interval 1000] [--json]
//   node bench/load-profile.mjs --quick     a short dry run (small counts): checks the harness
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkServer, root, selectRows, startServer, stopAllNow, stopServerGracefully, variantsOf } from './load/matrix.mjs';
import { autocannonRequests } from './load/policy.mjs';
import { splitProfile } from './load/profile-split.mjs';

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string', default: 'node,express,fastify,hono' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    interval: { type: 'string' },
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const REQUESTS = Number(flags.requests ?? (flags.quick ? 2_000 : 100_000));
const WARMUP = Number(flags.warmup ?? (flags.quick ? 500 : 20_000));
/** V8's sampling interval, µs: Node's default (1000) for a full run, finer for the short one. */
const INTERVAL = Number(flags.interval ?? (flags.quick ? 100 : 1000));
const CAP_MS = flags.quick ? 10_000 : 60_000;
const CONNECTIONS = 10;
for (const [name, n] of [['--requests', REQUESTS], ['--warmup', WARMUP], ['--interval', INTERVAL]]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`load-profile: ${name} must be a positive integer`);
}
const rows = selectRows(flags.only).filter((r) => r.runtime === 'node');
if (rows.length === 0) throw new Error('load-profile: --only names no Node row (node, express, fastify, hono)');
const log = flags.json ? (s = '') => process.stderr.write(`${s}\n`) : (s = '') => process.stdout.write(`${s}\n`);

process.on('exit', stopAllNow);
const { default: autocannon } = await import('autocannon');

function run(port, amount) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `http://127.0.0.1:${port}`, connections: CONNECTIONS, amount, requests: autocannonRequests() },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    const cap = setTimeout(() => instance.stop(), CAP_MS);
    instance.once('done', () => clearTimeout(cap));
  });
}

/** Microseconds of the monotonic clock V8 stamps its samples with. */
const now = () => Number(process.hrtime.bigint() / 1000n);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'corset-load-profile-'));
const results = [];
let failed = false;
try {
  for (const row of rows) {
    for (const variant of variantsOf(row)) {
      const dir = path.join(tmp, `${row.id}-${variant}`);
      const server = await startServer(row, variant, process.execPath, { cpuProfDir: dir, cpuProfIntervalMicros: INTERVAL });
      let answered = 0;
      let from = 0;
      let to = 0;
      try {
        await checkServer(server);
        for (const [amount, timed] of [[WARMUP, false], [REQUESTS, true]]) {
          const t0 = now();
          const r = await run(server.port, amount);
          if (timed) [answered, from, to] = [r.requests.total, t0, now()];
          if (r.errors + r.timeouts + r.non2xx > 0) {
            failed = true;
            log(`load-profile: ${row.id}/${variant}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
          }
          if (timed && r.requests.total < amount) log(`load-profile: ${row.id}/${variant}: stopped at the ${CAP_MS / 1000} s cap after ${r.requests.total} requests`);
        }
      } finally {
        await stopServerGracefully(server);
      }
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (file === undefined) throw new Error(`load-profile: ${row.id}/${variant}: the server wrote no profile in ${dir}`);
      const split = splitProfile(row.framework, JSON.parse(readFileSync(path.join(dir, file), 'utf8')), from, to);
      const perRequest = (us) => us / answered;
      const busy = split.corset + split.peer + split.floor + split.gc + split.rest;
      results.push({
        row: row.id,
        label: row.label,
        variant,
        requests: answered,
        busyMicrosPerRequest: perRequest(busy),
        ownMicrosPerRequest: perRequest(variant === 'none' ? 0 : split[variant]),
        gcMicrosPerRequest: perRequest(split.gc),
        split,
      });
    }
  }
} catch (e) {
  failed = true;
  log(`load-profile: FAILED: ${e?.message ?? e}`);
} finally {
  stopAllNow();
  rmSync(tmp, { recursive: true, force: true });
}

log(`corset load profile: node ${process.version}; ${REQUESTS} requests of the load test's mixed traffic per server after ${WARMUP} to warm up, ${CONNECTIONS} connections, loopback, sampled every ${INTERVAL} µs`);
log('');
log('| server | variant | sampled server CPU, µs per request | of it, the CORS layer\'s own code | garbage collection |');
log('| --- | --- | ---: | ---: | ---: |');
for (const r of results) {
  const own = r.variant === 'none' ? '-' : `${r.ownMicrosPerRequest.toFixed(3)} (${((100 * r.ownMicrosPerRequest) / r.busyMicrosPerRequest).toFixed(1)}%)`;
  log(`| ${r.label} | ${r.variant} | ${r.busyMicrosPerRequest.toFixed(1)} | ${own} | ${r.gcMicrosPerRequest.toFixed(1)} |`);
}
log('');
log("own code: the samples in corset's dist/ files, in the peer middleware's package, or in the hand-written floor (bench/load/policy.mjs); what each calls into (setHeader, reply.header, Headers) is not in it.");
if (flags.json) process.stdout.write(`${JSON.stringify({ node: process.version, requests: REQUESTS, warmup: WARMUP, intervalMicros: INTERVAL, failed, results }, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
