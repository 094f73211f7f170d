// The browser build of the WebAssembly engine, as the browser bundles carry it (scripts/
// build-browser.mjs swaps both in): src/engine/wasm-engine.browser.ts in place of
// src/engine/wasm-engine.ts, and the size-optimised module without the bulk-lines exports
// (src/engine/wasm-binary.browser.generated.ts, from assembly/browser.ts) in place of the release
// module. Held to the shared conformance suite and the small differential fuzz, and its one table
// slot to policies that alternate and a table larger than any before. This file imports the
// browser build only, as a page does.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.browser.js';
import { WASM_BASE64 } from '../src/engine/wasm-binary.generated.js';
import * as browserModule from '../src/engine/wasm-binary.browser.generated.js';
import { MATCH_INVALID, MATCH_NONE } from '../src/policy/rules.js';
import { ENGINE_CASES, exact, glob, rules, sub, type Want } from './fixtures/engine-cases.js';
import { describeDisagreement, runDifferential } from './fuzz/differential.js';

// What the bundles do at build time, done here for src/engine/wasm-engine.browser.ts's import.
vi.mock('../src/engine/wasm-binary.generated.js', async () => await import('../src/engine/wasm-binary.browser.generated.js'));

describe('the browser module', () => {
  const bytes = Uint8Array.from(atob(browserModule.WASM_BASE64), (c) => c.charCodeAt(0));

  it('is the module this file runs (the swap above took effect)', () => {
    expect(WASM_BASE64 === browserModule.WASM_BASE64, 'WASM_BASE64: got the release module; want the browser one').toBe(true);
  });

  it('has no imports, exactly what wasm-engine.browser.ts calls (matchSplit only: the page checks and splits origins), and is smaller than the release module', async () => {
    expect(bytes.length).toBe(browserModule.WASM_BYTE_LENGTH);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([]);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    expect(exports).toEqual(['heapBase', 'layoutVersion', 'matchSplit', 'maxOriginLength', 'memory']);
    const release = await vi.importActual<{ WASM_BYTE_LENGTH: number }>('../src/engine/wasm-binary.generated.js');
    expect(browserModule.WASM_BYTE_LENGTH, `browser module: got ${browserModule.WASM_BYTE_LENGTH} bytes; want fewer than the release module's ${release.WASM_BYTE_LENGTH}`).toBeLessThan(release.WASM_BYTE_LENGTH);
  });

  it('uses no WebAssembly SIMD (so it runs wherever WebAssembly does; the release module does)', () => {
    const text = (file: string): string => readFileSync(new URL(`../build/${file}`, import.meta.url), 'utf8');
    const simd = /\b(v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./;
    expect(text('corset.browser.wat'), 'build/corset.browser.wat').not.toMatch(simd);
    expect(text('corset.wat'), 'build/corset.wat: the release module scans 16 bytes a step').toMatch(simd);
  });
});

function wantCode(want: Want): number {
  return want === 'none' ? MATCH_NONE : want === 'invalid' ? MATCH_INVALID : want;
}

function show(code: number): string {
  return code === MATCH_NONE ? 'none' : code === MATCH_INVALID ? 'invalid' : `rule ${code}`;
}

const quote = (origin: string): string =>
  origin.length > 80 ? `${JSON.stringify(origin.slice(0, 60))}…(${origin.length} chars)` : JSON.stringify(origin);

describe('engine wasm (browser build): conformance', () => {
  for (const c of ENGINE_CASES) {
    it(c.desc, () => {
      const matcher = createWasmMatcher(c.rules);
      const want = wantCode(c.want);
      const got = matcher.match(c.origin);
      expect(got, `match(${quote(c.origin)}): got ${show(got)}; want ${show(want)}`).toBe(want);
      const batch = matcher.matchMany(['null', c.origin, c.origin]);
      const wantBit = want >= 0 ? 1 : 0;
      expect(batch[1], `matchMany([${quote(c.origin)}])[1]: got ${batch[1]}; want ${wantBit}`).toBe(wantBit);
      expect(batch[2], `matchMany(...)[2] (repeat): got ${batch[2]}; want ${wantBit}`).toBe(wantBit);
    });
  }

  it('has no bulk-lines path (the browser build has none to offer)', () => {
    expect('matchLines' in createWasmMatcher([])).toBe(false);
  });
});

describe('engine wasm (browser build): differential fuzz (small)', () => {
  it('agrees with the JS engine and the reference on every origin', () => {
    const counts = runDifferential(
      {
        seed: 20261125,
        groups: [
          { size: 1, policies: 4, origins: 1000 },
          { size: 10, policies: 4, origins: 1000 },
          { size: 200, policies: 3, origins: 600 },
          { size: 2000, policies: 2, origins: 800 },
        ],
      },
      { js: createJsMatcher, wasmBrowser: createWasmMatcher },
    );
    expect(counts.disagreementCount, counts.disagreements.map(describeDisagreement).join('\n')).toBe(0);
    for (const verdict of ['allowed', 'none', 'invalid'] as const) {
      expect(counts[verdict] / counts.origins, `share of ${verdict}: got ${counts[verdict]} of ${counts.origins}; want >= 10%`).toBeGreaterThanOrEqual(0.1);
    }
  });
});

describe('engine wasm (browser build): the one table slot', () => {
  const a = createWasmMatcher(rules(exact('https', 'a.example'), sub('https', 'apps.example')));
  const b = createWasmMatcher(rules(glob('https', { prefix: 'pr-', right: 'preview.example' }), exact('https', 'b.example', '*')));

  const rows: { desc: string; run: () => number | string; want: number | string }[] = [
    { desc: 'a, through its tables (not the exact fast path)', run: () => a.match('https://x.apps.example'), want: 1 },
    { desc: 'b right after a (b copies its tables in)', run: () => b.match('https://pr-1.preview.example'), want: 0 },
    { desc: 'a again after b', run: () => a.match('https://y.apps.example'), want: 1 },
    { desc: 'a does not see b\'s rules', run: () => a.match('https://pr-1.preview.example'), want: MATCH_NONE },
    { desc: 'b does not see a\'s rules', run: () => b.match('https://x.apps.example'), want: MATCH_NONE },
    { desc: 'b, port wildcard, after a', run: () => b.match('https://b.example:8443'), want: 1 },
    { desc: 'batches alternating', run: () => `${a.matchMany(['https://z.apps.example', 'https://pr-2.preview.example']).join()}|${b.matchMany(['https://z.apps.example', 'https://pr-2.preview.example']).join()}`, want: '1,0|0,1' },
  ];
  for (const { desc, run, want } of rows) {
    it(desc, () => {
      const got = run();
      expect(got, `${desc}: got ${String(got)}; want ${String(want)}`).toBe(want);
    });
  }

  it('a table larger than any before grows memory, and the small ones still answer after it', () => {
    const big = createWasmMatcher(rules(...Array.from({ length: 20_000 }, (_, k) => sub('https', `t${k}.example.com`))));
    expect(big.match('https://x.t19999.example.com')).toBe(19_999);
    expect(big.match('https://t19999.example.com')).toBe(MATCH_NONE);
    expect(a.match('https://q.apps.example')).toBe(1);
    expect(big.match('https://x.t7.example.com')).toBe(7);
    expect(b.match('https://pr-9.preview.example')).toBe(0);
  });
});
