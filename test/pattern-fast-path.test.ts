// The canonical fast path of parseOriginPattern (no URL parser for an exact origin already in
// canonical form) against the full parser: wherever it answers, it answers exactly what the full
// parser does; where it does not, the full parser decides (seeded property, adversarial alphabet).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalExactPattern, parsePatternFully } from '../src/policy/pattern.js';

const rows: { desc: string; input: string; fast: boolean }[] = [
  { desc: 'plain https', input: 'https://example.com', fast: true },
  { desc: 'http with a port', input: 'http://localhost:3000', fast: true },
  { desc: 'dotted quad', input: 'https://10.0.0.1', fast: true },
  { desc: 'trailing dot', input: 'https://example.com.', fast: true },
  { desc: 'a 63-byte label', input: `https://${'a'.repeat(63)}.example`, fast: true },
  { desc: 'a 64-byte label: the full parser refuses it', input: `https://${'a'.repeat(64)}.example`, fast: false },
  { desc: 'default port written out', input: 'https://example.com:443', fast: false },
  { desc: 'upper case', input: 'https://Example.com', fast: false },
  { desc: 'punycode', input: 'https://xn--bcher-kva.example', fast: false },
  { desc: 'wss is not a pattern scheme', input: 'wss://example.com', fast: false },
  { desc: 'wildcard', input: 'https://*.example.com', fast: false },
];

describe('parseOriginPattern: canonical fast path', () => {
  for (const { desc, input, fast } of rows) {
    it(desc, () => {
      const got = canonicalExactPattern(input);
      expect(got !== null, `canonicalExactPattern(${JSON.stringify(input)}) taken: got ${got !== null}; want ${fast}`).toBe(fast);
      if (got !== null) expect(got).toEqual(parsePatternFully(input));
    });
  }

  it('property: wherever the fast path answers, the full parser answers the same', () => {
    const unit = fc.constantFrom(...'abz09-.:_*/%[]@ AXé'.split(''), 'xn--', '443', '80', '.example', 'a'.repeat(30));
    const input = fc
      .tuple(fc.constantFrom('https://', 'http://', 'HTTP://', 'wss://', 'ftp://', 'https:/'), fc.array(unit, { maxLength: 10 }))
      .map(([scheme, parts]) => scheme + parts.join(''));
    let taken = 0;
    fc.assert(
      fc.property(input, (s) => {
        const fast = canonicalExactPattern(s);
        if (fast === null) return;
        taken++;
        expect(fast, `canonicalExactPattern(${JSON.stringify(s)})`).toEqual(parsePatternFully(s));
      }),
      { seed: 17, numRuns: 20_000 },
    );
    expect(taken).toBeGreaterThan(200);
  });
});
