// corset-cors/fetch and corset-cors/hono served by real Deno (`Deno.serve`), Bun (`Bun.serve`),
// workerd (a module Worker bundled by esbuild as wrangler bundles it, and once without the
// `workerd` condition) and Node with the `worker` condition (@hono/node-server), from the built
// package: real preflights and actual requests over loopback, headers checked, and the engine
// each policy runs.
// Each server is started by its pid and killed by it; a runtime whose binary cannot run here is
// skipped with a warning (and fails under CI=true).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, viaFetch, viaSocket, type Reply } from '../adapters/http-client.js';
import { WRANGLER_CONDITIONS } from '../../scripts/worker-size.mjs';
import { findRuntime } from './binaries.js';
import { missingRuntime, root, start, stop, workerdConfig, workerdServe, type Server } from './servers.js';

const APP = 'https://app.example.com';
const PREVIEW = 'https://pr-7.preview.example.com';
const EVIL = 'https://evil.example.net';

/**
 * Bundles test/runtimes/worker.mjs as wrangler would (the conditions workerd, worker, browser; an
 * imported `.wasm` file kept as a file, which wrangler uploads as a compiled WebAssembly module)
 * and writes a workerd config beside it.
 */
async function workerdArgs(conditions: string[]): Promise<{ args: string[]; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corset-workerd-'));
  const out = await build({
    entryPoints: { worker: path.join(root, 'test/runtimes/worker.mjs') },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions,
    mainFields: [...conditions, 'module', 'main'],
    loader: { '.wasm': 'copy' },
    assetNames: '[name]-[hash]',
    outdir: dir,
    metafile: true,
    logLevel: 'silent',
  });
  const wasm = Object.keys(out.metafile.outputs).filter((f) => f.endsWith('.wasm')).map((f) => path.basename(f));
  writeFileSync(path.join(dir, 'config.capnp'), workerdConfig('worker.js', wasm));
  return { args: workerdServe(path.join(dir, 'config.capnp')), dir };
}

