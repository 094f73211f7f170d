// npm run load: corset vs `cors` under load, on node:http over loopback (issue 4, "Under load").
//
// Three servers, each in its own child process with the same trivial handler: no CORS
// (baseline), `cors` (the Express middleware, called as plain node:http middleware), and
// corset-cors/node, configured for the same policy. autocannon (in this process) sends mixed traffic,
// in turn: an allowed GET, a denied GET, an allowed preflight, a GET without Origin, a GET from a
// wildcard-matched origin. Every response must be 2xx and no request may fail.
//
// 1. Before timing: each kind of request is sent once to each server and the CORS answer checked.
// 2. Warm-up, then ROUNDS alternating rounds of ROUND_REQUESTS requests per server; req/s is the
//    median over rounds, the ratio corset/cors taken within this one run.
// 3. Memory: corset's server is GC'd and measured, serves 1 000 000 requests, is GC'd and
//    measured again.
// Bounded: every autocannon run stops at its request count or its time cap, whichever is first,
// and a watchdog ends everything after WATCHDOG_MS. Not part of `npm test`.
//
// Run: npm run load   (builds first; needs dist/node.js). Env: LOAD_MEMORY_REQUESTS, LOAD_ROUND_REQUESTS.
// Latency percentiles come from autocannon's histogram, in whole milliseconds; the mean is exact.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const APP = 'https://app.example.com';
const PREVIEW = 'https://pr-42.preview.example.com';
const EVIL = 'https://evil.example';

