// The load test's matrix (bench/load.mjs, test/load-harness.test.ts): which servers, how each is
// started (its own process, 127.0.0.1, an ephemeral port it prints on stdout), stopped (by its
// pid) and checked (every kind of request of the MIX, once, before anything is timed).
import { fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BODY, MIX } from './policy.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_SERVER = path.join(root, 'bench/load/node-server.mjs');
const FETCH_SERVER = path.join(root, 'bench/load/fetch-server.mjs');

/**
 * One row of the table: a server (runtime + framework) in its variants. `peer` is the framework's
 * usual CORS middleware, null where there is none (a bare Fetch handler).
 */
export const ROWS = [
  { id: 'node', label: 'node:http', runtime: 'node', framework: 'http', peer: 'cors', corset: 'corset-cors/node' },
  { id: 'express', label: 'Express 5', runtime: 'node', framework: 'express', peer: 'cors', corset: 'corset-cors/node' },
  { id: 'fastify', label: 'Fastify 5', runtime: 'node', framework: 'fastify', peer: '@fastify/cors', corset: 'corset-cors/fastify' },
  { id: 'hono', label: 'Hono on @hono/node-server', runtime: 'node', framework: 'hono', peer: 'hono/cors', corset: 'corset-cors/hono' },
  { id: 'deno', label: 'Deno (Deno.serve)', runtime: 'deno', framework: 'fetch', peer: null, corset: 'corset-cors/fetch withCors' },
  { id: 'deno-hono', label: 'Deno, Hono', runtime: 'deno', framework: 'hono', peer: 'hono/cors', corset: 'corset-cors/hono' },
  { id: 'bun', label: 'Bun (Bun.serve)', runtime: 'bun', framework: 'fetch', peer: null, corset: 'corset-cors/fetch withCors' },
  { id: 'bun-hono', label: 'Bun, Hono', runtime: 'bun', framework: 'hono', peer: 'hono/cors', corset: 'corset-cors/hono' },
];

/**
 * The variants of a row, in order: none (the baseline, no CORS), floor (the policy's answers
 * hand-written: what writing the CORS headers costs with no library), peer (when the row has
 * one), corset.
 */
export const variantsOf = (row) => (row.peer === null ? ['none', 'floor', 'corset'] : ['none', 'floor', 'peer', 'corset']);

/**
 * `--only a,b`: rows whose id is a name, or starts with `name-` (`deno` picks deno and
 * deno-hono). An unknown name is an error.
 */
export function selectRows(only) {
  if (only === undefined || only === '') return ROWS;
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) {
    if (!ROWS.some((r) => r.id === n || r.id.startsWith(`${n}-`))) {
      throw new Error(`load: --only ${n}: no such row (rows: ${ROWS.map((r) => r.id).join(', ')})`);
    }
  }
  return ROWS.filter((r) => names.some((n) => r.id === n || r.id.startsWith(`${n}-`)));
}

// ---- the Deno and Bun binaries ---------------------------------------------------------------

const modules = path.join(root, 'node_modules');

function runs(file) {
  if (!existsSync(file)) return false;
  return spawnSync(file, ['--version'], { timeout: 20_000, encoding: 'utf8' }).status === 0;
}
function candidates(scope, prefix, rel) {
  const dir = path.join(modules, scope);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => d.startsWith(prefix))
    .flatMap((d) => rel.map((r) => path.join(dir, d, r)));
}

/**
 * The real binary of the `deno` / `bun` dev dependency (as test/runtimes/binaries.ts finds it:
 * not a wrapper, so that the pid we kill is the server's), or null when none runs here.
 */
export function findBinary(runtime) {
  if (runtime === 'node') return process.execPath;
  const files =
    runtime === 'deno'
      ? [...candidates('@deno', `${process.platform}-${process.arch}`, ['deno', 'deno.exe']), path.join(modules, 'deno/deno')]
      : [path.join(modules, 'bun/bin/bun.exe'), ...candidates('@oven', `bun-${process.platform}-${process.arch === 'x64' ? 'x64' : 'aarch64'}`, ['bin/bun', 'bin/bun.exe'])];
  return files.find(runs) ?? null;
}

export function runtimeVersion(runtime, bin) {
  if (runtime === 'node') return process.version;
  const r = spawnSync(bin, ['--version'], { timeout: 20_000, encoding: 'utf8' });
  return (r.stdout ?? '').split('\n')[0].trim();
}

/** What Deno may read: the repo, and node_modules where it really is (it may be a symlink). */
function denoReadRoots() {
  const roots = new Set([root]);
  if (existsSync(modules)) roots.add(realpathSync(modules));
  return [...roots].join(',');
}