function varyMembers(r: Reply): string[] {
  return (header(r, 'vary') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

interface Target {
  name: string;
  runtime: 'deno' | 'bun' | 'workerd' | 'node';
  /** workerd: the conditions the Worker is bundled with. */
  conditions?: string[];
  /** The engine every policy runs there (compiled or loaded, at module scope or in a request). */
  engine: 'wasm' | 'js';
}

const targets: Target[] = [
  { name: 'deno', runtime: 'deno', engine: 'wasm' },
  { name: 'bun', runtime: 'bun', engine: 'wasm' },
  // The `workerd` condition picks dist/workerd, whose module is a `.wasm` file that workerd
  // compiles at startup (it refuses to compile bytes at any time).
  { name: 'workerd', runtime: 'workerd', conditions: WRANGLER_CONDITIONS, engine: 'wasm' },
  // Without it, dist/web embeds the bytes, which workerd refuses: every policy falls back to js.
  { name: 'workerd bundled without the workerd condition (dist/web)', runtime: 'workerd', conditions: ['worker', 'browser'], engine: 'js' },
  // dist/web where WebAssembly compiles from bytes: the module at first use.
  { name: 'node --conditions=worker (dist/web)', runtime: 'node', engine: 'wasm' },
];

function binaryOf(t: Target): { bin: string | null; args: string[]; install: string } {
  if (t.runtime === 'node') return { bin: process.execPath, args: ['--conditions=worker'], install: '' };
  return findRuntime(t.runtime);
}

for (const target of targets) {
  const { name } = target;
  const rt = binaryOf(target);
  if (rt.bin === null) {
    missingRuntime(it, (n, why) => describe.skip(n, () => it(`skipped: ${why}`, () => {})), name, rt.install);
    continue;
  }

  describe(`${name}: corset-cors/fetch and corset-cors/hono under a real server`, () => {
    let server: Server | null = null;
    let port = 0;
    let tmp: string | null = null;
    beforeAll(async () => {
      let args = [...rt.args, path.join(root, 'test/runtimes/server.mjs')];
      if (target.conditions !== undefined) {
        const w = await workerdArgs(target.conditions);
        tmp = w.dir;
        args = w.args;
      }
      server = await start(rt.bin!, args);
      port = server.port;
    });
    afterAll(() => {
      stop(server);
      if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
    });

    // /fetch/ and /hono/: withCors and cors given the init; /edge/ and /hono-edge/: corset-cors/edge's
    // withCors and corset-cors/hono's compiledCors given loadPolicy(data).
    it(`runs the ${target.engine} engine, at module scope and for a policy compiled inside a request (compilePolicy and loadPolicy)`, async () => {
      const r = await viaFetch(port, { method: 'GET', path: '/engine', headers: [] });
      const e = target.engine;
      expect(JSON.parse(r.body)).toEqual({ compiled: { moduleScope: e, inRequest: e }, loaded: { moduleScope: e, inRequest: e }, js: 'js' });
    });

    for (const app of ['fetch', 'hono', 'edge', 'hono-edge'] as const) {
      const at = (p: string) => `/${app}${p}`;

      it(`${app}: an allowed preflight is answered (204, no app call) with every header`, async () => {
        const r = await viaFetch(port, {
          method: 'OPTIONS',
          path: at('/items'),
          headers: [['Origin', PREVIEW], ['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', 'X-Token, content-type']],
        });
        expect(r.status).toBe(204);
        expect(r.body).toBe('');
        expect(header(r, 'access-control-allow-origin')).toBe(PREVIEW);
        expect(header(r, 'access-control-allow-credentials')).toBe('true');
        expect(header(r, 'access-control-allow-methods')?.split(/,\s*/)).toContain('PUT');
        expect(header(r, 'access-control-allow-headers')?.toLowerCase().split(/,\s*/).sort()).toEqual(['content-type', 'x-token']);
        expect(header(r, 'access-control-max-age')).toBe('600');
        expect(varyMembers(r)).toEqual(expect.arrayContaining(['origin', 'access-control-request-method', 'access-control-request-headers']));
      });

      it(`${app}: a denied preflight carries no access-control-allow-*`, async () => {
        for (const [origin, method] of [[EVIL, 'PUT'], [APP, 'DELETE']] as const) {
          const r = await viaFetch(port, { method: 'OPTIONS', path: at('/items'), headers: [['Origin', origin], ['Access-Control-Request-Method', method]] });
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(Object.keys(r.fields).filter((k) => k.startsWith('access-control-allow-')), `${origin} ${method}`).toEqual([]);
          expect(varyMembers(r)).toContain('origin');
        }
      });

      it(`${app}: an allowed actual request reaches the app and gets the headers`, async () => {
        const r = await viaFetch(port, { method: 'GET', path: at('/items'), headers: [['Origin', APP]] });
        expect(r.status).toBe(200);
        expect(r.body).toBe('items');
        expect(header(r, 'access-control-allow-origin')).toBe(APP);
        expect(header(r, 'access-control-allow-credentials')).toBe('true');
        expect(header(r, 'access-control-expose-headers')).toBe('x-request-id');
        expect(varyMembers(r)).toEqual(['origin']);
      });

      it(`${app}: a denied actual request reaches the app without access-control-allow-*`, async () => {
        const r = await viaFetch(port, { method: 'GET', path: at('/items'), headers: [['Origin', EVIL]] });
        expect(r.status).toBe(200);
        expect(r.body).toBe('items');
        expect(Object.keys(r.fields).filter((k) => k.startsWith('access-control-'))).toEqual([]);
        expect(varyMembers(r)).toEqual(['origin']);
      });

      it(`${app}: Vary is merged with the app's own (raw socket: every field line)`, async () => {
        const r = await viaSocket(port, { method: 'GET', path: at('/vary'), headers: [['Origin', APP]] });
        expect(r.status).toBe(200);
        expect(header(r, 'access-control-allow-origin')).toBe(APP);
        expect(varyMembers(r).sort()).toEqual(['accept-encoding', 'origin']);
      });

      it(`${app}: a streamed body arrives whole, with the headers`, async () => {
        const r = await viaSocket(port, { method: 'GET', path: at('/stream'), headers: [['Origin', APP]] });
        expect(r.status).toBe(200);
        expect(r.body).toBe('chunk-1;chunk-2;chunk-3');
        expect(header(r, 'access-control-allow-origin')).toBe(APP);
        // Still a stream on the wire: chunked, no length (corset did not read the body to copy it).
        expect(header(r, 'transfer-encoding')).toBe('chunked');
        expect(header(r, 'content-length')).toBeNull();
      });

      const isHono = app === 'hono' || app === 'hono-edge';
      it(`${app}: an app that throws gets a 500 from ${isHono ? 'app.onError' : 'the runtime'}`, async () => {
        const r = await viaFetch(port, { method: 'GET', path: at('/throw'), headers: [['Origin', APP]] });
        expect(r.status).toBe(500);
        if (isHono) {
          // Hono's onError response passes back through the middleware: it carries the headers.
          expect(r.body).toBe('app error');
          expect(header(r, 'access-control-allow-origin')).toBe(APP);
        } else {
          // withCors does not turn a throw into a response; the runtime answers on its own.
          expect(header(r, 'access-control-allow-origin')).toBeNull();
        }
        // The server keeps serving after the failure.
        const next = await viaFetch(port, { method: 'GET', path: at('/items'), headers: [['Origin', APP]] });
        expect(next.status).toBe(200);
      });
    }
  });
}
