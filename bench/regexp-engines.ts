// re2js against the native RegExp for a RegExp origin rule (tinybench, same run): the price of
// linear time on ordinary origins. Run: node scripts/run-ts.mjs bench/regexp-engines.ts
import { Bench } from 'tinybench';
import { compileLinearRegExp } from '../src/policy/linear-regexp.js';

const source = '^https:\\/\\/([a-z0-9-]+\\.)?(eu|us)\\.example\\.com$';
const native = new RegExp(source);
const linear = compileLinearRegExp(source, '');
if (typeof linear !== 'function') throw new Error(linear.error);
const inputs = { hit: 'https://app.eu.example.com', miss: 'https://app.eu.example.co' };
const bench = new Bench({ time: 300 });
for (const [name, s] of Object.entries(inputs)) {
  if (linear(s) !== native.test(s)) throw new Error(`engines disagree on ${s}`);
  bench.add(`native ${name}`, () => native.test(s));
  bench.add(`re2js ${name}`, () => linear(s));
}
await bench.run();
const ns = (name: string): number => {
  const result = bench.tasks.find((t) => t.name === name)?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`bench task ${name} did not complete`);
  return result.latency.p50 * 1e6; // median, ns
};
for (const name of Object.keys(inputs)) {
  console.log(`${name}: native ${ns(`native ${name}`).toFixed(0)} ns, re2js ${ns(`re2js ${name}`).toFixed(0)} ns, ratio ${(ns(`re2js ${name}`) / ns(`native ${name}`)).toFixed(1)}x`);
}
