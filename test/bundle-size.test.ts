// The browser bundles (issue 5): built fresh into a temporary directory, then held to their
// size budgets (printed), to the backend swap (no whatwg-url anywhere), to the PSL rule (tldts
// only in the full entry), to the precompiled path (no policy validator in the matcher entry),
// and to the hex form of the embedded WebAssembly module (the same bytes).
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build scripts without declarations
import { buildBrowser, BUDGETS, KNOWN_OVER_BUDGET, PSL_ENTRIES, wasmBinaryModule } from '../scripts/build-browser.mjs';
// @ts-expect-error: plain .mjs build scripts without declarations
import { budgetProblems, formatSizes, measureBundles, moduleShares } from '../scripts/check-size.mjs';

import * as browserModule from '../src/engine/wasm-binary.browser.generated.js';
import { wasmBytes, WASM_BYTE_LENGTH } from '../src/engine/wasm-binary.generated.js';

type Built = Record<string, { file: string; packages: string[]; metafile: { inputs: Record<string, unknown> } }>;
type Sizes = Record<string, { raw: number; gzip: number; budget: number | null }>;

describe('browser bundles', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'corset-size-'));
  let built: Built;
  let sizes: Sizes;

  beforeAll(async () => {
    built = (await buildBrowser({ outdir })) as Built;
    sizes = measureBundles(outdir) as Sizes;
    console.log(`corset browser bundle sizes:\n${formatSizes(sizes)}`);
  }, 60_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('the precheck entry exists, minified, with a source map', () => {
    expect(Object.keys(built)).toContain('precheck');
    expect(existsSync(path.join(outdir, 'precheck.js.map')), 'precheck.js.map').toBe(true);
    const code = readFileSync(path.join(outdir, 'precheck.js'), 'utf8');
    expect(code.split('\n').length, 'precheck.js is minified (a handful of lines)').toBeLessThan(10);
    expect(code).toContain('sourceMappingURL=precheck.js.map');
  });

  it('budgets: precheck <= 8 KB gzipped; precheck + matcher <= 15 KB (or its known-over ceiling)', () => {
    expect(BUDGETS).toEqual({ precheck: 8192, matcher: 15360 });
    expect(Object.keys(built).sort()).toEqual(['index', 'matcher', 'precheck', 'profiles']);
    expect(KNOWN_OVER_BUDGET, 'only the matcher entry may be over budget').not.toHaveProperty('precheck');
    expect(budgetProblems(sizes)).toEqual([]);
  });

  it('no bundle contains whatwg-url, tr46 or webidl-conversions (the platform URL replaces them)', () => {
    for (const [name, { packages }] of Object.entries(built)) {
      expect(packages.filter((p) => /^(whatwg-url|tr46|webidl-conversions)$/.test(p)), `${name}.js`).toEqual([]);
    }
  });

  it('tldts (the PSL) is only in the entries allowed to answer same-site exactly', () => {
    for (const [name, { packages }] of Object.entries(built)) {
      const hasPsl = packages.includes('tldts');
      expect(hasPsl, `${name}.js carries tldts`).toBe(PSL_ENTRIES.has(name) && hasPsl);
    }
    expect(built['index']?.packages).toContain('tldts');
    expect(built['precheck']?.packages).not.toContain('tldts');
  });

  it('the matcher entry has no policy validator, pattern parser, issue messages, decide or PSL (the server validates; the page loads the export)', () => {
    const inputs = Object.keys(built['matcher']?.metafile.inputs ?? {});
    expect(inputs, 'the matcher entry is built from something').toContain('src/browser/load-matcher.ts');
    const heavy = inputs.filter((f) => /^src\/(policy\/(validate|pattern|issues|compile|export)\.ts|decide\/|origin\/site\.ts)|tldts/.test(f));
    expect(heavy, 'modules of the validator or decide in matcher.js').toEqual([]);
  });

  it('every entry with the WebAssembly engine has its browser build (one table slot, the browser module, no bulk path), never the Node one', () => {
    for (const [name, { metafile }] of Object.entries(built)) {
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.filter((f) => /^src\/(engine\/(wasm-engine|wasm-binary\.generated|bulk)|url\/backend)\.ts$/.test(f)), `${name}.js: Node-only modules`).toEqual([]);
      if (inputs.includes('src/engine/wasm-loader.ts')) expect(inputs, `${name}.js`).toContain('src/engine/wasm-engine.browser.ts');
      expect(inputs, `${name}.js: Node's WebAssembly boundary`).not.toContain('src/engine/wasm-core.ts');
    }
    expect(Object.keys(built['matcher']?.metafile.inputs ?? {})).toContain('src/engine/wasm-engine.browser.ts');
    expect(Object.keys(built['matcher']?.metafile.inputs ?? {})).toContain('src/engine/wasm-binary.browser.generated.ts');
  });

  it('the matcher entry leaves out the exact-list miss fast path; the full browser entry keeps it', () => {
    const matcher = Object.keys(built['matcher']?.metafile.inputs ?? {});
    expect(matcher).toContain('src/engine/exact-miss.browser.ts');
    expect(matcher.filter((f) => /^src\/engine\/(exact-miss|plain-origin)\.ts$/.test(f))).toEqual([]);
    expect(Object.keys(built['index']?.metafile.inputs ?? {})).toContain('src/engine/exact-miss.ts');
  });
});

