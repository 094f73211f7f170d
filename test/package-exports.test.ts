// The package's exports map: the root in Node and in browsers offers the same API (DESIGN.md:
// "Everything above is exported from the package root corset (Node and browser)").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('package exports', () => {
  it('the root has a browser condition before its default', () => {
    const root = pkg.exports['.'];
    expect(Object.keys(root)).toEqual(['types', 'browser', 'default']);
  });
  it('the browser root exports everything the Node root does', async () => {
    const node = await import(new URL(`../${pkg.exports['.'].default}`, import.meta.url).href);
    const browser = await import(new URL(`../${pkg.exports['.'].browser}`, import.meta.url).href);
    const missing = Object.keys(node).filter((k) => !(k in browser));
    expect(missing, 'exports missing from the browser root').toEqual([]);
    expect(typeof browser.compilePolicy).toBe('function');
  });
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
