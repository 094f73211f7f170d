// The full differential fuzz: `npm run fuzz` (or `npm run fuzz -- --seed N --scale 0.1`).
// At least 100 seeded policies of every shape (exact, wildcard, glob, port, mixed; 1 to 10 000
// rules) and over 1 000 000 generated origins; the WASM engine, the TypeScript engine and the
// plain reference must agree on every one. Prints the counts; exits 1 on any disagreement.
import { createJsMatcher } from '../../src/engine/js-engine.js';
import { createWasmMatcher } from '../../src/engine/wasm-engine.js';
import { describeDisagreement, runDifferential, type FuzzGroup } from './differential.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(arg('seed') ?? 1_000_003);
const scale = Number(arg('scale') ?? 1);
const GROUPS: FuzzGroup[] = [
  { size: 1, policies: 30, origins: 10_000 },
  { size: 3, policies: 10, origins: 10_000 },
  { size: 10, policies: 30, origins: 10_000 },
  { size: 100, policies: 25, origins: 10_000 },
  { size: 1_000, policies: 10, origins: 5_000 },
  { size: 10_000, policies: 5, origins: 1_500 },
].map((g) => ({ ...g, origins: Math.max(1, Math.round(g.origins * scale)) }));

const started = Date.now();
let lastLine = 0;
const counts = runDifferential({ seed, groups: GROUPS }, { wasm: createWasmMatcher, js: createJsMatcher }, (c) => {
  const now = Date.now();
  if (now - lastLine > 2000) {
    lastLine = now;
    process.stderr.write(`fuzz: ${c.policies} policies, ${c.origins} origins, ${c.disagreementCount} disagreements (${((now - started) / 1000).toFixed(0)} s)\n`);
  }
});
const seconds = (Date.now() - started) / 1000;
process.stdout.write(
  [
    `fuzz seed ${seed}: ${counts.policies} policies (${counts.rules} rules), ${counts.origins} origins in ${seconds.toFixed(1)} s`,
    `  reference verdicts: ${counts.allowed} allowed, ${counts.none} not allowed, ${counts.invalid} invalid`,
    `  engines: wasm, js (match and matchMany) against the reference`,
    `  disagreements: ${counts.disagreementCount}`,
    ...counts.disagreements.map((d) => `    ${describeDisagreement(d)}`),
    '',
  ].join('\n'),
);
process.exitCode = counts.disagreementCount === 0 ? 0 : 1;
