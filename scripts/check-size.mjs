// Size budgets of the browser bundles (issue 5): prints each bundle's size, raw and gzipped, and
// exits non-zero when a budgeted entry is over its budget or missing. `npm test` runs the same
// check through test/bundle-size.test.ts.
//   node scripts/check-size.mjs [dir]     (default dist/browser)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BUDGETS, KNOWN_OVER_BUDGET } from './build-browser.mjs';

/** Sizes of every .js bundle in `dir`: { name: { raw, gzip, budget } }, gzip at level 9. */
export function measureBundles(dir) {
  const sizes = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const bytes = readFileSync(path.join(dir, file));
    const name = file.slice(0, -3);
    sizes[name] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, budget: BUDGETS[name] ?? null };
  }
  return sizes;
}

/** One line per bundle, e.g. `precheck.js  26.1 KB raw  7.3 KB gzipped  (budget 8.0 KB)`. */
export function formatSizes(sizes) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  return Object.entries(sizes)
    .map(([name, s]) => {
      const known = KNOWN_OVER_BUDGET[name] === undefined ? '' : `, KNOWN OVER BUDGET (ceiling ${kb(KNOWN_OVER_BUDGET[name])})`;
      return `${`${name}.js`.padEnd(14)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(9)} gzipped${s.budget === null ? '' : `  (budget ${kb(s.budget)}${known})`}`;
    })
    .join('\n');
}

/**
 * Problems: a budgeted bundle missing, over budget, over its known-over ceiling, or back within
 * budget while still listed in KNOWN_OVER_BUDGET.
 */
export function budgetProblems(sizes) {
  const problems = [];
  for (const [name, budget] of Object.entries(BUDGETS)) {
    const s = sizes[name];
    const ceiling = KNOWN_OVER_BUDGET[name];
    if (s === undefined) problems.push(`${name}.js: missing`);
    else if (ceiling === undefined && s.gzip > budget) problems.push(`${name}.js: got ${s.gzip} bytes gzipped; want <= ${budget}`);
    else if (ceiling !== undefined && s.gzip > ceiling) problems.push(`${name}.js: got ${s.gzip} bytes gzipped; want <= ${ceiling} (known over budget ${budget})`);
    else if (ceiling !== undefined && s.gzip <= budget) problems.push(`${name}.js: ${s.gzip} bytes is within budget: remove it from KNOWN_OVER_BUDGET`);
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const dir = path.resolve(root, process.argv[2] ?? 'dist/browser');
  if (!existsSync(dir)) {
    console.error(`corset: ${dir} does not exist; run node scripts/build-browser.mjs first`);
    process.exit(1);
  }
  const sizes = measureBundles(dir);
  console.log(formatSizes(sizes));
  const problems = budgetProblems(sizes);
  for (const p of problems) console.error(`corset: over budget: ${p}`);
  process.exit(problems.length === 0 ? 0 : 1);
}
