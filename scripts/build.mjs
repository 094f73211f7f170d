// Build: esbuild bundles the ESM entry points; tsc emits the declarations.
// Entry points are listed once here; package.json "exports" mirrors them.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);
execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' }); // WASM engine (issue 3): compile assembly/ into src/engine/wasm-binary.generated.ts before bundling

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

/** Node entry points: dist/<name>.js from src/<file>. */
export const nodeEntries = {
  index: 'src/index.ts',
  cli: 'src/cli/main.ts',
  node: 'src/adapters/node.ts',
  fastify: 'src/adapters/fastify.ts',
  fetch: 'src/adapters/fetch.ts',
  edge: 'src/edge/index.ts',
  hono: 'src/adapters/hono.ts',
  redis: 'src/redis/index.ts',
  sql: 'src/sql/index.ts',
  otel: 'src/otel/index.ts',
};

await build({
  entryPoints: nodeEntries,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  sourcesContent: false, // maps point at src/ lines; the sources themselves are not shipped
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});

execFileSync(process.execPath, [path.join('node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
  stdio: 'inherit',
});

// Browser bundles (issue 5): dist/browser/*.js via scripts/build-browser.mjs (owned by the browser work).
await (await import('./build-browser.mjs')).buildBrowser();

// Fetch-runtime builds: dist/workerd/ and dist/web/ via scripts/build-web.mjs (the `workerd`, `worker`
// and `browser` conditions: one build per set of conditions, shared by every entry).
await (await import('./build-web.mjs')).buildWeb();
