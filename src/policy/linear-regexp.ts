// RegExp rules on a linear-time engine: the RegExp's source compiled by re2js (a pure-JavaScript
// port of RE2: an automaton, no backtracking), so matching an origin of n characters costs O(n)
// whatever the RegExp. Only RegExps checkRegExpRule (src/policy/regexp-rule.ts) accepts reach it.
import { RE2JS } from 're2js';
import type { OriginRule } from './rules.js';

type RegExpRule = Extract<OriginRule, { kind: 'regexp' }>;

/**
 * A linear-time test with RE2 semantics for a JavaScript RegExp's source and flags, or the error
 * RE2 gives for a source it does not accept. `i`, `m` and `s` map to RE2's flags; `g`, `y`, `d`
 * and `u` change nothing about whether a serialized origin (ASCII) matches.
 */
export function compileLinearRegExp(source: string, flags: string): ((origin: string) => boolean) | { error: string } {
  let re2: RE2JS;
  try {
    let f = 0;
    if (flags.includes('i')) f |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes('m')) f |= RE2JS.MULTILINE;
    if (flags.includes('s')) f |= RE2JS.DOTALL;
    re2 = RE2JS.compile(source, f);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  // `test` in JavaScript is a search: RE2's find() on a fresh matcher is the same question.
  return (origin) => re2.matcher(origin).find();
}

/** A RegExp rule whose `test` runs on re2js; throws when RE2 does not accept the source. */
export function linearRegExpRule(index: number, source: string, regexp: RegExp): RegExpRule {
  const test = compileLinearRegExp(regexp.source, regexp.flags);
  if (typeof test !== 'function') throw new Error(`corset: ${source}: RE2 does not accept this RegExp: ${test.error}`);
  return { kind: 'regexp', index, source, regexp, test };
}
