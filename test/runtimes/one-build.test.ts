// One build per set of conditions: a Worker (or any bundle) that imports compilePolicy from the
// root, withCors from corset-cors/fetch, cors from corset-cors/hono and loadPolicy from
// corset-cors/edge carries one copy of corset, from one build directory, with one way of loading
// the WebAssembly module. Checked on esbuild's metafile (the dist files with code in the output)
// and those files' source maps (no source module of corset in two of them).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build, type Metafile, type Platform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { WRANGLER_CONDITIONS } from '../../scripts/worker-size.mjs';
import { root } from './servers.js';

const SOURCE = `import { compilePolicy } from 'corset-cors';
import { withCors } from 'corset-cors/fetch';
import { cors } from 'corset-cors/hono';
import { loadPolicy } from 'corset-cors/edge';
const policy = compilePolicy({ origins: ['https://app.example.com'] });
export const engines = [policy.engine, loadPolicy].length;
export const handler = withCors(policy, () => new Response('hi'));
export const middleware = cors(policy);
`;

interface Row {
  desc: string;
  platform: Platform;
  conditions: string[];
  /** The build directory every corset file comes from. */
  build: string;
  /** The module the WebAssembly engine gets its module from, and whether a `.wasm` file ships. */
  wasmFrom: string;
  wasmFile: boolean;
}

const rows: Row[] = [
  { desc: 'workerd (wrangler: workerd, worker, browser)', platform: 'neutral', conditions: WRANGLER_CONDITIONS, build: 'dist/workerd', wasmFrom: 'src/engine/wasm-source.workerd.ts', wasmFile: true },
  { desc: 'worker, browser (other edge bundlers)', platform: 'neutral', conditions: ['worker', 'browser'], build: 'dist/web', wasmFrom: 'src/engine/wasm-binary.browser.generated.ts', wasmFile: false },
  { desc: 'browser (a page bundler)', platform: 'browser', conditions: [], build: 'dist/web', wasmFrom: 'src/engine/wasm-binary.browser.generated.ts', wasmFile: false },
  { desc: 'Deno (deno, node, import)', platform: 'node', conditions: ['deno', 'node', 'import'], build: 'dist', wasmFrom: 'src/engine/wasm-binary.generated.ts', wasmFile: false },
  { desc: 'Bun (bun, node, import)', platform: 'node', conditions: ['bun', 'node', 'import'], build: 'dist', wasmFrom: 'src/engine/wasm-binary.generated.ts', wasmFile: false },
  { desc: 'Node (node, import)', platform: 'node', conditions: [], build: 'dist', wasmFrom: 'src/engine/wasm-binary.generated.ts', wasmFile: false },
];

/** The corset dist files with code in the output, by path relative to the package root. */
function distFiles(metafile: Metafile): string[] {
  const files = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const rel = path.relative(root, path.resolve(root, input));
      if (rel.startsWith('dist/') && rel.endsWith('.js') && bytesInOutput > 0) files.add(rel);
    }
  }
  return [...files].sort();
}

/** Which build a dist file belongs to: dist/web, dist/workerd, dist/browser, or the Node build (dist). */
function buildOf(file: string): string {
  const [, sub] = file.split('/');
  return sub === 'web' || sub === 'workerd' || sub === 'browser' ? `dist/${sub}` : 'dist';
}

/** corset's source modules in one dist file, from its source map. */
function sourcesOf(file: string): string[] {
  const map = JSON.parse(readFileSync(path.join(root, `${file}.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((s) => path.relative(root, path.resolve(root, path.dirname(file), s)));
}

describe('one build per set of conditions: the root, fetch, hono and edge entries share one copy of corset', () => {
  for (const row of rows) {
    it(row.desc, async () => {
      const out = await build({
        stdin: { contents: SOURCE, resolveDir: root, sourcefile: 'worker.mjs', loader: 'js' },
        absWorkingDir: root,
        bundle: true,
        format: 'esm',
        platform: row.platform,
        conditions: row.conditions,
        ...(row.platform === 'neutral' ? { mainFields: [...row.conditions.filter((c) => c !== 'import'), 'module', 'main'] } : {}),
        loader: { '.wasm': 'copy' },
        outdir: path.join(root, 'dist', '.one-build'),
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const files = distFiles(out.metafile);
      expect(files.length, 'corset files in the bundle').toBeGreaterThan(0);
      const dirs = [...new Set(files.map(buildOf))];
      expect(dirs, `${row.desc}: every corset file from one build (${files.join(', ')})`).toEqual([row.build]);

      const owners = new Map<string, string[]>();
      for (const f of files) for (const s of sourcesOf(f)) if (s.startsWith('src/')) owners.set(s, [...(owners.get(s) ?? []), f]);
      const twice = [...owners].filter(([, fs]) => fs.length > 1).map(([s, fs]) => `${s} in ${fs.join(' and ')}`);
      expect(twice, 'a source module of corset in two dist files').toEqual([]);
      expect(owners.has('src/adapters/fetch.ts') && owners.has('src/edge/load-policy.ts') && owners.has('src/adapters/hono.ts')).toBe(true);

      // One way of getting the WebAssembly module, for every entry.
      const wasmModules = [...owners.keys()].filter((s) => /^src\/engine\/(wasm-source\.workerd\.ts|wasm-binary(\.browser)?\.generated\.ts)$/.test(s));
      expect(wasmModules).toEqual([row.wasmFrom]);
      const wasmOutputs = Object.keys(out.metafile.outputs).filter((f) => f.endsWith('.wasm'));
      expect(wasmOutputs.length).toBe(row.wasmFile ? 1 : 0);
    });
  }
});
