// Linear memory stays bounded however many policies come and go: 10 000 policies compiled, used
// and dropped (and some kept and used again after their tables were evicted) never grow the
// module's memory past the fixed regions plus the table budget.
import { describe, expect, it } from 'vitest';
import { createWasmMatcher, setWasmTableBudget, wasmMemoryStats } from '../src/engine/wasm-engine.js';
import { buildTables } from '../src/engine/tables.js';
import type { OriginRule } from '../src/policy/rules.js';
import { exact, glob, rules, sub } from './fixtures/engine-cases.js';

function policy(i: number): OriginRule[] {
  return rules(
    exact('https', `app${i}.example.com`),
    sub('https', `tenant${i}.example.net`),
    glob('https', { prefix: 'pr-', right: `svc${i}.example.org` }),
    ...Array.from({ length: 20 }, (_, k) => exact('https', `h${k}.p${i}.example.com`, '*')),
  );
}

describe('WASM memory across many policies', () => {
  it('10 000 policies compiled and dropped stay within the table budget', () => {
    const budget = 1024 * 1024;
    const previous = setWasmTableBudget(budget);
    try {
      const kept: { i: number; m: ReturnType<typeof createWasmMatcher> }[] = [];
      const tableBytes = buildTables(policy(9999)).bytes.length;
      const start = wasmMemoryStats();
      expect(start).not.toBeNull();
      let peak = 0;
      for (let i = 0; i < 10_000; i++) {
        const m = createWasmMatcher(policy(i));
        // Every policy answers correctly while in use (its tables uploaded or re-uploaded).
        const got = m.match(`https://pr-7.svc${i}.example.org`);
        if (got !== 2) expect(got, `policy ${i}: match(https://pr-7.svc${i}.example.org)`).toBe(2);
        if (i % 500 === 0) kept.push({ i, m });
        peak = Math.max(peak, wasmMemoryStats()?.memoryBytes ?? 0);
      }
      const fixed = start?.memoryBytes ?? 0;
      expect(10_000 * tableBytes, 'the test makes more tables than the budget holds').toBeGreaterThan(20 * budget);
      expect(peak, `memory peak ${peak} bytes; want <= fixed ${fixed} + budget ${budget} + one page`).toBeLessThanOrEqual(fixed + budget + 65536);
      // Policies kept alive still answer after their tables were evicted: they upload again.
      for (const { i, m } of kept) {
        expect(m.match(`https://a.tenant${i}.example.net`), `kept policy ${i}`).toBe(1);
        expect(m.matchMany([`https://h3.p${i}.example.com:8443`, 'https://evil.example'])).toEqual(new Uint8Array([1, 0]));
      }
    } finally {
      setWasmTableBudget(previous);
    }
  });

  it('a table larger than the budget still runs (memory grows for it alone)', () => {
    const previous = setWasmTableBudget(64 * 1024);
    try {
      const big = rules(...Array.from({ length: 5000 }, (_, k) => exact('https', `big${k}.example.com`)));
      const m = createWasmMatcher(big);
      expect(m.match('https://big4999.example.com')).toBe(4999);
      expect(m.match('https://big5000.example.com')).toBe(-1);
      // A miss through the tables (not the exact fast path) after other policies evict it.
      for (let i = 0; i < 20; i++) createWasmMatcher(policy(i)).match('https://x.example');
      expect(m.match('https://big1.example.com:1')).toBe(-1);
      expect(m.match('https://big1.example.com')).toBe(1);
    } finally {
      setWasmTableBudget(previous);
    }
  });
});
