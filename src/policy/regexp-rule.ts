// A RegExp origin entry: copied without its stateful flags, checked to be one RE2 can run
// (linear time: no backreference, no lookaround) and anchored at both ends, and warned about when
// it is given credentials. `checkRegExpRule` is the check alone, for every consumer of a RegExp
// rule (the validator here, exports to RE2-based engines).
import type { OriginRule } from './rules.js';
import { quote, type PolicyIssueCode } from './issues.js';
import { errorText, type Issues } from './issue-collector.js';
import type { OriginContext } from './origin-rules.js';
import { compileLinearRegExp } from './linear-regexp.js';

/** Why a RegExp cannot be an origin rule: the issue code and the feature, in words. */
export interface RegExpRuleProblem {
  readonly code: Extract<PolicyIssueCode, 'regexp-not-re2' | 'regexp-unanchored' | 'regexp-too-long'>;
  /** The offending feature as written, e.g. `\\1 (a backreference)` or `(?= (a lookahead)`. */
  readonly feature: string;
}

/** Longer RegExp sources are refused: no origin needs one, and compiling is work. */
export const MAX_REGEXP_SOURCE_LENGTH = 1024;

/** The flags a RegExp rule may carry (`g` and `y` are dropped before; RE2 has i, m and s). */
const RE2_FLAGS = new Set(['i', 'm', 's', 'u', 'd', 'g', 'y']);

/**
 * Whether a RegExp (its `source` and `flags`) can be an origin rule: RE2-compatible, so it runs in
 * linear time (no backreference `\1` or `\k<name>`, no lookahead `(?=` `(?!`, no lookbehind
 * `(?<=` `(?<!`, no `v` flag), and anchored at both ends (`^...$` on every top-level alternative,
 * no `m` flag). Returns null when it can, else the first problem. `unanchoredAllowed` skips the
 * anchoring check only (the `allowUnanchoredRegExp` escape hatch). Never throws.
 */
export function checkRegExpRule(source: string, flags: string, unanchoredAllowed = false): RegExpRuleProblem | null {
  if (source.length > MAX_REGEXP_SOURCE_LENGTH) {
    return { code: 'regexp-too-long', feature: `${source.length} characters (at most ${MAX_REGEXP_SOURCE_LENGTH})` };
  }
  for (const flag of flags) {
    if (!RE2_FLAGS.has(flag)) return { code: 'regexp-not-re2', feature: `the ${flag} flag` };
  }
  const feature = nonRe2Feature(source, flags.includes('u'));
  if (feature !== null) return { code: 'regexp-not-re2', feature };
  if (!unanchoredAllowed && !isAnchoredRegExp(source, flags)) {
    return { code: 'regexp-unanchored', feature: flags.includes('m') ? 'the m flag (^ and $ match at line breaks)' : 'no ^ or no $ on some alternative' };
  }
  return null;
}

/** The first feature of `source` RE2 cannot run in linear time, or null. Classes are skipped. */
function nonRe2Feature(source: string, unicode: boolean): string | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (next >= '1' && next <= '9') {
        let digits = next;
        for (let k = i + 2; k < source.length && (source[k] ?? '') >= '0' && (source[k] ?? '') <= '9'; k++) digits += source[k];
        return `\\${digits} (${inClass ? 'an octal escape' : 'a backreference'})`;
      }
      if (!inClass && next === 'k' && (unicode || source.includes('(?<'))) return '\\k<...> (a named backreference)';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && source[i + 1] === '?') {
      const rest = source.slice(i + 2, i + 4);
      if (rest.startsWith('=')) return '(?= (a lookahead)';
      if (rest.startsWith('!')) return '(?! (a negative lookahead)';
      if (rest === '<=') return '(?<= (a lookbehind)';
      if (rest === '<!') return '(?<! (a negative lookbehind)';
    }
  }
  return null;
}

export function validateOriginRegExp(entry: RegExp, index: number, path: string, context: OriginContext, issues: Issues): OriginRule | null {
  // Copy first (without g and y): a RegExp-looking object that cannot be copied is refused.
  let regexp: RegExp;
  let source: string;
  let flags: string;
  try {
    source = String(entry.source);
    flags = String(entry.flags);
    regexp = new RegExp(source, flags.replace(/[gy]/g, ''));
  } catch (e) {
    issues.add('invalid-type', path, `corset: ${path}: a RegExp that cannot be copied: ${errorText(e)}`);
    return null;
  }
  const where = `corset: ${path}: ${quote(entry)}`;
  // The escape hatch for unanchored RegExps does not exist with credentials.
  const problem = checkRegExpRule(source, flags, context.allowUnanchoredRegExp && !context.credentials);
  if (problem !== null) {
    issues.add(problem.code, path, regExpProblemMessage(where, problem, context.credentials));
    return null;
  }
  if (flags.includes('g') || flags.includes('y')) {
    issues.add(
      'regexp-stateful-flag',
      path,
      `${where} has the ${flags.includes('g') ? 'g' : 'y'} flag: a RegExp with g or y keeps lastIndex between test() calls and would fail every other request; corset uses a copy without them`,
    );
  }
  if (context.credentials) {
    issues.add(
      'regexp-with-credentials',
      path,
      `${where} is given credentials: one loose RegExp exposes your users' data to every origin it matches; prefer exact origins or https://*.example.com patterns, which corset checks`,
    );
  }
  const test = compileLinearRegExp(source, flags);
  if (typeof test !== 'function') {
    issues.add('regexp-not-re2', path, regExpProblemMessage(where, { code: 'regexp-not-re2', feature: `syntax RE2 does not accept (${test.error})` }, context.credentials));
    return null;
  }
  return { kind: 'regexp', index, source: `/${source}/${flags}`, regexp, test };
}

function regExpProblemMessage(where: string, problem: RegExpRuleProblem, credentials: boolean): string {
  switch (problem.code) {
    case 'regexp-too-long':
      return `${where} is too long: ${problem.feature}; no origin needs a RegExp that long`;
    case 'regexp-not-re2':
      return `${where} uses ${problem.feature}, which no linear-time engine can run: for security reasons, corset runs RegExp rules with RE2 semantics, so one request can never stall the server; rewrite it without that feature, or use a pattern such as https://*.example.com`;
    case 'regexp-unanchored':
      return `${where} is not anchored at both ends (${problem.feature}): it also matches look-alike origins such as https://example.com.evil.net; start it with ^ and end it with $, or use a pattern such as https://*.example.com${credentials ? '' : ' (or set allowUnanchoredRegExp: true if you mean it)'}`;
  }
}

export function isRegExp(value: unknown): value is RegExp {
  return value instanceof RegExp || Object.prototype.toString.call(value) === '[object RegExp]';
}

/**
 * Whether every top-level alternative of a RegExp source starts with `^` and ends with an
 * unescaped `$` (and the `m` flag is off). Groups and character classes are skipped over, so
 * `^(a|b)\.example\.com$` counts as anchored and `^a\.com$|b\.com` does not.
 */
export function isAnchoredRegExp(source: string, flags: string): boolean {
  if (flags.includes('m')) return false;
  const alternatives: [number, number][] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      alternatives.push([start, i]);
      start = i + 1;
    }
  }
  alternatives.push([start, source.length]);
  return alternatives.every(([from, to]) => {
    if (to - from < 2 || source[from] !== '^' || source[to - 1] !== '$') return false;
    let backslashes = 0; // an odd number of backslashes before `$` escapes it
    for (let k = to - 2; k >= from && source[k] === '\\'; k--) backslashes++;
    return backslashes % 2 === 0;
  });
}
