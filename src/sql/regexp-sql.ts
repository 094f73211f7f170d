// A RegExp origin rule as an SQL condition. corset runs a RegExp rule with RE2 semantics (re2js,
// src/policy/linear-regexp.ts) on the value, and only on a canonical serialized origin: ASCII, no
// line break, no space. On such a value the flags `s` and `m` and the difference between `$` and
// `\z` change nothing, and `i` folds ASCII letters only: so the source runs unchanged on the RE2
// dialects (DuckDB, ClickHouse, BigQuery), with the flags written inline, as a search (as `test`).
// PostgreSQL runs POSIX AREs: the source is translated token by token where the translation is
// exact, and refused with the reason otherwise.
import type { OriginRule } from '../policy/rules.js';
import { search, SqlExportError, type SqlDialect } from './dialect.js';

type RegExpRule = Extract<OriginRule, { kind: 'regexp' }>;

/** The condition for `rule` on a value already known to be a canonical origin. */
export function regexpRuleSql(dialect: SqlDialect, col: string, rule: RegExpRule, tier = 'origins'): string {
  const { source, flags } = rule.regexp;
  const where = `${tier}[${rule.index}] ${rule.source}`;
  const nonAscii = /[^\x20-\x7e]/.exec(source);
  if (nonAscii !== null) {
    throw new SqlExportError(
      `${where}: the character ${JSON.stringify(nonAscii[0])} is not printable ASCII; engines fold case and read bytes differently outside ASCII, and a serialized origin is ASCII: write it with ASCII only`,
    );
  }
  const insensitive = flags.includes('i');
  if (dialect === 'postgres') return search(dialect, col, toPosixAre(source, where), insensitive);
  return search(dialect, col, `${insensitive ? '(?i)' : ''}${toRe2(source)}`);
}

/** The source for RE2 C++: `(?<name>` written as `(?P<name>`, which every RE2 release reads. */
function toRe2(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      out += source.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A `]` first in a class is a literal in RE2.
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += source[++i];
    } else if (source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!') {
      out += '(?P<';
      i += 2;
    } else out += c;
  }
  return out;
}

const PUNCT = /^[!-/:-@[-`{-~]$/;
const ALNUM = /^[A-Za-z0-9]$/;
/** PostgreSQL's RE_DUP_MAX: the largest bound an ARE accepts. */
const ARE_MAX_BOUND = 255;

/**
 * An RE2 source as a PostgreSQL ARE with the same matches on canonical origins (ASCII, no space,
 * no line break), or SqlExportError naming what has no exact ARE form. PostgreSQL 17 §9.7.3.
 */
export function toPosixAre(source: string, where: string): string {
  const refuse = (what: string): never => {
    throw new SqlExportError(`${where}: ${what} has no exact PostgreSQL (POSIX ARE) form; write the rule without it, or as an origin pattern`);
  };
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i] as string;
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      if ('dDsSwWntrfv'.includes(e) && e !== '') out += `\\${e}`;
      else if (e === 'A') out += '\\A';
      else if (e === 'z') out += '\\Z'; // RE2's end of text is the ARE's \Z
      else if (e === 'b') out += '\\y'; // word boundary; the word characters agree on ASCII
      else if (e === 'B') out += '\\Y';
      else if (PUNCT.test(e)) out += `\\${e}`;
      else refuse(`the escape \\${e}`);
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = classEnd(source, i);
      if (end < 0) refuse('an unclosed [');
      out += translateClass(source.slice(i, end + 1), refuse);
      i = end + 1;
      continue;
    }
    if (c === '(') {
      if (source[i + 1] !== '?') {
        out += '(';
        i++;
      } else if (source[i + 2] === ':') {
        out += '(?:';
        i += 3;
      } else if (source.startsWith('(?P<', i) || (source.startsWith('(?<', i) && /[A-Za-z_]/.test(source[i + 3] ?? ''))) {
        // A named group is a plain group: only whether the value matches is asked.
        const close = source.indexOf('>', i);
        if (close < 0) refuse('an unclosed group name');
        out += '(';
        i = close + 1;
      } else refuse(`the group ${source.slice(i, i + 3)} (inline flags)`);
      continue;
    }
    if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(source.slice(i));
      if (m === null) {
        out += '\\{'; // RE2 reads a `{` that starts no bound as a literal
        i++;
        continue;
      }
      const lo = Number(m[1]);
      const hi = m[3] === undefined || m[3] === '' ? null : Number(m[3]);
      if (lo > ARE_MAX_BOUND || (hi !== null && hi > ARE_MAX_BOUND)) refuse(`the bound ${m[0]} (PostgreSQL allows at most ${ARE_MAX_BOUND})`);
      out += m[0];
      i += m[0].length;
      continue;
    }
    if ('^$.|)*+?'.includes(c)) out += c;
    else if (ALNUM.test(c)) out += c;
    else if (PUNCT.test(c)) out += `\\${c}`;
    else refuse(`the character ${JSON.stringify(c)}`);
    i++;
  }
  return out;
}

/** Where the class starting at `start` ends (its `]`), RE2's way: a leading `]` is a literal. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[' && source[i + 1] === ':') {
      const close = source.indexOf(':]', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (c === ']') return i;
  }
  return -1;
}

function translateClass(cls: string, refuse: (what: string) => never): string {
  let out = '[';
  let i = 1;
  if (cls[i] === '^') {
    out += '^';
    i++;
  }
  const end = cls.length - 1;
  for (; i < end; i++) {
    const c = cls[i] as string;
    if (c === '\\') {
      const e = cls[i + 1] ?? '';
      // In an ARE class \d \s \w lose their brackets; \D \S \W are errors.
      if ('dsw'.includes(e) && e !== '') out += `\\${e}`;
      else if ('ntrfv'.includes(e) && e !== '') out += `\\${e}`;
      else if (PUNCT.test(e)) out += `\\${e}`;
      else refuse(`the escape \\${e} in a character class`);
      i++;
    } else if (c === '[') {
      if (cls[i + 1] === ':') {
        const close = cls.indexOf(':]', i + 2);
        out += cls.slice(i, close + 2);
        i = close + 1;
      } else out += '\\['; // `[.` and `[=` start collating elements in an ARE
    } else if (ALNUM.test(c) || c === '-' || c === '^') out += c;
    else if (PUNCT.test(c)) out += `\\${c}`;
    else refuse(`the character ${JSON.stringify(c)} in a character class`);
  }
  return `${out}]`;
}
