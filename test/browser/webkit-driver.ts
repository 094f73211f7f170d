// WebKit for the real-browser suite: the MiniBrowser that Debian's `libwebkit2gtk-4.1-0` ships,
// driven by `WebKitWebDriver` (package `webkit2gtk-driver`) over classic W3C WebDriver, under a
// private Xvfb. No client library: WebDriver is JSON over HTTP, spoken here with `fetch` on
// loopback. One launch per suite run: Xvfb picks a free display (`-displayfd`), the driver listens
// on an ephemeral loopback port (read back from /proc, so no port is guessed), and one session
// (one MiniBrowser, an ephemeral website-data store under `--automation`) serves every page.
// Every HTTP call and every wait is bounded; `close()` and any failure on the way up stop what was
// started, by pid: the driver and the MiniBrowser it spawns share a process group (the driver is
// started detached), Xvfb is stopped on its own; an exit hook does the same if the run dies.
// No `corsErrorFor`: WebKit writes its CORS errors to the Web Inspector console, which classic
// WebDriver does not expose (MiniBrowser's console-to-stdout setting is not applied to the views
// automation opens), so the suite compares outcomes, not console messages, for WebKit.
//
// What this engine is and is not: WebKitGTK is WebKit's WebCore (Fetch, CORS checks, the
// CORS-preflight cache: Source/WebCore/loader) over libsoup, not Safari's CFNetwork stack. The
// CORS decisions are WebCore's and shared with Safari; what the network stack decides (connection
// reuse, the HTTP cache's details, which request headers the stack itself adds) may differ on
// Apple platforms.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { BrowserDriver, DriverSession } from './driver.js';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const WEBKIT_WEBDRIVER = '/usr/bin/WebKitWebDriver';
export const XVFB = '/usr/bin/Xvfb';

/** The three binaries, each with the Debian package that installs it, for a skip or CI message. */
export const WEBKIT_BINARIES: readonly { path: string; pkg: string }[] = [
  { path: WEBKIT_WEBDRIVER, pkg: 'webkit2gtk-driver' },
  { path: MINIBROWSER, pkg: 'libwebkit2gtk-4.1-0' },
  { path: XVFB, pkg: 'xvfb' },
];

/** The binaries missing on this machine (empty: WebKit can run). */
export function missingWebKitBinaries(): { path: string; pkg: string }[] {
  return WEBKIT_BINARIES.filter((b) => !existsSync(b.path));
}

/** Bounds, in milliseconds. Generous for a loaded 2-core machine, short enough to fail fast. */
const TIMEOUTS = {
  /** Xvfb writing its display number. */
  display: 10_000,
  /** The driver listening and answering /status. */
  driver: 10_000,
  /** POST /session: MiniBrowser starting (about 3 s measured idle). */
  session: 30_000,
  /** One navigation. */
  pageLoad: 20_000,
  /** One script (a scenario's fetch and its checks). */
  script: 20_000,
  /** Any other WebDriver call. */
  command: 10_000,
  /** DELETE /session, then the wait for each process to exit before SIGKILL. */
  stop: 3_000,
} as const;

interface Spawned {
  readonly name: string;
  readonly child: ChildProcess;
  /** Kill the whole process group (the driver's: MiniBrowser and its web/network processes). */
  readonly group: boolean;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function signal(p: Spawned, sig: NodeJS.Signals): void {
  const pid = p.child.pid;
  if (pid === undefined) return;
  try {
    if (p.group) process.kill(-pid, sig);
    else if (alive(p.child)) process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** True when no process is left in the group led by `pid` (/proc/<pid>/stat field 5 is the pgid). */
function groupEmpty(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state, [2] the pgid; a zombie (Z) has exited already.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return false;
    } catch {
      // The process exited while being read.
    }
  }
  return true;
}

async function stopProcess(p: Spawned): Promise<void> {
  const pid = p.child.pid;
  if (pid === undefined) return;
  const gone = (): boolean => (p.group ? groupEmpty(pid) : !alive(p.child));
  if (gone()) return;
  signal(p, 'SIGTERM');
  const deadline = Date.now() + TIMEOUTS.stop;
  while (!gone() && Date.now() < deadline) await sleep(25);
  if (!gone()) signal(p, 'SIGKILL');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The last lines a process wrote to stderr, for an error message. */
function tail(buffer: string[]): string {
  const text = buffer.join('').trim();
  return text === '' ? '' : `\n  stderr: ${text.split('\n').slice(-8).join('\n          ')}`;
}

function collect(child: ChildProcess, into: string[]): void {
  const push = (chunk: Buffer): void => {
    if (process.env['CORSET_WEBKIT_DEBUG']) process.stderr.write(chunk);
    into.push(chunk.toString('utf8'));
    if (into.length > 200) into.splice(0, into.length - 200);
  };
  child.stderr?.on('data', push);
  child.stdout?.on('data', push);
}

/** Start Xvfb on a display it chooses itself (`-displayfd 3`: it writes the number to fd 3). */
async function startXvfb(started: Spawned[]): Promise<number> {
  const child = spawn(XVFB, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  started.push({ name: 'Xvfb', child, group: false });
  const log: string[] = [];
  collect(child, log);
  const fd3 = child.stdio[3] as NodeJS.ReadableStream;
  return await new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`corset: Xvfb wrote no display number within ${TIMEOUTS.display} ms${tail(log)}`)), TIMEOUTS.display);
    fd3.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const m = /^([0-9]+)\n/.exec(text);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`corset: Xvfb exited (${code ?? sig}) before choosing a display${tail(log)}`));
    });
  });
}

