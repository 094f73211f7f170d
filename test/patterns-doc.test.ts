// docs/patterns.md's table is true: for every row whose pattern is an origin pattern, each origin
// in the "allows" cell is allowed by a policy of that one pattern, and each in "does not allow" is not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/index.js';

const page = readFileSync(new URL('../docs/patterns.md', import.meta.url), 'utf8');
const originsIn = (cell: string): string[] => [...cell.matchAll(/`([a-z][a-z0-9+.-]*:\/\/[^`]*)`/g)].map((m) => m[1]!);
const rows = [...page.matchAll(/^\| `([a-z]+:\/\/[^`]+)` \| (.*) \| (.*) \|$/gm)].map((m) => ({ pattern: m[1]!, allows: m[2]!, denies: m[3]! }));

describe('docs/patterns.md', () => {
  it('has the rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(5);
  });
  for (const row of rows) {
    it(`${row.pattern}: the origins shown are allowed and denied as the row says`, () => {
      const policy = compilePolicy({ origins: [row.pattern], engine: 'js' });
      const wasm = compilePolicy({ origins: [row.pattern] });
      // The allows cell also names the pattern itself or an equivalent pattern: only canonical origins count.
      const allowed = originsIn(row.allows).filter((o) => !o.includes('*') && !o.endsWith(':443'));
      const denied = originsIn(row.denies);
      expect(allowed.length + denied.length).toBeGreaterThan(1);
      for (const o of allowed) expect([policy.isOriginAllowed(o), wasm.isOriginAllowed(o)], `${row.pattern} allows ${o}`).toEqual([true, true]);
      for (const o of denied) expect([policy.isOriginAllowed(o), wasm.isOriginAllowed(o)], `${row.pattern} denies ${o}`).toEqual([false, false]);
    });
  }
});
