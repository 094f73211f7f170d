// The validator's exact-origin index (src/policy/exact-index.ts): for a list of exact origins the
// WebAssembly engine's table builder takes the duplicates lint's map instead of building its own. The tables must be
// byte for byte what the builder makes without it, and both engines must answer the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJsMatcher } from '../src/engine/js-engine.js';
import { buildTables, exactIndexMaps } from '../src/engine/tables.js';
import { createWasmMatcher } from '../src/engine/wasm-engine.js';
import { exactIndexOf } from '../src/policy/exact-index.js';
import type { OriginRule } from '../src/policy/rules.js';
import { validatePolicy } from '../src/policy/validate.js';

/** Exact origins as people write them: canonical, upper case, default port, IDN, explicit ports, repeats. */
const spelling = fc.tuple(fc.constantFrom('https', 'http', 'HTTPS'), fc.integer({ min: 0, max: 40 }), fc.constantFrom('', ':443', ':80', ':8443', ':8080'), fc.constantFrom('example.com', 'EXAMPLE.org', 'bücher.example', 'xn--bcher-kva.example', '10.0.0.1', '[::1]'))
  .map(([scheme, n, port, base]) => `${scheme}://${/^[0-9[]/.test(base) ? base : `t${n}.${base}`}${port}`);

function rulesOf(origins: readonly (string | RegExp)[]): readonly OriginRule[] {
  const { policy, issues } = validatePolicy({ origins: origins as string[] });
  if (policy === null || policy.origins.kind !== 'list') throw new Error(JSON.stringify(issues));
  return policy.origins.rules;
}

describe('the exact-origin index from validation', () => {
  it('is filed for a list of exact origins only, and the tables built from it are the same bytes', () => {
    fc.assert(
      fc.property(fc.array(spelling, { minLength: 1, maxLength: 60 }), (origins) => {
        const rules = rulesOf(origins);
        expect(exactIndexOf(rules), 'an all-exact list gets its index').not.toBeNull();
        const withIndex = buildTables(rules, exactIndexOf(rules));
        const without = buildTables([...rules]); // a copy: no index filed for it
        expect(exactIndexOf([...rules])).toBeNull();
        expect(Buffer.from(withIndex.bytes).equals(Buffer.from(without.bytes)), `tables of ${JSON.stringify(origins)}`).toBe(true);
        expect([...withIndex.exact]).toEqual([...without.exact]);
        expect(withIndex.exactEarliest === null).toBe(without.exactEarliest === null);
        // What the WASM engine reads instead of building the tables at compile (they are built lazily).
        const index = exactIndexOf(rules) as ReadonlyMap<string, number>;
        expect(exactIndexMaps(index)).toEqual({ exact: withIndex.exact, exactEarliest: withIndex.exactEarliest });
        const js = [createJsMatcher(rules), createJsMatcher([...rules])];
        const wasm = [createWasmMatcher(rules), createWasmMatcher([...rules])];
        for (const o of [...origins, ...origins.map((x) => x.toLowerCase()), 'https://t1.example.com', 'https://t1.example.com:8443', 'https://nope.example']) {
          const want = js[1]?.match(o);
          expect(js[0]?.match(o), `js ${o}`).toBe(want);
          expect(wasm[0]?.match(o), `wasm ${o}`).toBe(want);
          expect(wasm[1]?.match(o), `wasm (no index) ${o}`).toBe(want);
        }
        // A batch with misses: the indexed list's tables are built on this first use of the module.
        const batch = [...origins, 'https://nope.example', 'https://t1.example.com:8443', 'not an origin'];
        expect(wasm[0]?.matchMany(batch), 'matchMany').toEqual(wasm[1]?.matchMany(batch));
      }),
      { seed: 515, numRuns: 150 },
    );
  });

  it('is not filed when the list holds anything but exact origins', () => {
    for (const extra of ['https://*.example.com', 'https://a.example:*', 'capacitor://localhost', /^https:\/\/r\.example$/]) {
      expect(exactIndexOf(rulesOf(['https://a.example', extra])), String(extra)).toBeNull();
    }
  });
});