/**
 * The TCP port a process listens on, from /proc: its socket inodes (/proc/<pid>/fd -> socket:[n])
 * looked up among the listening sockets of /proc/net/tcp (state 0A). Loopback only, as asked.
 */
function listeningPort(pid: number): number | null {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[([0-9]+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((x): x is string => x !== undefined),
    );
  } catch {
    return null;
  }
  for (const line of readFileSync('/proc/net/tcp', 'latin1').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // f[1] local address (hex ip:port), f[3] state, f[9] inode.
    if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
    const [ip, port] = f[1]!.split(':');
    if (ip === '0100007F') return Number.parseInt(port!, 16); // 127.0.0.1, little-endian
  }
  return null;
}

interface WireError {
  error: string;
  message: string;
}

/** One WebDriver command: JSON in, `value` out; a WebDriver error becomes a thrown Error. */
async function command(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeoutMs: number = TIMEOUTS.command): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: { value?: unknown };
  try {
    parsed = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new Error(`corset: WebDriver ${method} ${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  const value = parsed.value as Partial<WireError> | undefined;
  if (!res.ok || (typeof value === 'object' && value !== null && typeof value.error === 'string')) {
    throw new Error(`corset: WebDriver ${method} ${path}: ${value?.error ?? res.status}: ${value?.message ?? text.slice(0, 200)}`);
  }
  return parsed.value;
}

async function startDriver(display: number, started: Spawned[]): Promise<string> {
  // detached: the driver leads a new process group, which the MiniBrowser it spawns (and that
  // browser's WebKitWebProcess / WebKitNetworkProcess) join, so one kill(-pid) stops them all.
  const child = spawn(WEBKIT_WEBDRIVER, ['--port=0', '--host=local'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DISPLAY: `:${display}`, GDK_BACKEND: 'x11', WEBKIT_DISABLE_COMPOSITING_MODE: '1', NO_AT_BRIDGE: '1' },
  });
  started.push({ name: 'WebKitWebDriver', child, group: true });
  const log: string[] = [];
  collect(child, log);
  const deadline = Date.now() + TIMEOUTS.driver;
  while (Date.now() < deadline) {
    if (!alive(child)) throw new Error(`corset: WebKitWebDriver exited (${child.exitCode ?? child.signalCode})${tail(log)}`);
    const port = child.pid === undefined ? null : listeningPort(child.pid);
    if (port !== null) {
      const base = `http://127.0.0.1:${port}`;
      try {
        const status = (await command(base, 'GET', '/status', undefined, 2_000)) as { ready?: boolean };
        if (status.ready !== false) return base;
      } catch {
        // Not answering yet.
      }
    }
    await sleep(30);
  }
  throw new Error(`corset: WebKitWebDriver did not listen on loopback within ${TIMEOUTS.driver} ms${tail(log)}`);
}

/** Processes of runs that did not reach close(): stopped when Node exits. */
const orphans = new Set<Spawned>();
let exitHook = false;
function guardExit(spawned: Spawned[]): void {
  for (const s of spawned) orphans.add(s);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const s of orphans) signal(s, 'SIGKILL');
  });
}