const CORSET_POLICY = {
  origins: [APP, 'https://*.preview.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowHeaders: ['content-type', 'x-token'],
  exposeHeaders: ['x-request-id'],
  maxAge: 600,
};
// The same policy for `cors` (it takes RegExps for wildcards).
const CORS_OPTIONS = {
  origin: [APP, /^https:\/\/[a-z0-9-]+\.preview\.example\.com$/],
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['content-type', 'x-token'],
  exposedHeaders: ['x-request-id'],
  maxAge: 600,
};

const MIX = [
  { name: 'allowed GET', method: 'GET', path: '/', headers: { origin: APP }, acao: APP },
  { name: 'denied GET', method: 'GET', path: '/', headers: { origin: EVIL }, acao: null },
  {
    name: 'allowed preflight',
    method: 'OPTIONS',
    path: '/',
    headers: { origin: APP, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
    acao: APP,
  },
  { name: 'no Origin', method: 'GET', path: '/', headers: {}, acao: null },
  { name: 'wildcard GET', method: 'GET', path: '/', headers: { origin: PREVIEW }, acao: PREVIEW },
];

const CONNECTIONS = 10;
const WARMUP_REQUESTS = 30_000;
const ROUNDS = 3;
const ROUND_REQUESTS = Number(process.env.LOAD_ROUND_REQUESTS ?? 150_000);
const ROUND_CAP_MS = 30_000;
const MEMORY_REQUESTS = Number(process.env.LOAD_MEMORY_REQUESTS ?? 1_000_000);
const MEMORY_CAP_MS = 240_000;
const WATCHDOG_MS = 15 * 60_000;

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();

// ---- child: one server ----------------------------------------------------------------------

async function serve(kind) {
  const ok = (res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('ok');
  };
  let listener;
  if (kind === 'corset') {
    const { cors } = await import('../dist/node.js');
    const handle = cors(CORSET_POLICY);
    listener = (req, res) => {
      if (!handle(req, res)) ok(res);
    };
  } else if (kind === 'cors') {
    const { default: corsMiddleware } = await import('cors');
    const mw = corsMiddleware(CORS_OPTIONS);
    listener = (req, res) => mw(req, res, () => ok(res));
  } else {
    listener = (_req, res) => ok(res);
  }
  const server = http.createServer({ keepAliveTimeout: 60_000 }, listener);
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', (m) => {
    if (m === 'memory') {
      globalThis.gc();
      globalThis.gc();
      const u = process.memoryUsage();
      process.send({ memory: { rss: u.rss, heapUsed: u.heapUsed, external: u.external } });
    } else if (m === 'exit') {
      server.close();
      server.closeAllConnections();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

// ---- parent: the load --------------------------------------------------------------------------

async function main() {
  const { default: autocannon } = await import('autocannon');
  const children = [];
  const watchdog = setTimeout(() => {
    console.error(`load: watchdog: still running after ${WATCHDOG_MS / 1000} s, stopping`);
    for (const c of children) c.kill();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  const start = (kind) =>
    new Promise((resolve, reject) => {
      const child = fork(SELF, ['--serve', kind], { execArgv: ['--expose-gc'], stdio: 'inherit' });
      children.push(child);
      child.once('error', reject);
      child.once('message', (m) => resolve({ kind, child, port: m.port }));
    });
  const ask = (server, question, key) =>
    new Promise((resolve) => {
      const on = (m) => {
        if (m[key] !== undefined) {
          server.child.off('message', on);
          resolve(m[key]);
        }
      };
      server.child.on('message', on);
      server.child.send(question);
    });

  const servers = { none: await start('none'), cors: await start('cors'), corset: await start('corset') };
  let failed = false;
  try {
    // 1. Check the answers before timing anything.
    for (const s of [servers.cors, servers.corset]) {
      for (const r of MIX) {
        const res = await fetch(`http://127.0.0.1:${s.port}${r.path}`, { method: r.method, headers: r.headers });
        await res.arrayBuffer();
        const acao = res.headers.get('access-control-allow-origin');
        if (acao !== r.acao || res.status >= 300) {
          throw new Error(`load: ${s.kind} ${r.name}: got ${res.status} acao=${acao}; want 2xx acao=${r.acao}`);
        }
      }
    }

    const run = (server, amount, capMs) =>
      new Promise((resolve, reject) => {
        const instance = autocannon(
          {
            url: `http://127.0.0.1:${server.port}`,
            connections: CONNECTIONS,
            amount,
            requests: MIX.map(({ method, path, headers }) => ({ method, path, headers })),
          },
          (err, result) => (err ? reject(err) : resolve(result)),
        );
        // autocannon ends a run on its one-second tick: time the responses ourselves.
        const t0 = process.hrtime.bigint();
        let last = t0;
        instance.on('response', () => {
          last = process.hrtime.bigint();
        });
        const cap = setTimeout(() => instance.stop(), capMs);
        instance.once('done', (result) => {
          clearTimeout(cap);
          result.elapsedSeconds = Number(last - t0) / 1e9;
        });
      });

    console.log(`corset load test: node ${process.version}, ${CONNECTIONS} connections, loopback, mixed traffic of ${MIX.length} kinds: ${MIX.map((m) => m.name).join(', ')}`);
    for (const s of Object.values(servers)) await run(s, WARMUP_REQUESTS, ROUND_CAP_MS);

    // 2. Alternating rounds.
    const results = { none: [], cors: [], corset: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 === 0 ? ['none', 'cors', 'corset'] : ['corset', 'cors', 'none']) {
        results[kind].push(await run(servers[kind], ROUND_REQUESTS, ROUND_CAP_MS));
      }
    }
    const summary = {};
    console.log('');
    console.log(`server     req/s (median of ${ROUNDS})             mean ms  p50 ms  p90 ms  p99 ms  p99.9 ms  max ms  requests  errors  timeouts  non-2xx`);
    for (const kind of ['none', 'cors', 'corset']) {
      const rs = results[kind];
      const rps = rs.map(perSecond).sort((a, b) => a - b);
      const med = rps[Math.floor(rps.length / 2)];
      const mid = rs.find((r) => perSecond(r) === med);
      const total = rs.reduce((a, r) => a + r.requests.total, 0);
      const errors = rs.reduce((a, r) => a + r.errors, 0);
      const timeouts = rs.reduce((a, r) => a + r.timeouts, 0);
      const non2xx = rs.reduce((a, r) => a + r.non2xx, 0);
      if (errors + timeouts + non2xx > 0) failed = true;
      summary[kind] = med;
      const l = mid.latency;
      console.log(
        `${(kind === 'none' ? 'no CORS' : kind).padEnd(10)} ${med.toFixed(0).padStart(8)} (${rps.map((x) => x.toFixed(0)).join('/')})`.padEnd(46) +
          `${fmt(l.average)}  ${fmt(l.p50)}  ${fmt(l.p90)}  ${fmt(l.p99)}  ${fmt(l.p99_9).padStart(8)}  ${fmt(l.max)}  ${String(total).padStart(8)}  ${String(errors).padStart(6)}  ${String(timeouts).padStart(8)}  ${String(non2xx).padStart(7)}`,
      );
    }
    console.log('');
    console.log(`ratio corset/cors: ${(summary.corset / summary.cors).toFixed(2)} (req/s, same run)`);
    console.log(`ratio corset/no CORS: ${(summary.corset / summary.none).toFixed(2)}`);

    // 3. Memory across MEMORY_REQUESTS requests to corset's server.
    const before = await ask(servers.corset, 'memory', 'memory');
    const t0 = Date.now();
    const big = await run(servers.corset, MEMORY_REQUESTS, MEMORY_CAP_MS);
    const after = await ask(servers.corset, 'memory', 'memory');
    const bigFailures = big.errors + big.timeouts + big.non2xx;
    if (bigFailures > 0) failed = true;
    console.log('');
    console.log(
      `memory, corset server, ${big.requests.total} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s (${perSecond(big).toFixed(0)} req/s, errors ${big.errors}, timeouts ${big.timeouts}, non-2xx ${big.non2xx}):`,
    );
    for (const key of ['heapUsed', 'rss', 'external']) {
      const d = after[key] - before[key];
      console.log(`  ${key.padEnd(9)} before ${mb(before[key])}  after ${mb(after[key])}  change ${d >= 0 ? '+' : ''}${mb(d)}`);
    }
    if (big.requests.total < MEMORY_REQUESTS) {
      console.log(`  (stopped at the ${MEMORY_CAP_MS / 1000} s cap before ${MEMORY_REQUESTS} requests)`);
    }
    console.log(failed ? '\nload: FAILED: some requests failed or were not 2xx' : '\nload: errors 0');
  } finally {
    for (const c of children) c.send('exit');
    clearTimeout(watchdog);
  }
  process.exitCode = failed ? 1 : 0;
}

/** Requests per second from the first request to the last response. */
function perSecond(result) {
  return result.requests.total / result.elapsedSeconds;
}
function fmt(ms) {
  return (typeof ms === 'number' ? ms.toFixed(2) : '-').padStart(6);
}
function mb(bytes) {
  return `${(bytes / 1048576).toFixed(2)} MB`;
}
