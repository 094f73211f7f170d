// Starting the runtime tests' servers: Deno and Bun print `{"port":N}` on stdout (server.mjs);
// workerd reports `{"event":"listen","port":N}` on its control fd (3). Each server listens on
// 127.0.0.1 at an ephemeral port and is stopped by its pid (stop()).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

export interface Server {
  child: ChildProcess;
  port: number;
}

export function start(bin: string, args: string[]): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`${bin}: no port within 30 s; stderr: ${err}`));
    }, 30_000);
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const onOut = (c: Buffer) => {
      out += c.toString();
      const m = /"port":(\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout!.on('data', onOut);
    (child.stdio[3] as NodeJS.ReadableStream).on('data', onOut);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${bin} exited (${code}) before listening; stderr: ${err}`));
    });
  });
}

export function stop(server: Server | null): void {
  if (server?.child.pid !== undefined && server.child.exitCode === null) process.kill(server.child.pid, 'SIGKILL');
}

/** A workerd config serving `script`, with the `.wasm` modules the bundle imports beside it. */
export function workerdConfig(script: string, wasmFiles: readonly string[]): string {
  const modules = [`(name = "${script}", esModule = embed "${script}")`, ...wasmFiles.map((f) => `(name = "${f}", wasm = embed "${f}")`)];
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .w)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const w :Workerd.Worker = (
  modules = [${modules.join(', ')}],
  compatibilityDate = "2024-09-23",
);
`;
}

/** workerd's arguments to serve the config at `file`, reporting its port on fd 3. */
export const workerdServe = (file: string): string[] => ['serve', file, '--control-fd=3'];

/**
 * A runtime whose binary cannot run: under CI=true a failing test; elsewhere a loud SKIPPED warning
 * and `skip(name, why)`, which names a skipped block by the runtime and states why in it.
 */
export function missingRuntime(
  it: (name: string, fn: () => void) => void,
  skip: (name: string, why: string) => void,
  name: string,
  install: string,
): void {
  const msg = `corset runtime tests: ${name} cannot run on this machine (no working binary under node_modules); install with ${install}`;
  if (process.env.CI === 'true') {
    it(`${name} binary is present (CI)`, () => {
      throw new Error(msg);
    });
    return;
  }
  console.warn(`SKIPPED: ${msg}`);
  skip(name, msg);
}
