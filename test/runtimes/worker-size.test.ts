// A minimal Cloudflare Worker with a policy compiled ahead of time: `corset compile --format policy`
// (the real CLI) writes the data, the Worker imports it with loadPolicy and the Fetch handler (or
// Hono with compiledCors), and
// esbuild bundles it as wrangler does (scripts/worker-size.mjs: conditions workerd, worker,
// browser; `.wasm` kept as a module). The test measures it as wrangler reports it (gzip level 6,
// zlib's default, over the `.wasm` and the script together), holds it to 64 KB, checks that
// nothing compile-time reached it (no validator packages: tldts, re2js, whatwg-url, tr46), then
// serves it in workerd and sends it real requests: the loaded policy runs the WASM engine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker, EXAMPLE_POLICY, WORKERS, wranglerGzipSize } from '../../scripts/worker-size.mjs';
import { compilePolicy, type CorsRequest } from '../../src/index.js';
import { loadPolicy } from '../../src/edge/index.js';
import { header, viaFetch } from '../adapters/http-client.js';
import { findRuntime } from './binaries.js';
import { missingRuntime, root, start, stop, workerdConfig, workerdServe, type Server } from './servers.js';

/** corset's ceiling for an edge Worker, script and `.wasm` gzipped: 64 KB (64 000 bytes, the stricter reading). */
const CEILING = 64_000;
const COMPILE_TIME_PACKAGES = ['tldts', 'tldts-core', 're2js', 'whatwg-url', 'tr46', 'webidl-conversions', 'punycode'];

