// createMatcher: which engine runs for each `engine` choice and policy shape.
import { describe, expect, it } from 'vitest';
import { createMatcher, preferredEngine } from '../src/engine/select.js';
import type { OriginRule } from '../src/policy/rules.js';
import { exact, glob, nul, re, rules, sub } from './fixtures/engine-cases.js';

describe('createMatcher', () => {
  const rows: { desc: string; rules: OriginRule[]; input: 'auto' | 'wasm' | 'js'; want: 'js' | 'wasm' }[] = [
    { desc: 'js', rules: rules(exact('https', 'example.com')), input: 'js', want: 'js' },
    { desc: 'wasm', rules: rules(exact('https', 'example.com')), input: 'wasm', want: 'wasm' },
    { desc: 'auto, exact list', rules: rules(exact('https', 'example.com')), input: 'auto', want: 'wasm' },
    { desc: 'auto, wildcard list', rules: rules(sub('https', 'example.com')), input: 'auto', want: 'wasm' },
    { desc: 'auto, glob list', rules: rules(glob('https', { prefix: 'pr-', right: 'example.com' })), input: 'auto', want: 'wasm' },
    { desc: 'auto, RegExp and null only', rules: rules(re(/^https:\/\/example\.com$/), nul()), input: 'auto', want: 'js' },
    { desc: 'auto, no rules (origins "*")', rules: [], input: 'auto', want: 'js' },
    { desc: 'wasm, no rules', rules: [], input: 'wasm', want: 'wasm' },
  ];
  for (const { desc, rules: list, input, want } of rows) {
    it(desc, () => {
      const got = createMatcher(list, input);
      expect(got.engine, `createMatcher(rules, ${input}).engine: got ${got.engine}; want ${want}`).toBe(want);
      expect(preferredEngine(list) === 'wasm' || input !== 'auto' || got.engine === 'js').toBe(true);
      const first = list[0];
      if (first?.kind === 'tuple' && first.host.kind === 'exact') expect(got.matcher.match('https://example.com')).toBe(0);
    });
  }

  it('rejects an unknown engine name', () => {
    expect(() => createMatcher([], 'fast' as unknown as 'js')).toThrow(/engine must be/);
  });
});
