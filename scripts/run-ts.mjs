// Run a TypeScript entry point (benchmarks, the full fuzz) on Node 20 without a TS loader:
// esbuild bundles it (dependencies stay external) to node_modules/.cache/corset-run/, then Node
// imports the bundle with the remaining arguments in process.argv.
//
//   node scripts/run-ts.mjs bench/engine-match.ts [args...]
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  process.stderr.write('usage: node scripts/run-ts.mjs <file.ts> [args...]\n');
  process.exit(2);
}
const outfile = path.join(root, 'node_modules', '.cache', 'corset-run', `${path.basename(entry, '.ts')}-${process.pid}.mjs`);
await build({
  entryPoints: [path.resolve(entry)],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv = [process.argv[0], path.resolve(entry), ...args];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  const { rmSync } = await import('node:fs');
  rmSync(outfile, { force: true });
}
