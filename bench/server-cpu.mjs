// Server CPU time per request of real Node servers (node:http, Express 5, Fastify 5, Hono on
// @hono/node-server) without CORS, with the policy's answers hand-written (the floor: what the
// CORS headers themselves cost), with the peer middleware and with corset, for the load test's
// policy and traffic
// (bench/load/policy.mjs). The servers are the load test's (bench/load/node-server.mjs, built
// dist/ required: run `npm run build` first), each forked on 127.0.0.1; this process is the client
// (node:http with a keep-alive Agent, CONCURRENCY requests in flight), and each server reports its
// own process.cpuUsage() over IPC before and after a round. Wall time and req/s are not used: on a
// shared machine they follow the neighbours; the server's CPU time per request does much less.
//
//   npm run build && node bench/server-cpu.mjs
//   node bench/server-cpu.mjs --only node,fastify --kind get,preflight --rounds 9 --requests 20000
//   (--only picks among node, express, fastify, hono; the default is all four)
//
// Kinds: `get` (an allowed GET), `preflight` (an allowed preflight), `mix` (the load test's five
// kinds in turn). Per row and kind: every variant checked once (bench/load/matrix.mjs,
// checkServer), warmed up, then ROUNDS rounds of REQUESTS requests per variant, the order rotated
// from round to round; the figure is each variant's minimum over rounds (noise only adds CPU).
// Prints microseconds of server CPU per request, each variant's ratio to its row's baseline, and
// corset's to the peer's and to the floor's.
// With --json, the results as JSON on stdout.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { checkServer, selectRows, startServer, stopAllNow, stopServer, variantsOf } from './load/matrix.mjs';
import { MIX } from './load/policy.mjs';

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string', default: 'node,express,fastify,hono' },
    kind: { type: 'string', default: 'get,preflight,mix' },
    rounds: { type: 'string', default: '7' },
    requests: { type: 'string', default: '10000' },
    warmup: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    json: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(flags.rounds);
const REQUESTS = Number(flags.requests);
const WARMUP = Number(flags.warmup);
const CONCURRENCY = Number(flags.concurrency);
const KINDS = { get: [MIX[0]], preflight: [MIX[2]], mix: MIX };
const kinds = flags.kind.split(',');
for (const k of kinds) if (!(k in KINDS)) throw new Error(`--kind: ${k} is not one of ${Object.keys(KINDS).join(', ')}`);
const rows = selectRows(flags.only).filter((r) => r.runtime === 'node');
const log = flags.json ? (s) => process.stderr.write(`${s}\n`) : (s) => process.stdout.write(`${s}\n`);

process.on('exit', stopAllNow);
const watchdog = setTimeout(() => {
  process.stderr.write('server-cpu: watchdog: still running after 20 minutes, stopping\n');
  stopAllNow();
  process.exit(1);
}, 20 * 60_000);
watchdog.unref();

/** The server's own CPU time so far, in microseconds (its answer to 'cpu' over IPC). */
function serverCpu(server) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-cpu: ${server.row.id}/${server.variant}: no cpu answer`)), 10_000);
    const on = (m) => {
      const cpu = m?.cpu;
      if (typeof cpu === 'number') {
        clearTimeout(timer);
        server.child.off('message', on);
        resolve(cpu);
      }
    };
    server.child.on('message', on);
    server.child.send('cpu');
  });
}

/** Sends `n` requests of `mix` in turn, `CONCURRENCY` at a time on keep-alive connections. */
function send(agent, port, mix, n) {
  return new Promise((resolve, reject) => {
    let started = 0;
    let done = 0;
    let failed = false;
    const one = () => {
      const r = mix[started % mix.length];
      started++;
      const req = http.request({ agent, host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers }, (res) => {
        if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) {
          failed = true;
          reject(new Error(`server-cpu: status ${res.statusCode}`));
        }
        res.resume();
        res.on('end', () => {
          done++;
          if (failed) return;
          if (done === n) resolve();
          else if (started < n) one();
        });
      });
      req.on('error', (e) => {
        failed = true;
        reject(e);
      });
      req.end();
    };
    for (let i = 0; i < Math.min(CONCURRENCY, n); i++) one();
  });
}

const cells = [];

for (const row of rows) {
  const variants = variantsOf(row);
  const servers = {};
  const agents = {};
  try {
    for (const v of variants) {
      servers[v] = await startServer(row, v, process.execPath);
      agents[v] = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    }
    for (const v of variants) await checkServer(servers[v]);
    for (const kind of kinds) {
      const mix = KINDS[kind];
      for (const v of variants) await send(agents[v], (servers[v]).port, mix, WARMUP);
      const runs = Object.fromEntries(variants.map((v) => [v, []]));
      for (let round = 0; round < ROUNDS; round++) {
        const order = variants.map((_, i) => variants[(i + round) % variants.length]);
        for (const v of order) {
          const s = servers[v];
          const c0 = await serverCpu(s);
          await send(agents[v], s.port, mix, REQUESTS);
          const c1 = await serverCpu(s);
          runs[v].push((c1 - c0) / REQUESTS);
        }
      }
      const best = Object.fromEntries(variants.map((v) => [v, Math.min(...(runs[v]))]));
      cells.push({ row: row.id, kind, microsPerRequest: best, rounds: runs });
      const base = best.none;
      log(
        `${row.label.padEnd(10)} ${kind.padEnd(9)} ` +
          variants.map((v) => `${v} ${best[v].toFixed(2)} us (${(best[v] / base).toFixed(2)})`).join('  ') +
          (best.peer === undefined ? '' : `  corset/peer ${(best.corset / best.peer).toFixed(2)}`) +
          `  corset/floor ${(best.corset / best.floor).toFixed(2)}`,
      );
    }
  } finally {
    for (const a of Object.values(agents)) a?.destroy();
    for (const s of Object.values(servers)) if (s !== undefined) await stopServer(s);
  }
}
log(`server CPU per request, min of ${ROUNDS} rounds of ${REQUESTS} requests, ${CONCURRENCY} in flight; in parentheses: times the row's baseline (no CORS); floor: the policy's answers hand-written (bench/load/policy.mjs floorCors)`);
if (flags.json) process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, requests: REQUESTS, concurrency: CONCURRENCY, cells }, null, 2)}\n`);
