// The browser bundles (issue 5): built fresh into a temporary directory, then held to their
// size budgets (printed), to the backend swap (no whatwg-url anywhere) and to the PSL rule
// (tldts only in the full entry).
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build scripts without declarations
import { buildBrowser, BUDGETS, KNOWN_OVER_BUDGET, PSL_ENTRIES } from '../scripts/build-browser.mjs';
// @ts-expect-error: plain .mjs build scripts without declarations
import { budgetProblems, formatSizes, measureBundles } from '../scripts/check-size.mjs';

type Built = Record<string, { file: string; packages: string[] }>;
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
    expect(Object.keys(built).sort()).toEqual(['index', 'matcher', 'precheck']);
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
});
