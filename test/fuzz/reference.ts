// The plain reference the engines are held to: one anchored RegExp per tuple rule, built from the
// rule's structure (not from the tables), the full URL parser for "is this canonical", and a loop
// over the rules in `origins` order. Slow and obvious on purpose.
import { MAX_LABEL_LENGTH, MAX_ORIGIN_LENGTH } from '../../src/origin/limits.js';
import { parseCanonicalOriginSlow } from '../../src/origin/origin.js';
import { MATCH_INVALID, MATCH_NONE, type OriginRule } from '../../src/policy/rules.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** One DNS label: 1 to 63 of [a-z0-9-], and the next character is not one of them. */
const DNS_LABEL_AHEAD = `(?=[a-z0-9-]{1,${MAX_LABEL_LENGTH}}(?![a-z0-9-]))`;

/** The anchored RegExp of a tuple rule. */
export function referenceRegExp(rule: Extract<OriginRule, { kind: 'tuple' }>): RegExp {
  let host: string;
  switch (rule.host.kind) {
    case 'exact':
      host = escape(rule.host.host);
      break;
    case 'subdomains':
      host = `(?:${DNS_LABEL_AHEAD}[a-z0-9-]+\\.)+${escape(rule.host.suffix)}`;
      break;
    case 'glob': {
      const { left, prefix, suffix, right } = rule.host;
      host =
        (left === '' ? '' : `${escape(left)}\\.`) +
        `${DNS_LABEL_AHEAD}${escape(prefix)}[a-z0-9-]+${escape(suffix)}` +
        (right === '' ? '' : `\\.${escape(right)}`);
      break;
    }
  }
  let port: string;
  switch (rule.port.kind) {
    case 'default':
      port = '';
      break;
    case 'exact':
      port = `:${rule.port.port}`;
      break;
    case 'any':
      port = '(?::[0-9]+)?';
      break;
  }
  return new RegExp(`^${rule.scheme}://${host}${port}$`);
}

export interface Reference {
  match(origin: string): number;
}

/** The reference matcher of a rule list. `canonical` memoises the full parser across calls. */
export function createReference(rules: readonly OriginRule[], canonical = new Map<string, boolean>()): Reference {
  const ordered = [...rules].sort((a, b) => a.index - b.index);
  const tests = ordered.map((rule) => {
    if (rule.kind === 'tuple') {
      const regexp = referenceRegExp(rule);
      return (s: string) => s !== 'null' && regexp.test(s);
    }
    if (rule.kind === 'null') return (s: string) => s === 'null';
    const regexp = rule.regexp;
    return (s: string) => s !== 'null' && regexp.test(s);
  });
  return {
    match(origin: string): number {
      if (origin.length > MAX_ORIGIN_LENGTH) return MATCH_INVALID;
      if (origin !== 'null') {
        let ok = canonical.get(origin);
        if (ok === undefined) {
          ok = parseCanonicalOriginSlow(origin) !== null;
          if (canonical.size > 200_000) canonical.clear();
          canonical.set(origin, ok);
        }
        if (!ok) return MATCH_INVALID;
      }
      for (let i = 0; i < ordered.length; i++) if ((tests[i] as (s: string) => boolean)(origin)) return (ordered[i] as OriginRule).index;
      return MATCH_NONE;
    },
  };
}
