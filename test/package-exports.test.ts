// The package's exports map: the root in Node, in Fetch runtimes and in browsers offers the same API
// (DESIGN.md: "Everything above is exported from the package root corset (Node and browser)"), and
// every entry a Worker or a page may combine resolves, under one set of conditions, to one build.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The entries with a build per set of conditions (scripts/build-web.mjs). */
const SHARED = ['.', './fetch', './hono', './edge', './browser'];

describe('package exports', () => {
  it('the root has the workerd, worker and browser conditions before its default', () => {
    const root = pkg.exports['.'];
    expect(Object.keys(root)).toEqual(['types', 'workerd', 'worker', 'browser', 'default']);
  });

  it('under each condition, every shared entry resolves into the same build directory', () => {
    for (const condition of ['workerd', 'worker', 'browser']) {
      const dirs = SHARED.map((entry) => String(pkg.exports[entry][condition]).replace(/\/[^/]+$/, ''));
      expect(new Set(dirs), `${condition}: ${SHARED.map((e, i) => `${e} -> ${dirs[i]}`).join(', ')}`).toEqual(new Set([dirs[0]]));
    }
    expect(pkg.exports['.'].workerd).toBe('./dist/workerd/index.js');
    expect(pkg.exports['.'].worker).toBe('./dist/web/index.js');
  });

  for (const condition of ['workerd', 'worker', 'browser']) {
    it(`the ${condition} root exports everything the Node root does`, async () => {
      const node = await import(new URL(`../${pkg.exports['.'].default}`, import.meta.url).href);
      if (condition === 'workerd') {
        // dist/workerd imports its `.wasm` file, which only a Worker's bundler or runtime reads as a
        // module: check its export list from the source instead of importing it into Node.
        const text = readFileSync(new URL(`../${pkg.exports['.'].workerd}`, import.meta.url), 'utf8');
        const names = new Set([...text.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => (m[1] ?? '').split(',').map((s) => s.trim().split(/\s+as\s+/).pop() ?? '')));
        expect(Object.keys(node).filter((k) => !names.has(k)), 'exports missing from the workerd root').toEqual([]);
        return;
      }
      const other = await import(new URL(`../${pkg.exports['.'][condition]}`, import.meta.url).href);
      expect(Object.keys(node).filter((k) => !(k in other)), `exports missing from the ${condition} root`).toEqual([]);
      expect(typeof other.compilePolicy).toBe('function');
    });
  }
});

describe('optional integrations behind their own subpath', () => {
  it('corset-cors/otel is built and is the only entry that imports @opentelemetry/api', async () => {
    expect(pkg.exports['./otel']).toEqual({ types: './dist/types/otel/index.d.ts', default: './dist/otel.js' });
    expect(pkg.peerDependencies['@opentelemetry/api']).toBeDefined();
    expect(pkg.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
    expect(pkg.dependencies['@opentelemetry/api']).toBeUndefined();
    const otel = await import(new URL(`../${pkg.exports['./otel'].default}`, import.meta.url).href);
    expect(typeof otel.countDecisions).toBe('function');
    const { readdirSync } = await import('node:fs');
    const dist = new URL('../dist/', import.meta.url);
    const importers = [...readdirSync(dist).filter((f) => f.endsWith('.js')), ...readdirSync(new URL('chunks/', dist)).map((f) => `chunks/${f}`)].filter(
      (f) => f.endsWith('.js') && readFileSync(new URL(f, dist), 'utf8').includes('@opentelemetry/api'),
    );
    expect(importers).toEqual(['otel.js']);
  });
});
