// npm run load: req/s of real servers with corset, with the framework's usual CORS middleware and
// without CORS, over loopback ("gateways at full speed": corset within 3% of the same server
// without CORS). Not part of `npm test`.
//
// The matrix (bench/load/matrix.mjs): node:http, Express 5, Fastify 5, Hono on @hono/node-server,
// Deno (Deno.serve, bare and with Hono), Bun (Bun.serve, bare and with Hono). Each server runs in
// its own process (bench/load/node-server.mjs, bench/load/fetch-server.mjs) with the same trivial
// handler, in four variants: no CORS (the baseline), the floor (the policy's answers hand-written,
// no library: what the CORS headers themselves cost), the peer middleware (`cors`, @fastify/cors,
// hono/cors; none for a bare Fetch handler) and corset's adapter, for the same policy
// (bench/load/policy.mjs). autocannon, in this process, sends mixed traffic in turn on 10
// connections: an allowed GET, a denied GET, an allowed preflight, a GET without Origin, a GET from
// a wildcard-matched origin. Every response must be 2xx and no request may fail.
//
// Per row (one runtime + framework), its variants started together:
// 1. Before timing: each kind of request is sent once to each variant and the CORS answer checked
//    (a wrong answer stops the run, exit code 1).
// 2. A warm-up per variant, then ROUNDS rounds; in each round every variant gets ROUND_REQUESTS
//    requests, the order rotated from round to round, so that noise hits all variants alike. req/s
//    is the median over rounds; the ratios corset/baseline and peer/baseline are taken within the
//    row. Also measured: the server's CPU time per request (/proc, Linux) and autocannon's own CPU
//    (a client near one full core may be the limit, not the server).
// 3. The row's servers are killed by pid before the next row starts.
// 4. The ratios paired by round too: the median of each round's variant / baseline.
// With --memory: corset's node:http server is GC'd and measured, serves MEMORY_REQUESTS requests,
// is GC'd and measured again.
//
// Bounded: every autocannon run stops at its request count or its time cap, whichever is first;
// a server that does not report its port within 30 s fails the run; a watchdog (the sum of all
// caps, plus a margin) kills every server and exits.
//
// Run: npm run load [-- --quick] [-- --only node,express,fastify,hono,deno,bun] [-- --json] [-- --memory]
//   --quick         a short dry run (small counts): checks the harness, not the figures
//   --only a,b      rows by id (node, express, fastify, hono, deno, deno-hono, bun, bun-hono);
//                   `deno` and `bun` pick both of their rows
//   --json          the results as JSON on stdout (the tables then go to stderr)
//   --memory        also the memory reading across MEMORY_REQUESTS requests
//   --no-pin        do not pin autocannon and the servers to CPUs (see pinning() below)
// Env: LOAD_QUICK=1, LOAD_ONLY, LOAD_PIN=0, LOAD_ROUNDS, LOAD_ROUND_REQUESTS, LOAD_WARMUP_REQUESTS, LOAD_MEMORY_REQUESTS.
// A runtime whose binary (the `deno` / `bun` dev dependency) cannot run is skipped with a
// SKIPPED line; the other rows go on.
// Latency percentiles come from autocannon's histogram, in whole milliseconds; the mean is exact.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { checkServer, cpuSeconds, findBinary, live, runtimeVersion, selectRows, startServer, stopAllNow, stopServer, variantsOf } from './load/matrix.mjs';
import { MIX, autocannonRequests } from './load/policy.mjs';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.LOAD_QUICK === '1' },
    only: { type: 'string', default: process.env.LOAD_ONLY },
    json: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: process.env.LOAD_PIN === '0' },
  },
});
const num = (name, full, quick) => Number(process.env[name] ?? (flags.quick ? quick : full));

const CONNECTIONS = 10;
const WARMUP_REQUESTS = num('LOAD_WARMUP_REQUESTS', 20_000, 2_000);
const WARMUP_CAP_MS = flags.quick ? 3_000 : 15_000;
const ROUNDS = num('LOAD_ROUNDS', 5, 3);
const ROUND_REQUESTS = num('LOAD_ROUND_REQUESTS', 60_000, 5_000);
const ROUND_CAP_MS = flags.quick ? 5_000 : 20_000;
const MEMORY_REQUESTS = num('LOAD_MEMORY_REQUESTS', 1_000_000, 20_000);
const MEMORY_CAP_MS = flags.quick ? 10_000 : 240_000;
/** The share of a core autocannon may use before the client, not the server, may be the limit. */
const CLIENT_SATURATED = 0.9;