/** The command that starts one server. */
export function command(row, variant, bin, { memory = false, cpuProfDir, cpuProfIntervalMicros } = {}) {
  if (row.runtime === 'node') {
    const interval = cpuProfIntervalMicros === undefined ? [] : [`--cpu-prof-interval=${cpuProfIntervalMicros}`];
    const profile = cpuProfDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, ...interval];
    return { bin, args: [...(memory ? ['--expose-gc'] : []), ...profile, NODE_SERVER, row.framework, variant] };
  }
  if (row.runtime === 'deno') {
    return {
      bin,
      // No network but loopback, reads limited to the repo; bare `hono` resolves from the repo's
      // node_modules (package.json beside it), remote modules are refused.
      args: ['run', '--quiet', '--no-prompt', '--no-remote', '--no-config', '--node-modules-dir=manual', `--allow-net=127.0.0.1`, `--allow-read=${denoReadRoots()}`, FETCH_SERVER, row.framework, variant],
    };
  }
  return { bin, args: ['run', FETCH_SERVER, row.framework, variant] };
}

// ---- start, stop, check ----------------------------------------------------------------------

const START_CAP_MS = 30_000;
/** Every server started and not yet stopped, for the watchdog and for exit. */
export const live = new Set();

/**
 * Starts one server; resolves `{ row, variant, child, pid, port }` once it printed its port. A
 * Node server is forked (an IPC channel, for the memory readings); Deno and Bun are spawned.
 */
export function startServer(row, variant, bin, options = {}) {
  const { bin: file, args } = command(row, variant, bin, options);
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NODE_ENV: 'production' };
    const child =
      row.runtime === 'node'
        ? fork(args[args.length - 3], args.slice(-2), { execPath: file, execArgv: args.slice(0, -3), cwd: root, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
        : spawn(file, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = { row, variant, child, pid: child.pid, port: 0 };
    live.add(server);
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      stopServer(server);
      reject(new Error(`load: ${row.id}/${variant}: no port within ${START_CAP_MS / 1000} s; stderr: ${err}`));
    }, START_CAP_MS);
    child.stderr.on('data', (c) => {
      err += c.toString();
      if (server.port !== 0) process.stderr.write(`[${row.id}/${variant}] ${c}`);
    });
    child.stdout.on('data', (c) => {
      out += c.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m !== null && server.port === 0) {
        clearTimeout(timer);
        server.port = Number(m[1]);
        resolve(server);
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      live.delete(server);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(server);
      if (server.port === 0) reject(new Error(`load: ${row.id}/${variant} exited (${code ?? signal}) before listening; stderr: ${err}`));
    });
  });
}

/** Stops a server by its pid (SIGKILL: nothing of it is kept) and waits for it to be gone. */
export function stopServer(server) {
  live.delete(server);
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(server.pid, 'SIGKILL');
    } catch {
      resolve();
    }
  });
}

/**
 * Stops a server with SIGTERM, which a Node server of the matrix answers by closing and exiting
 * (so that a `--cpu-prof` profile is written); SIGKILL after `graceMs` if it is still there.
 */
export function stopServerGracefully(server, graceMs = 10_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(server);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => stopServer(server).then(resolve), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      live.delete(server);
      resolve();
    });
    try {
      process.kill(server.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      live.delete(server);
      resolve();
    }
  });
}

export function stopAllNow() {
  for (const s of [...live]) {
    try {
      process.kill(s.pid, 'SIGKILL');
    } catch {}
    live.delete(s);
  }
}

const lower = (v) => (v === null ? null : v.toLowerCase());

/**
 * Sends each kind of request of the MIX once and checks the answer: 2xx; the body `ok` where the
 * application answered; for a CORS variant the right Access-Control-Allow-Origin, credentials on
 * an allowed origin, PUT among the allowed methods of the preflight; for the baseline no CORS
 * header at all. Throws on the first wrong answer.
 */
export async function checkServer(server) {
  const cors = server.variant !== 'none';
  const where = `${server.row.id}/${server.variant}`;
  for (const r of MIX) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), 10_000);
    let res;
    let body;
    try {
      res = await fetch(`http://127.0.0.1:${server.port}${r.path}`, { method: r.method, headers: r.headers, signal: ac.signal });
      body = await res.text();
    } finally {
      clearTimeout(timer);
    }
    const acao = res.headers.get('access-control-allow-origin');
    const want = cors ? r.acao : null;
    const problems = [];
    if (res.status < 200 || res.status >= 300) problems.push(`status ${res.status}`);
    if (acao !== want) problems.push(`access-control-allow-origin ${acao}, want ${want}`);
    if (cors && want !== null && res.headers.get('access-control-allow-credentials') !== 'true') problems.push('no access-control-allow-credentials: true');
    if (cors && r.preflight && !/\bPUT\b/i.test(res.headers.get('access-control-allow-methods') ?? '')) problems.push(`access-control-allow-methods ${res.headers.get('access-control-allow-methods')}`);
    if (cors && r.preflight && !(lower(res.headers.get('access-control-allow-headers')) ?? '').includes('content-type')) problems.push('content-type not allowed');
    if (!cors && [...res.headers.keys()].some((k) => k.startsWith('access-control-'))) problems.push('a CORS header from the server without CORS');
    if (!(cors && r.preflight) && body !== BODY) problems.push(`body ${JSON.stringify(body.slice(0, 40))}, want ${JSON.stringify(BODY)}`);
    if (problems.length > 0) throw new Error(`load: ${where}: ${r.name}: ${problems.join('; ')}`);
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); null elsewhere. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number((r.stdout ?? '').trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();