let dir = '';
let policyFile = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'corset-edge-worker-'));
  const initFile = path.join(dir, 'policy.json');
  policyFile = path.join(dir, 'cors-policy.json');
  writeFileSync(initFile, JSON.stringify(EXAMPLE_POLICY));
  const r = spawnSync(process.execPath, [path.join(root, 'bin/corset.js'), 'compile', initFile, '--format', 'policy', '--out', policyFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`corset compile --format policy: exit ${r.status}; ${r.stderr}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The npm packages with code in a bundle's output (esbuild lists tree-shaken inputs at 0 bytes). */
function packagesIn(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m !== null && bytesInOutput > 0) names.add(m[1]!);
    }
  }
  return [...names].sort();
}

describe('corset compile --format policy', () => {
  it('writes what loadPolicy reads, deciding as compilePolicy does', () => {
    const policy = loadPolicy(JSON.parse(readFileSync(policyFile, 'utf8')));
    const direct = compilePolicy(EXAMPLE_POLICY);
    const rows: { desc: string; req: CorsRequest }[] = [
      { desc: 'allowed preflight', req: { method: 'OPTIONS', origin: 'https://pr-1.preview.example.com', requestMethod: 'PUT', requestHeaders: 'content-type' } },
      { desc: 'denied method', req: { method: 'OPTIONS', origin: 'https://app.example.com', requestMethod: 'DELETE' } },
      { desc: 'allowed actual', req: { method: 'GET', origin: 'https://app.example.com' } },
      { desc: 'denied origin', req: { method: 'GET', origin: 'https://preview.example.com' } },
      { desc: 'look-alike', req: { method: 'GET', origin: 'https://app.example.com.evil.net' } },
    ];
    for (const { desc, req } of rows) expect(policy.decide(req), desc).toEqual(direct.decide(req));
    expect(policy.decide(rows[0]!.req).allowed).toBe(true);
  });

  it('refuses an unknown --format (exit 2) and an invalid policy (exit 3), writing nothing', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ origins: ['https://*.co.uk'] }));
    const corset = (...argv: string[]) => spawnSync(process.execPath, [path.join(root, 'bin/corset.js'), ...argv], { encoding: 'utf8' });
    const fmt = corset('compile', bad, '--format', 'wasm');
    expect(fmt.status, fmt.stderr).toBe(2);
    expect(fmt.stderr).toMatch(/--format must be matcher or policy, got "wasm"/);
    const invalid = corset('compile', bad, '--format', 'policy');
    expect(invalid.status, invalid.stderr).toBe(3);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(/public-suffix-wildcard/);
  });
});

describe('a minimal Worker with a policy compiled ahead of time (bundled as wrangler does)', () => {
  for (const name of ['edge', 'fetch-compiled', 'hono-compiled'] as const) {
    it(`${name}: script and .wasm within 64 KB gzipped (as wrangler reports: level 6), minified or not, with no compile-time package`, async () => {
      const source = WORKERS[name].source(policyFile, EXAMPLE_POLICY);
      for (const minify of [false, true]) {
        const b = await bundleWorker({ source, outdir: path.join(dir, `${name}-${minify}`), minify });
        expect(b.wasm.map((m) => m.name), 'one .wasm module, shipped as a file').toHaveLength(1);
        const size = wranglerGzipSize(b);
        expect(size, `${name} (minify ${minify}): ${size} bytes gzipped`).toBeLessThanOrEqual(CEILING);
        expect(packagesIn(b.metafile).filter((p) => COMPILE_TIME_PACKAGES.includes(p))).toEqual([]);
      }
    });
  }

  for (const name of ['fetch-init', 'hono-loaded'] as const) {
    it(`${name}: a Worker whose adapter also takes a CorsPolicyInit carries the validator (why the compiled-only functions exist)`, async () => {
      const b = await bundleWorker({ source: WORKERS[name].source(policyFile, EXAMPLE_POLICY), outdir: path.join(dir, name) });
      const packages = packagesIn(b.metafile);
      expect(packages).toEqual(expect.arrayContaining(['re2js', 'tldts']));
      // The platform's URL stands in for whatwg-url in every Worker build, even this one.
      expect(packages.filter((p) => ['whatwg-url', 'tr46', 'webidl-conversions'].includes(p))).toEqual([]);
      expect(wranglerGzipSize(b)).toBeGreaterThan(CEILING);
    });
  }
});

const workerd = findRuntime('workerd');
if (workerd.bin === null) {
  missingRuntime(it, (n, why) => describe.skip(n, () => it(`skipped: ${why}`, () => {})), 'workerd', workerd.install);
} else {
  describe('workerd: the minimal edge Worker, served', () => {
    let server: Server | null = null;
    beforeAll(async () => {
      const out = path.join(dir, 'served');
      // The minimal Worker, its handler answering with the engine its loaded policy runs.
      const source = `import { loadPolicy, withCors } from 'corset-cors/edge';
import data from ${JSON.stringify(policyFile)};
const policy = loadPolicy(data);
export default { fetch: withCors(policy, () => new Response(policy.engine + ',' + loadPolicy(data).engine)) };
`;
      const b = await bundleWorker({ source, outdir: out });
      writeFileSync(path.join(out, 'config.capnp'), workerdConfig(b.script.name, b.wasm.map((m) => m.name)));
      server = await start(workerd.bin!, workerdServe(path.join(out, 'config.capnp')));
    });
    afterAll(() => stop(server));

    it('an allowed actual request: the headers, and engine wasm at module scope and inside the request', async () => {
      const r = await viaFetch(server!.port, { method: 'GET', path: '/', headers: [['Origin', 'https://app.example.com']] });
      expect(r.status).toBe(200);
      expect(r.body).toBe('wasm,wasm');
      expect(header(r, 'access-control-allow-origin')).toBe('https://app.example.com');
      expect(header(r, 'access-control-allow-credentials')).toBe('true');
      expect(header(r, 'vary')?.toLowerCase()).toBe('origin');
    });

    it('an allowed preflight is answered by corset; a denied one carries no access-control-allow-*', async () => {
      const ok = await viaFetch(server!.port, {
        method: 'OPTIONS',
        path: '/',
        headers: [['Origin', 'https://pr-3.preview.example.com'], ['Access-Control-Request-Method', 'PUT'], ['Access-Control-Request-Headers', 'content-type']],
      });
      expect(ok.status).toBe(204);
      expect(ok.body).toBe('');
      expect(header(ok, 'access-control-allow-origin')).toBe('https://pr-3.preview.example.com');
      expect(header(ok, 'access-control-allow-methods')?.split(/,\s*/)).toContain('PUT');
      expect(header(ok, 'access-control-max-age')).toBe('600');
      const denied = await viaFetch(server!.port, { method: 'OPTIONS', path: '/', headers: [['Origin', 'https://evil.example.net'], ['Access-Control-Request-Method', 'PUT']] });
      expect(denied.status).toBe(403);
      expect(Object.keys(denied.fields).filter((k) => k.startsWith('access-control-allow-'))).toEqual([]);
    });
  });
}