const out = flags.json ? (s = '') => process.stderr.write(`${s}\n`) : (s = '') => process.stdout.write(`${s}\n`);
const note = (s) => process.stderr.write(`${s}\n`);

/**
 * CPU pinning (Linux with `taskset` and two or more CPUs; `--no-pin` turns it off): autocannon,
 * in this process, on the first CPU and every server, all its threads, on the last, so that
 * neither takes the other's core in the middle of a round. It does not make a shared machine
 * quiet: a collection in the server or a neighbour on the host still moves whole rounds.
 */
function pinning() {
  if (flags['no-pin'] || process.platform !== 'linux' || os.availableParallelism() < 2) return null;
  const cpu = os.availableParallelism() - 1;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
  } catch {
    note('load: taskset is not available: client and servers are not pinned to CPUs');
    return null;
  }
  return { client: 0, server: cpu };
}
const PIN = pinning();
/** Servers that could not be pinned (the report says so beside the pinning). */
const unpinned = [];
/** Pins every thread of a started server to the server's CPU (a failure only loses the pinning). */
function pinServer(server) {
  if (PIN === null) return;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(PIN.server), String(server.pid)], { stdio: 'ignore' });
  } catch (e) {
    unpinned.push(`${server.row.id}/${server.variant}`);
    note(`load: could not pin ${server.row.id}/${server.variant} (pid ${server.pid}) to CPU ${PIN.server}: ${e.message}`);
  }
}

const rows = selectRows(flags.only);
const serverCount = rows.reduce((a, r) => a + variantsOf(r).length, 0);
const WATCHDOG_MS =
  serverCount * (WARMUP_CAP_MS + ROUNDS * ROUND_CAP_MS + 30_000 + 10_000) + (flags.memory ? MEMORY_CAP_MS + 30_000 : 0) + 60_000;
const watchdog = setTimeout(() => {
  note(`load: watchdog: still running after ${(WATCHDOG_MS / 1000).toFixed(0)} s, killing ${live.size} server(s) and stopping`);
  stopAllNow();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopAllNow();
    process.exit(130);
  });
}
process.on('exit', stopAllNow);

const { default: autocannon } = await import('autocannon');

