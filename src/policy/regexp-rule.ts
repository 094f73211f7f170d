// A RegExp origin entry: copied without its stateful flags, checked for anchoring, and warned
// about when it is given credentials.
import type { OriginRule } from './rules.js';
import { quote } from './issues.js';
import { errorText, type Issues } from './issue-collector.js';
import type { OriginContext } from './origin-rules.js';

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
  if (!isAnchoredRegExp(source, flags)) {
    issues.add(
      'regexp-unanchored',
      path,
      `${where} is not anchored at both ends${flags.includes('m') ? ' (the m flag makes ^ and $ match at line breaks)' : ''}: it also matches look-alike origins such as https://example.com.evil.net; start it with ^ and end it with $, or use a pattern such as https://*.example.com`,
    );
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
  return { kind: 'regexp', index, source: `/${source}/${flags}`, regexp };
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
