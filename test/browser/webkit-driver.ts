// WebKit for the real-browser suite: the MiniBrowser that Debian's `libwebkit2gtk-4.1-0` ships,
// driven by `WebKitWebDriver` (package `webkit2gtk-driver`) over classic W3C WebDriver, under a
// private Xvfb. No client library: WebDriver is JSON over HTTP, spoken here with `fetch` on
// loopback. One launch per suite run: Xvfb picks a free display (`-displayfd`), the driver listens
// on an ephemeral loopback port (read back from /proc, so no port is guessed), and one session
// (one MiniBrowser, an ephemeral website-data store under `--automation`) serves every page.
// Every HTTP call and every wait is bounded; `close()` and any failure on the way up stop what was
// started, by pid: the driver and the MiniBrowser it spawns share a process group (the driver is
// started detached), Xvfb is stopped on its own; an exit hook does the same if the run dies.
//
// What this engine is and is not: WebKitGTK is WebKit's WebCore (Fetch, CORS checks, the
// CORS-preflight cache: Source/WebCore/loader) over libsoup, not Safari's CFNetwork stack. The
// CORS decisions are WebCore's and shared with Safari; what the network stack decides (connection
// reuse, the HTTP cache's details, which request headers the stack itself adds) may differ on
// Apple platforms.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

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

/** W3C WebDriver's element reference key (WebDriver §12.1 "Elements"). */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

export interface EvaluateOptions {
  /**
   * A CSS selector for an iframe of the current page to run the script in (top level when absent).
   * WebDriver §11.4 "Switch To Frame", and back to the top-level browsing context afterwards.
   */
  frame?: string;
}

/** A launched WebKit: one MiniBrowser with one WebDriver session. */
export interface WebKitBrowser {
  readonly engine: 'webkit';
  /** `WebKitGTK 2.50.6 (MiniBrowser)`: the session's browserVersion, which is the WebKitGTK version. */
  version(): string;
  /** Navigate the session's window to a (loopback) URL and wait for the load to finish. */
  open(url: string): Promise<void>;
  /**
   * Run `fn(arg)` in the page (a function without free variables, as with page.evaluate), awaiting
   * its promise; the result and `arg` cross as JSON. Rejects with the page's error message.
   */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A, options?: EvaluateOptions): Promise<R>;
  /** Poll `fn()` in the page until it is truthy (bounded), as page.waitForFunction. */
  waitFor(fn: () => unknown, options?: EvaluateOptions & { timeoutMs?: number }): Promise<void>;
  /** Delete the session and stop every process started, by pid. Safe to call twice. */
  close(): Promise<void>;
}

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
 * The function's source run as a WebDriver async script: `arguments[0]` is the argument. The
 * outcome is wrapped (`returned` / `threw`), never a bare `{ error }`, which would read as a
 * WebDriver error.
 */
function asyncScript(fn: (arg: never) => unknown): string {
  return `const done = arguments[arguments.length - 1];
try {
  Promise.resolve((${fn.toString()})(arguments[0])).then(
    (v) => done({ returned: v === undefined ? null : v }),
    (e) => done({ threw: String((e && e.message) || e) }));
} catch (e) { done({ threw: String((e && e.message) || e) }); }`;
}

/**
 * Start Xvfb, WebKitWebDriver and one MiniBrowser session. Throws (after stopping whatever it
 * started) when a binary is missing or a step does not finish within its bound.
 */
export async function launchWebKit(): Promise<WebKitBrowser> {
  const missing = missingWebKitBinaries();
  if (missing.length > 0) {
    throw new Error(`corset: WebKit needs ${missing.map((m) => `${m.path} (apt-get install -y ${m.pkg})`).join(', ')}`);
  }
  const started: Spawned[] = [];
  guardExit(started);
  const stopAll = async (): Promise<void> => {
    // Driver (with its browsers) first, the display last.
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
    )) as { sessionId: string; capabilities: { browserName?: string; browserVersion?: string } };
    session = `/session/${created.sessionId}`;
    version = `WebKitGTK ${created.capabilities.browserVersion ?? '?'} (${created.capabilities.browserName ?? 'MiniBrowser'})`;
  } catch (e) {
    await stopAll();
    throw e;
  }

  let closed = false;
  const inFrame = async <R>(frame: string | undefined, run: () => Promise<R>): Promise<R> => {
    if (frame === undefined) return await run();
    const el = (await command(base, 'POST', `${session}/element`, { using: 'css selector', value: frame })) as Record<string, string>;
    await command(base, 'POST', `${session}/frame`, { id: { [ELEMENT_KEY]: el[ELEMENT_KEY] } });
    try {
      return await run();
    } finally {
      await command(base, 'POST', `${session}/frame`, { id: null });
    }
  };

  const evaluate = async <A, R>(fn: (arg: A) => R | Promise<R>, arg: A, options?: EvaluateOptions): Promise<R> => {
    if (closed) throw new Error('corset: WebKit: evaluate after close()');
    return await inFrame(options?.frame, async () => {
      const out = (await command(base, 'POST', `${session}/execute/async`, { script: asyncScript(fn as (arg: never) => unknown), args: [arg] }, TIMEOUTS.script + 5_000)) as {
        returned?: R;
        threw?: string;
      };
      if (out.threw !== undefined) throw new Error(`corset: in WebKit: ${out.threw}`);
      return out.returned as R;
    });
  };

  return {
    engine: 'webkit',
    version: () => version,
    async open(url: string): Promise<void> {
      await command(base, 'POST', `${session}/url`, { url }, TIMEOUTS.pageLoad + 5_000);
    },
    evaluate,
    async waitFor(fn: () => unknown, options?: EvaluateOptions & { timeoutMs?: number }): Promise<void> {
      const deadline = Date.now() + (options?.timeoutMs ?? TIMEOUTS.script);
      for (;;) {
        const opts = options?.frame === undefined ? undefined : { frame: options.frame };
        if (await evaluate(fn, undefined, opts)) return;
        if (Date.now() > deadline) throw new Error(`corset: WebKit: ${fn.toString()} not true within the bound`);
        await sleep(25);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        await command(base, 'DELETE', session, undefined, TIMEOUTS.stop);
      } catch {
        // The processes are stopped below whatever the driver says.
      }
      await stopAll();
    },
  };
}
