// RegExp rules on re2js: for every RegExp the validator accepts, the linear-time test gives the
// same answer as the JavaScript RegExp (a seeded differential property over generated RegExps and
// origin-like strings), on both engines through compilePolicy; and the catastrophic RegExps of
// backtracking engines answer at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegExpRule } from '../src/policy/regexp-rule.js';
import { compileLinearRegExp } from '../src/policy/linear-regexp.js';
import { compilePolicy } from '../src/compile/compile-policy.js';

const atom = fc.oneof(
  fc.constantFrom('a', 'b', 'x', '\\.', '.', '-', ':', '\\/', '\\d', '\\w', '[a-z]', '[^.]', '[0-9a-f]', '[a-z0-9-]', 'A', 'com', 'example'),
  fc.constantFrom('(?:a|b)', '(a|ab)', '(x)', '(?<n>b)'),
);
const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '*?', '+?');
const piece = fc.tuple(atom, quantifier).map(([a, q]) => a + q);
const body = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
const alternatives = fc.array(body, { minLength: 1, maxLength: 3 });
const regexpSource = fc.tuple(alternatives, fc.boolean()).map(([alts, group]) =>
  group ? `^https:\\/\\/(?:${alts.join('|')})$` : alts.map((a) => `^https:\\/\\/${a}$`).join('|'),
);
const flags = fc.constantFrom('', 'i', 's', 'u', 'iu', 'g');
const originChar = fc.constantFrom('a', 'b', 'x', 'A', '.', '-', ':', '/', '0', '7', 'c', 'o', 'm', 'e');
const tail = fc.array(originChar, { maxLength: 12 }).map((c) => c.join(''));

describe('RegExp rules on re2js', () => {
  it('answer as the JavaScript RegExp does, for every RegExp accepted (seeded)', () => {
    let compared = 0;
    fc.assert(
      fc.property(regexpSource, flags, fc.array(tail, { minLength: 1, maxLength: 8 }), (source, f, tails) => {
        if (checkRegExpRule(source, f) !== null) return;
        const test = compileLinearRegExp(source, f);
        if (typeof test !== 'function') return;
        const native = new RegExp(source, f.replace(/[gy]/g, ''));
        for (const t of tails) {
          const s = `https://${t}`;
          expect(test(s), `/${source}/${f} on ${s}`).toBe(native.test(s));
          compared++;
        }
      }),
      { seed: 16, numRuns: 2000 },
    );
    expect(compared).toBeGreaterThan(2000);
  });

  it('run the same way on both engines through compilePolicy', () => {
    fc.assert(
      fc.property(regexpSource, fc.array(tail, { minLength: 1, maxLength: 6 }), (source, tails) => {
        if (checkRegExpRule(source, '') !== null || typeof compileLinearRegExp(source, '') !== 'function') return;
        const regexp = new RegExp(source);
        const init = { origins: ['https://exact.example.com', regexp] };
        const js = compilePolicy({ ...init, engine: 'js' });
        const wasm = compilePolicy({ ...init, engine: 'wasm' });
        for (const t of tails) {
          const origin = `https://${t}`;
          // An origin the parser refuses is denied by both; otherwise the RegExp decides.
          expect(wasm.isOriginAllowed(origin), origin).toBe(js.isOriginAllowed(origin));
        }
      }),
      { seed: 1616, numRuns: 300 },
    );
  });

  it('refuses a RegExp RE2 does not parse, naming the rule', () => {
    const issue = checkRegExpRule('^https:\\/\\/a(?<=b)$', '');
    expect(issue?.code).toBe('regexp-not-re2');
    expect(() => compilePolicy({ origins: [/^https:\/\/(a)\1\.com$/] })).toThrow(/origins\[0\].*backreference/);
  });

  it('answers the catastrophic RegExps of backtracking engines (the answer, not the time)', () => {
    for (const regexp of [/^https:\/\/([a-z0-9]+)+\.example\.com$/, /^https:\/\/(a|a)*\.example\.com$/]) {
      const policy = compilePolicy({ origins: ['https://app.example.com', regexp] });
      // 51 bytes: a backtracking engine takes seconds here; an automaton takes microseconds.
      expect(policy.isOriginAllowed(`https://${'a'.repeat(32)}.example.co`)).toBe(false);
      expect(policy.isOriginAllowed(`https://${'a'.repeat(32)}.example.com`)).toBe(true);
    }
  });
});
