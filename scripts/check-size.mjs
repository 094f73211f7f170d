// Size budgets of the browser bundles (issue 5): prints each bundle's size, raw and gzipped, and
// exits non-zero when a budgeted entry is over its budget or missing. `npm test` runs the same
// check through test/bundle-size.test.ts.
//   node scripts/check-size.mjs [dir]                 (default dist/browser)
//   node scripts/check-size.mjs [dir] --modules NAME  also each module's share of NAME.js
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

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 "mappings": per generated line, [column, source index or -1] segments. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line === '' ? [] : line.split(',')) {
      const fields = [];
      for (let i = 0, value = 0, shift = 0; i < segment.length; i++) {
        const digit = BASE64.indexOf(segment[i]);
        value += (digit & 31) << shift;
        shift += 5;
        if ((digit & 32) === 0) {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([column, fields.length > 1 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/**
 * Each source module's share of a bundle, from its source map: the bytes mapped to it, and how
 * many gzipped bytes the bundle loses without them (shares overlap a little: gzip finds repeats
 * across modules). Sorted by gzipped share, largest first.
 */
export function moduleShares(file) {
  const code = readFileSync(file, 'utf8');
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  const owners = decodeMappings(map.mappings);
  const lines = code.split('\n');
  const byteOwner = lines.map((line, li) => {
    const owner = new Int32Array(line.length).fill(-1);
    const segments = owners[li] ?? [];
    segments.forEach(([column, source], k) => owner.fill(source, column, k + 1 < segments.length ? segments[k + 1][0] : line.length));
    return owner;
  });
  const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 }).length;
  const total = gzip(code);
  return map.sources
    .map((source, s) => {
      let bytes = 0;
      const without = lines
        .map((line, li) => {
          let kept = '';
          for (let c = 0; c < line.length; c++) {
            if (byteOwner[li][c] === s) bytes++;
            else kept += line[c];
          }
          return kept;
        })
        .join('\n');
      return { source: path.relative(ROOT, path.resolve(path.dirname(file), source)), bytes, gzip: total - gzip(without) };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--modules');
  const modulesOf = at < 0 ? null : args.splice(at, 2)[1];
  const dir = path.resolve(ROOT, args[0] ?? 'dist/browser');
  if (!existsSync(dir)) {
    console.error(`corset: ${dir} does not exist; run node scripts/build-browser.mjs first`);
    process.exit(1);
  }
  const sizes = measureBundles(dir);
  console.log(formatSizes(sizes));
  if (modulesOf !== null) {
    console.log(`\n${modulesOf}.js by module (minified bytes, gzipped bytes the file loses without it):`);
    for (const m of moduleShares(path.join(dir, `${modulesOf}.js`))) console.log(`${String(m.bytes).padStart(8)} ${String(m.gzip).padStart(7)}  ${m.source}`);
  }
  const problems = budgetProblems(sizes);
  for (const p of problems) console.error(`corset: over budget: ${p}`);
  process.exit(problems.length === 0 ? 0 : 1);
}
