// The size of a Cloudflare Worker using corset, bundled as wrangler bundles it and measured as
// wrangler measures it (docs/runtimes.md, "Worker size"; test/runtimes/worker-size.test.ts):
//
//   - esbuild, one script (no code splitting), ESM, the conditions workerd, worker, browser (and
//     the same main fields), every imported `*.wasm` kept as a file of its own (wrangler uploads
//     each as a compiled WebAssembly module: its CompiledWasm rule); not minified unless asked
//     (wrangler's default; `--minify` / `minify = true`);
//   - the size wrangler prints ("Total Upload: … KiB / gzip: … KiB") and Cloudflare's 64 KB-class
//     limits are read against: node:zlib gzipSync at its default level (6) over the modules and the
//     script concatenated, the modules first (wrangler's printBundleSize).
//
// Run after `npm run build` (the Workers import the built package, dist/workerd):
//
//   node scripts/worker-size.mjs [policy.json]
//
// prints, for each Worker below, the script and `.wasm` bytes, the gzip size wrangler reports, and
// the same minified. The policy (default: a two-origin example) is compiled ahead of time here, as
// `corset compile --format policy` does, for the Workers that load it.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The conditions (and main fields) wrangler bundles a Worker with. */
export const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];
const WRANGLER_MAIN_FIELDS = ['workerd', 'worker', 'browser', 'module', 'main'];

/**
 * The Workers measured. `policyFile` is the JSON `corset compile --format policy` writes; a Worker
 * that compiles its policy itself gets the CorsPolicyInit it came from.
 */
export const WORKERS = {
  edge: {
    what: "corset-cors/edge: loadPolicy + withCors, the policy compiled ahead of time",
    source: (policyFile) => `import { loadPolicy, withCors } from 'corset-cors/edge';
import data from ${JSON.stringify(policyFile)};
export default { fetch: withCors(loadPolicy(data), () => new Response('hi')) };
`,
  },
  'fetch-compiled': {
    what: 'corset-cors/fetch withCompiledCors + loadPolicy from corset-cors/edge',
    source: (policyFile) => `import { loadPolicy } from 'corset-cors/edge';
import { withCompiledCors } from 'corset-cors/fetch';
import data from ${JSON.stringify(policyFile)};
export default { fetch: withCompiledCors(loadPolicy(data), () => new Response('hi')) };
`,
  },
  'hono-loaded': {
    what: 'Hono with cors(loadPolicy(data)) from corset-cors/hono (cors takes an init too: the validator comes along)',
    source: (policyFile) => `import { Hono } from 'hono';
import { loadPolicy } from 'corset-cors/edge';
import { cors } from 'corset-cors/hono';
import data from ${JSON.stringify(policyFile)};
const app = new Hono();
app.use(cors(loadPolicy(data)));
app.get('/', (c) => c.text('hi'));
export default app;
`,
  },
  'hono-compiled': {
    what: 'Hono with compiledCors(loadPolicy(data)) from corset-cors/hono',
    source: (policyFile) => `import { Hono } from 'hono';
import { loadPolicy } from 'corset-cors/edge';
import { compiledCors } from 'corset-cors/hono';
import data from ${JSON.stringify(policyFile)};
const app = new Hono();
app.use(compiledCors(loadPolicy(data)));
app.get('/', (c) => c.text('hi'));
export default app;
`,
  },
  'hono-bare': {
    what: 'the same Hono app without CORS (the baseline)',
    source: () => `import { Hono } from 'hono';
const app = new Hono();
app.get('/', (c) => c.text('hi'));
export default app;
`,
  },
  'fetch-init': {
    what: 'corset-cors/fetch withCors(CorsPolicyInit): validated and compiled in the Worker',
    source: (_policyFile, init) => `import { withCors } from 'corset-cors/fetch';
export default { fetch: withCors(${JSON.stringify(init)}, () => new Response('hi')) };
`,
  },
  'root-and-fetch': {
    what: "compilePolicy from 'corset-cors' + withCors from corset-cors/fetch",
    source: (_policyFile, init) => `import { compilePolicy } from 'corset-cors';
import { withCors } from 'corset-cors/fetch';
export default { fetch: withCors(compilePolicy(${JSON.stringify(init)}), () => new Response('hi')) };
`,
  },
};

/** The example policy the measurements use unless given another. */
export const EXAMPLE_POLICY = {
  origins: ['https://app.example.com', 'https://*.preview.example.com'],
  credentials: true,
  methods: ['GET', 'POST', 'PUT'],
  allowHeaders: ['content-type'],
  maxAge: 600,
};

/**
 * Bundle one Worker's source as wrangler would, into `outdir`. Returns its script and `.wasm`
 * modules (bytes), and esbuild's metafile.
 */
export async function bundleWorker({ source, outdir, minify = false }) {
  const out = await build({
    stdin: { contents: source, resolveDir: root, sourcefile: 'worker.mjs', loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: WRANGLER_CONDITIONS,
    mainFields: WRANGLER_MAIN_FIELDS,
    loader: { '.wasm': 'copy' },
    assetNames: '[name]-[hash]',
    outdir,
    entryNames: 'worker',
    minify,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.keys(out.metafile.outputs).map((f) => path.resolve(root, f));
  const script = outputs.filter((f) => f.endsWith('.js'));
  if (script.length !== 1) throw new Error(`corset: a Worker bundle should be one script, got ${script.length}`);
  const wasm = outputs.filter((f) => f.endsWith('.wasm')).map((f) => ({ name: path.basename(f), bytes: readFileSync(f) }));
  return { script: { name: path.basename(script[0]), bytes: readFileSync(script[0]) }, wasm, metafile: out.metafile };
}

/** The gzip size wrangler reports: gzipSync (level 6, zlib's default) over the modules, then the script. */
export function wranglerGzipSize({ script, wasm }) {
  return gzipSync(Buffer.concat([...wasm.map((m) => m.bytes), script.bytes])).length;
}

/** Measure every Worker of WORKERS for `init` (compiled ahead of time for those that load it). */
export async function measureWorkers(init = EXAMPLE_POLICY) {
  const { exportPolicy } = await import(pathToFileURL(path.join(root, 'dist', 'index.js')).href);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corset-worker-size-'));
  try {
    const policyFile = path.join(dir, 'cors-policy.json');
    writeFileSync(policyFile, JSON.stringify(exportPolicy(init)));
    const rows = [];
    for (const [name, worker] of Object.entries(WORKERS)) {
      const source = worker.source(policyFile, init);
      const plain = await bundleWorker({ source, outdir: path.join(dir, name) });
      const minified = await bundleWorker({ source, outdir: path.join(dir, `${name}-min`), minify: true });
      rows.push({
        name,
        what: worker.what,
        scriptBytes: plain.script.bytes.length,
        wasmBytes: plain.wasm.reduce((n, m) => n + m.bytes.length, 0),
        gzip: wranglerGzipSize(plain),
        gzipMinified: wranglerGzipSize(minified),
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  const init = file === undefined ? EXAMPLE_POLICY : JSON.parse(readFileSync(file, 'utf8'));
  const rows = await measureWorkers(init);
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log('| Worker | script | .wasm | gzip (wrangler) | gzip, minified |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.what} | ${kb(r.scriptBytes)} | ${kb(r.wasmBytes)} | ${kb(r.gzip)} | ${kb(r.gzipMinified)} |`);
}