/** One autocannon run: `amount` requests of the MIX or `capMs`, whichever comes first. */
function run(server, amount, capMs) {
  return new Promise((resolve, reject) => {
    const cpu0 = cpuSeconds(server.pid);
    const client0 = process.cpuUsage();
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${server.port}`,
        connections: CONNECTIONS,
        amount,
        requests: autocannonRequests(),
      },
      (err, result) => {
        if (err) return reject(err);
        const cpu1 = cpuSeconds(server.pid);
        const client = process.cpuUsage(client0);
        result.elapsedSeconds = Number(last - t0) / 1e9;
        result.serverCpuMicrosPerRequest = cpu0 === null || cpu1 === null ? null : ((cpu1 - cpu0) * 1e6) / result.requests.total;
        // Over the span of the responses: after the last one, autocannon only waits for its tick.
        result.clientCores = (client.user + client.system) / 1e6 / result.elapsedSeconds;
        resolve(result);
      },
    );
    // autocannon ends a run on its one-second tick: time the responses ourselves.
    const t0 = process.hrtime.bigint();
    let last = t0;
    instance.on('response', () => {
      last = process.hrtime.bigint();
    });
    const cap = setTimeout(() => instance.stop(), capMs);
    instance.once('done', () => clearTimeout(cap));
  });
}

/** Each round's req/s of `variant` over the baseline's in the same round. */
const pairedRatios = (variant, none) => variant.rounds.map((x, i) => x / none.rounds[i]);

/** Requests per second from the first request to the last response. */
const perSecond = (result) => result.requests.total / result.elapsedSeconds;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function measureRow(row, bin) {
  const variants = variantsOf(row);
  const servers = {};
  try {
    for (const v of variants) {
      servers[v] = await startServer(row, v, bin);
      pinServer(servers[v]);
    }
    // 1. Check the answers before timing anything.
    for (const v of variants) await checkServer(servers[v]);
    note(`load: ${row.id}: ${variants.length} servers answer the ${MIX.length} kinds of request correctly; warming up`);
    for (const v of variants) await run(servers[v], WARMUP_REQUESTS, WARMUP_CAP_MS);
    // 2. Rounds, the order rotated.
    const runs = Object.fromEntries(variants.map((v) => [v, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]);
      for (const v of order) runs[v].push(await run(servers[v], ROUND_REQUESTS, ROUND_CAP_MS));
      note(`load: ${row.id}: round ${round + 1}/${ROUNDS}: ${variants.map((v) => `${v} ${perSecond(runs[v][round]).toFixed(0)}`).join(', ')} req/s`);
    }
    const result = {};
    for (const v of variants) {
      const rs = runs[v];
      const rps = rs.map(perSecond);
      const med = median(rps);
      const mid = rs.reduce((best, r) => (Math.abs(perSecond(r) - med) < Math.abs(perSecond(best) - med) ? r : best));
      const cpu = rs.map((r) => r.serverCpuMicrosPerRequest).filter((x) => x !== null);
      result[v] = {
        reqPerSec: med,
        rounds: rps,
        serverCpuMicrosPerRequest: cpu.length === rs.length ? median(cpu) : null,
        clientCores: median(rs.map((r) => r.clientCores)),
        latencyMs: { mean: mid.latency.average, p50: mid.latency.p50, p90: mid.latency.p90, p99: mid.latency.p99, max: mid.latency.max },
        requests: rs.reduce((a, r) => a + r.requests.total, 0),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        timeouts: rs.reduce((a, r) => a + r.timeouts, 0),
        non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
        cappedRounds: rs.filter((r) => r.requests.total < ROUND_REQUESTS).length,
      };
    }
    return result;
  } finally {
    for (const s of Object.values(servers)) await stopServer(s);
  }
}

async function measureMemory() {
  const row = rows.find((r) => r.id === 'node') ?? { id: 'node', runtime: 'node', framework: 'http' };
  const server = await startServer(row, 'corset', process.execPath, { memory: true });
  const ask = () =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m?.memory !== undefined) {
          server.child.off('message', on);
          resolve(m.memory);
        }
      };
      server.child.on('message', on);
      server.child.send('memory');
    });
  try {
    await checkServer(server);
    const before = await ask();
    const t0 = Date.now();
    const big = await run(server, MEMORY_REQUESTS, MEMORY_CAP_MS);
    const after = await ask();
    return { requests: big.requests.total, seconds: (Date.now() - t0) / 1000, reqPerSec: perSecond(big), errors: big.errors, timeouts: big.timeouts, non2xx: big.non2xx, before, after };
  } finally {
    await stopServer(server);
  }
}

// ---- the run ----------------------------------------------------------------------------------

const started = Date.now();
const versions = { node: process.version };
const binaries = {};
for (const runtime of new Set(rows.map((r) => r.runtime))) {
  binaries[runtime] = findBinary(runtime);
  if (binaries[runtime] !== null) versions[runtime] = runtimeVersion(runtime, binaries[runtime]);
}
out(
  `corset load test${flags.quick ? ' (--quick: a dry run, the figures mean little)' : ''}: ${Object.entries(versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}; ${CONNECTIONS} connections, loopback; ${ROUNDS} rounds of ${ROUND_REQUESTS} requests per server after ${WARMUP_REQUESTS} to warm up; mixed traffic of ${MIX.length} kinds: ${MIX.map((m) => m.name).join(', ')}`,
);

const results = [];
let failed = false;
try {
  for (const row of rows) {
    const bin = binaries[row.runtime];
    if (bin === null) {
      const msg = `SKIPPED: load: ${row.runtime} cannot run on this machine (no working binary under node_modules; npm install brings the \`${row.runtime}\` dev dependency): row ${row.id} not measured`;
      note(msg);
      if (flags.json) out(msg);
      results.push({ row, skipped: msg });
      continue;
    }
    const measured = await measureRow(row, bin);
    for (const v of Object.values(measured)) if (v.errors + v.timeouts + v.non2xx > 0) failed = true;
    results.push({ row, measured });
  }
  const memory = flags.memory ? await measureMemory() : null;
  if (memory !== null && memory.errors + memory.timeouts + memory.non2xx > 0) failed = true;

  report(results, memory);
  out(failed ? '\nload: FAILED: some requests failed or were not 2xx' : '\nload: errors 0');
  out(`load: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          quick: flags.quick,
          versions,
          connections: CONNECTIONS,
          rounds: ROUNDS,
          roundRequests: ROUND_REQUESTS,
          warmupRequests: WARMUP_REQUESTS,
          mix: MIX.map((m) => m.name),
          pinned: PIN === null ? null : { ...PIN, unpinned },
          seconds: (Date.now() - started) / 1000,
          failed,
          rows: results.map(({ row, skipped, measured }) => ({
            id: row.id,
            label: row.label,
            runtime: row.runtime,
            peer: row.peer,
            corset: row.corset,
            ...(skipped !== undefined ? { skipped } : {}),
            ...(measured !== undefined
              ? {
                  variants: measured,
                  floorRatio: measured.floor.reqPerSec / measured.none.reqPerSec,
                  corsetToFloorRatio: measured.corset.reqPerSec / measured.floor.reqPerSec,
                  corsetRatio: measured.corset.reqPerSec / measured.none.reqPerSec,
                  peerRatio: measured.peer === undefined ? null : measured.peer.reqPerSec / measured.none.reqPerSec,
                  corsetPairedRatio: median(pairedRatios(measured.corset, measured.none)),
                  peerPairedRatio: measured.peer === undefined ? null : median(pairedRatios(measured.peer, measured.none)),
                  floorPairedRatio: median(pairedRatios(measured.floor, measured.none)),
                  corsetToFloorPairedRatio: median(pairedRatios(measured.corset, measured.floor)),
                }
              : {}),
          })),
          memory,
        },
        null,
        2,
      )}\n`,
    );
  }
} catch (e) {
  failed = true;
  note(`load: FAILED: ${e?.message ?? e}`);
} finally {
  stopAllNow();
  clearTimeout(watchdog);
}
process.exitCode = failed ? 1 : 0;

// ---- the report -------------------------------------------------------------------------------

function report(results, memory) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const ratio = (x, base) => (x / base).toFixed(2);
  const measured = results.filter((r) => r.measured !== undefined);
  out('');
  out(`| runtime | baseline req/s | floor req/s (ratio to baseline) | peer req/s (ratio to baseline) | corset req/s (ratio to baseline) |`);
  out(`| --- | ---: | ---: | ---: | ---: |`);
  for (const { row, measured: m, skipped } of results) {
    if (skipped !== undefined) {
      out(`| ${row.label} | skipped | skipped | skipped | skipped |`);
      continue;
    }
    const peer = m.peer === undefined ? 'none' : `\`${row.peer}\` ${n(m.peer.reqPerSec)} (${ratio(m.peer.reqPerSec, m.none.reqPerSec)})`;
    out(
      `| ${row.label} | ${n(m.none.reqPerSec)} | ${n(m.floor.reqPerSec)} (${ratio(m.floor.reqPerSec, m.none.reqPerSec)}) | ${peer} | \`${row.corset}\` ${n(m.corset.reqPerSec)} (${ratio(m.corset.reqPerSec, m.none.reqPerSec)}) |`,
    );
  }
  out('');
  out(`req/s: the median of ${ROUNDS} rounds of ${ROUND_REQUESTS} requests, ${CONNECTIONS} connections; ratios within each row.`);
  out('floor: the same CORS answers hand-written for this one policy, no library (bench/load/policy.mjs floorCors): what the headers themselves cost.');
  out(
    PIN === null
      ? 'Client and servers not pinned to CPUs.'
      : `autocannon pinned to CPU ${PIN.client}, every server to CPU ${PIN.server} (taskset)${unpinned.length === 0 ? '' : `, except ${unpinned.join(', ')}, which could not be pinned`}.`,
  );
  if (measured.length > 0) {
    out('');
    out('Paired by round (each round runs every variant back to back): the median of the rounds\' ratios to the baseline, and their range.');
    out('');
    out('| runtime | floor | peer | corset | corset / floor |');
    out('| --- | ---: | ---: | ---: | ---: |');
    for (const { row, measured: m } of measured) {
      const cell = (v, base = m.none) => {
        const p = pairedRatios(v, base);
        return `${median(p).toFixed(3)} (${Math.min(...p).toFixed(3)}-${Math.max(...p).toFixed(3)})`;
      };
      out(`| ${row.label} | ${cell(m.floor)} | ${m.peer === undefined ? 'none' : cell(m.peer)} | ${cell(m.corset)} | ${cell(m.corset, m.floor)} |`);
    }
  }

  if (measured.length > 0 && measured.every((r) => Object.values(r.measured).every((v) => v.serverCpuMicrosPerRequest !== null))) {
    out('');
    out(`Server CPU time per request, µs (user + system, all threads; the median of the rounds): less sensitive than req/s to what else the machine runs.`);
    out('');
    out(`| runtime | baseline | floor (ratio to baseline) | peer (ratio to baseline) | corset (ratio to baseline) |`);
    out(`| --- | ---: | ---: | ---: | ---: |`);
    for (const { row, measured: m } of measured) {
      const us = (v) => v.serverCpuMicrosPerRequest.toFixed(1);
      const cell = (v) => `${us(v)} (${ratio(v.serverCpuMicrosPerRequest, m.none.serverCpuMicrosPerRequest)})`;
      out(`| ${row.label} | ${us(m.none)} | ${cell(m.floor)} | ${m.peer === undefined ? 'none' : cell(m.peer)} | ${cell(m.corset)} |`);
    }
  }

  out('');
  out('Per server: req/s of each round, latency of the median round (ms: mean, p50, p90, p99, max), requests, errors, timeouts, non-2xx, autocannon CPU (cores)');
  const warnings = [];
  for (const { row, measured: m } of measured) {
    for (const [v, r] of Object.entries(m)) {
      const l = r.latencyMs;
      out(
        `  ${`${row.id}/${v}`.padEnd(18)} ${r.rounds.map((x) => x.toFixed(0)).join('/').padEnd(36)} ${[l.mean, l.p50, l.p90, l.p99, l.max].map((x) => x.toFixed(2)).join(' ')}  ${r.requests} ${r.errors} ${r.timeouts} ${r.non2xx}  ${r.clientCores.toFixed(2)}`,
      );
      if (r.clientCores > CLIENT_SATURATED) {
        warnings.push(`${row.id}/${v}: autocannon used ${r.clientCores.toFixed(2)} of a core: the client, not the server, may be the limit, which pulls the ratios toward 1`);
      }
      if (r.cappedRounds > 0) warnings.push(`${row.id}/${v}: ${r.cappedRounds} round(s) stopped at the ${ROUND_CAP_MS / 1000} s cap`);
    }
    const spread = (rs) => (Math.max(...rs) - Math.min(...rs)) / median(rs);
    const s = spread(m.none.rounds);
    if (s > 0.03) warnings.push(`${row.id}: the baseline's rounds spread ${(s * 100).toFixed(0)}%, more than the 3% the ratio is asked to resolve`);
  }
  if (warnings.length > 0) {
    out('');
    out('Warnings:');
    for (const w of warnings) out(`  ${w}`);
  }

  if (memory !== null) {
    const mb = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
    out('');
    out(
      `memory, corset's node:http server, ${memory.requests} requests in ${memory.seconds.toFixed(1)} s (${memory.reqPerSec.toFixed(0)} req/s, errors ${memory.errors}, timeouts ${memory.timeouts}, non-2xx ${memory.non2xx}):`,
    );
    for (const key of ['heapUsed', 'rss', 'external']) {
      const d = memory.after[key] - memory.before[key];
      out(`  ${key.padEnd(9)} before ${mb(memory.before[key])}  after ${mb(memory.after[key])}  change ${d >= 0 ? '+' : ''}${mb(d)}`);
    }
    if (memory.requests < MEMORY_REQUESTS) out(`  (stopped at the ${MEMORY_CAP_MS / 1000} s cap before ${MEMORY_REQUESTS} requests)`);
  }
}
