// The builds for Fetch runtimes and bundlers that target them (package.json "exports" conditions):
//
//   dist/workerd/  the `workerd` condition (Cloudflare Workers, wrangler, miniflare)
//   dist/web/      the `worker` and `browser` conditions (other edge runtimes, web workers, pages)
//
// One build per set of conditions: every entry a Worker may import (the root, corset-cors/fetch,
// corset-cors/hono, corset-cors/edge) is built in one esbuild call with code splitting, so under
// the same conditions they share one copy of corset (one WebAssembly instance, one URL backend).
// Both builds take the browser swaps (scripts/build-browser.mjs BROWSER_SWAPS): the platform's
// `URL` for whatwg-url, the browser build of the WebAssembly engine and its small module. They
// differ in where the module comes from:
//   - dist/web embeds its bytes (hex), compiled on first use, or by `await ready()` where a
//     synchronous compile is refused;
//   - dist/workerd imports `./corset.wasm` (written beside the scripts), which workerd compiles
//     when the Worker starts: workerd refuses to compile WebAssembly from bytes at any time, so a
//     policy compiled anywhere (module scope or inside a request) runs the WASM engine.
// Packages stay external (the user's bundler resolves tldts, re2js and hono); every file lands in
// one directory, so `./corset.wasm` resolves from every chunk.
//
// Imported by scripts/build.mjs (buildWeb()); `node scripts/build-web.mjs` builds both alone.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserBackend } from './build-browser.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The entries of both builds: dist/<build>/<name>.js from these sources. */
export const webEntries = {
  index: 'src/browser/index.ts',
  fetch: 'src/adapters/fetch.ts',
  hono: 'src/adapters/hono.ts',
  edge: 'src/edge/index.ts',
};

/** The `.wasm` file of the workerd build, beside its scripts. */
export const WORKERD_WASM = 'corset.wasm';

/** The browser module's bytes, from its generated source (checked as the browser bundles check it). */
function browserModuleBytes() {
  const source = readFileSync(path.join(root, 'src', 'engine', 'wasm-binary.browser.generated.ts'), 'utf8');
  const base64 = [...source.slice(source.indexOf('export const WASM_BASE64')).split(';')[0].matchAll(/'([A-Za-z0-9+/=]*)'/g)].map((m) => m[1]).join('');
  const bytes = Buffer.from(base64, 'base64');
  const length = Number(/export const WASM_BYTE_LENGTH = (\d+);/.exec(source)?.[1]);
  if (bytes.length !== length || bytes.readUInt32BE(0) !== 0x0061736d) throw new Error('corset: the browser WASM module does not decode to its WASM_BYTE_LENGTH bytes');
  return bytes;
}

/** For the workerd build: the module source is the `.wasm` import, kept external. */
const workerdWasm = {
  name: 'corset-workerd-wasm',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, () => ({ path: `./${WORKERD_WASM}`, external: true }));
  },
};

/**
 * Build `dist/web` and `dist/workerd` (or `kinds` of them) into `outdir`. Returns, per build, its
 * directory and esbuild's metafile.
 */
export async function buildWeb({ outdir = path.join(root, 'dist'), kinds = ['web', 'workerd'] } = {}) {
  const result = {};
  for (const kind of kinds) {
    const dir = path.join(outdir, kind);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const swaps = kind === 'workerd' ? { [path.join(root, 'src', 'engine', 'wasm-source.ts')]: path.join(root, 'src', 'engine', 'wasm-source.workerd.ts') } : {};
    const out = await build({
      absWorkingDir: root,
      entryPoints: webEntries,
      outdir: dir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
      packages: 'external',
      sourcemap: true,
      sourcesContent: false,
      chunkNames: '[name]-[hash]',
      metafile: true,
      logLevel: 'warning',
      plugins: kind === 'workerd' ? [workerdWasm, browserBackend(swaps)] : [browserBackend(swaps)],
    });
    if (kind === 'workerd') writeFileSync(path.join(dir, WORKERD_WASM), browserModuleBytes());
    result[kind] = { dir, metafile: out.metafile };
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [kind, { dir }] of Object.entries(await buildWeb())) console.log(`${path.relative(root, dir)}/ (${kind})`);
}