/**
 * `(${fnSource})(arg)` as a WebDriver async script (`arguments[0]` is the argument). The outcome
 * comes back wrapped (`returned` / `threw`), never as a bare `{ error }`, which would read as a
 * WebDriver error. The result crosses as a JSON string made in the page: WebDriver's own JSON clone
 * turns an `undefined` property into `null`, where JSON (and the other drivers) leave it out.
 */
function asyncScript(fnSource: string): string {
  return `const done = arguments[arguments.length - 1];
try {
  Promise.resolve((${fnSource})(arguments[0])).then(
    (v) => done({ returned: v === undefined ? 'null' : JSON.stringify(v) }),
    (e) => done({ threw: String((e && e.message) || e) }));
} catch (e) { done({ threw: String((e && e.message) || e) }); }`;
}

/** Waits for the page's `corsetReady` (or its `corsetError`), as DriverSession.open promises. */
const READY = `() => {
  const g = globalThis;
  if (g.corsetError !== undefined) throw new Error('the page failed: ' + g.corsetError);
  return g.corsetReady === true;
}`;

/**
 * Start Xvfb, WebKitWebDriver and one MiniBrowser session. Throws (after stopping whatever it
 * started) when a binary is missing or a step does not finish within its bound.
 */
export async function launchWebKit(): Promise<DriverSession> {
  const missing = missingWebKitBinaries();
  if (missing.length > 0) {
    throw new Error(`corset: WebKit needs ${missing.map((m) => `${m.path} (apt-get install -y ${m.pkg})`).join(', ')}`);
  }
  const started: Spawned[] = [];
  guardExit(started);
  const stopAll = async (): Promise<void> => {
    // The driver (with its browser) first, the display last.
    for (const p of [...started].reverse()) {
      await stopProcess(p);
      orphans.delete(p);
    }
  };
  let base = '';
  let session = '';
  let version = '';
  try {
    const display = await startXvfb(started);
    guardExit(started);
    base = await startDriver(display, started);
    guardExit(started);
    const created = (await command(
      base,
      'POST',
      '/session',
      {
        capabilities: {
          alwaysMatch: {
            pageLoadStrategy: 'normal',
            timeouts: { script: TIMEOUTS.script, pageLoad: TIMEOUTS.pageLoad, implicit: 0 },
            'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
          },
        },
      },
      TIMEOUTS.session,
    )) as { sessionId: string; capabilities: { browserVersion?: string } };
    session = `/session/${created.sessionId}`;
    // The session's browserVersion is the WebKitGTK version (MiniBrowser has none of its own).
    version = `webkit/${created.capabilities.browserVersion ?? 'unknown'}`;
  } catch (e) {
    await stopAll();
    throw e;
  }

  let closed = false;
  const evaluate = async <T>(fnSource: string, arg?: unknown): Promise<T> => {
    if (closed) throw new Error('corset: WebKit: evaluate after close()');
    const body = { script: asyncScript(fnSource), args: [arg ?? null] };
    const out = (await command(base, 'POST', `${session}/execute/async`, body, TIMEOUTS.script + 5_000)) as { returned?: string; threw?: string };
    if (out.threw !== undefined) throw new Error(`corset: in WebKit: ${out.threw}`);
    return JSON.parse(out.returned ?? 'null') as T;
  };

  return {
    version,
    async open(url: string, timeoutMs: number = TIMEOUTS.pageLoad): Promise<void> {
      await command(base, 'POST', `${session}/url`, { url }, TIMEOUTS.pageLoad + 5_000);
      const deadline = Date.now() + timeoutMs;
      while (!(await evaluate<boolean>(READY))) {
        if (Date.now() > deadline) throw new Error(`corset: WebKit: ${url} did not set corsetReady within ${timeoutMs} ms`);
        await sleep(25);
      }
    },
    evaluate,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        if (session !== '') await command(base, 'DELETE', session, undefined, TIMEOUTS.stop);
      } catch {
        // The processes are stopped below whatever the driver answers.
      }
      await stopAll();
    },
  };
}

/** The WebKit driver of the real-browser suite (./driver.ts). */
export const webkitDriver: BrowserDriver = {
  engine: 'webkit',
  executable: WEBKIT_WEBDRIVER,
  installHint: 'apt-get install -y webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb',
  available: () => missingWebKitBinaries().length === 0,
  launch: launchWebKit,
};