describe('moduleShares (scripts/check-size.mjs --modules): each module\'s share of a bundle, from its source map', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'corset-shares-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('attributes nearly every byte of the matcher bundle to a module, and gives each a positive gzipped share', async () => {
    await buildBrowser({ outdir, entries: { matcher: 'src/browser/matcher.ts' } });
    const file = path.join(outdir, 'matcher.js');
    const shares = moduleShares(file) as { source: string; bytes: number; gzip: number }[];
    const raw = readFileSync(file).length;
    const mapped = shares.reduce((n, s) => n + s.bytes, 0);
    expect(mapped / raw, `mapped ${mapped} of ${raw} bytes`).toBeGreaterThan(0.9);
    expect(mapped).toBeLessThanOrEqual(raw);
    const names = shares.map((s) => s.source);
    for (const m of ['src/browser/load-matcher.ts', 'src/engine/wasm-engine.browser.ts', 'src/precheck/plan.ts']) expect(names, m).toContain(m);
    for (const s of shares.filter((x) => x.bytes > 100)) expect(s.gzip, `${s.source}: gzipped share`).toBeGreaterThan(0);
  }, 60_000);
});

describe('the hex form of the WebAssembly module (scripts/build-browser.mjs)', () => {
  const source = readFileSync(new URL('../src/engine/wasm-binary.generated.ts', import.meta.url), 'utf8');
  const generated = [
    { desc: 'the release module', source, want: { wasmBytes, WASM_BYTE_LENGTH } },
    { desc: 'the browser module (the one the bundles carry)', source: readFileSync(new URL('../src/engine/wasm-binary.browser.generated.ts', import.meta.url), 'utf8'), want: browserModule },
  ];
  for (const g of generated) {
    it(`gives the same bytes (wasmBytes) and WASM_BYTE_LENGTH as ${g.desc}`, async () => {
      const code = wasmBinaryModule(g.source) as string;
      const mod = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { wasmBytes: () => Uint8Array; WASM_BYTE_LENGTH: number };
      expect(mod.WASM_BYTE_LENGTH).toBe(g.want.WASM_BYTE_LENGTH);
      const got = mod.wasmBytes();
      const want = g.want.wasmBytes();
      expect(got.length, 'byte length').toBe(want.length);
      expect(Buffer.from(got).equals(Buffer.from(want)), 'wasmBytes(): got other bytes; want the generated module').toBe(true);
    });
  }

  const broken: { desc: string; edit: (s: string) => string; want: RegExp }[] = [
    { desc: 'a byte length that does not match', edit: (s) => s.replace(/WASM_BYTE_LENGTH = (\d+)/, (_m, n: string) => `WASM_BYTE_LENGTH = ${Number(n) + 1}`), want: /does not decode to a \d+-byte WebAssembly module/ },
    { desc: 'not a WebAssembly module', edit: (s) => s.replace("'AGFzbQ", "'AGFzbB"), want: /does not decode/ },
    { desc: 'no WASM_BASE64 at all', edit: (s) => s.replace('export const WASM_BASE64', 'export const OTHER'), want: /WASM_BASE64 or WASM_BYTE_LENGTH not found/ },
  ];
  for (const { desc, edit, want } of broken) {
    it(`fails the build on ${desc}`, () => {
      expect(() => wasmBinaryModule(edit(source))).toThrow(want);
    });
  }
});
