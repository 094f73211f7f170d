// createMatcher: which engine runs for each `engine` choice.
import { describe, expect, it } from 'vitest';
import { createMatcher } from '../src/engine/select.js';
import { exact, rules } from './fixtures/engine-cases.js';

describe('createMatcher', () => {
  const list = rules(exact('https', 'example.com'));
  const rows: { desc: string; input: 'auto' | 'js'; want: 'js' | 'wasm' }[] = [
    { desc: 'js', input: 'js', want: 'js' },
    { desc: 'auto (no WebAssembly engine in this build)', input: 'auto', want: 'js' },
  ];
  for (const { desc, input, want } of rows) {
    it(desc, () => {
      const got = createMatcher(list, input);
      expect(got.engine, `createMatcher(rules, ${input}).engine: got ${got.engine}; want ${want}`).toBe(want);
      expect(got.matcher.match('https://example.com')).toBe(0);
    });
  }

  it('wasm throws while the WebAssembly engine is unavailable, never quietly runs JS', () => {
    expect(() => createMatcher(list, 'wasm')).toThrow(/engine "wasm" is not available/);
  });

  it('rejects an unknown engine name', () => {
    expect(() => createMatcher(list, 'fast' as unknown as 'js')).toThrow(/engine must be/);
  });
});
