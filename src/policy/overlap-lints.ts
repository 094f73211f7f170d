// The overlap lints of one origin list (warnings): a pattern listed twice once normalised, and a
// pattern a wider one already allows (shadowed).
import type { HostSpec, OriginRule, PortSpec, TupleRule } from './rules.js';
import { quote } from './issues.js';
import { formatOriginPattern, isCanonicalExactRule } from './pattern.js';
import type { Issues } from './issue-collector.js';

/** The rule with index `index` in a list sorted by index (as validation makes it). */
function ruleAt(rules: readonly OriginRule[], index: number): OriginRule {
  let lo = 0;
  let hi = rules.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rules[mid] as OriginRule).index < index) lo = mid + 1;
    else hi = mid;
  }
  return rules[lo] as OriginRule;
}

/** The normalised form of a rule: two rules with the same key allow the same origins. */
function ruleKey(rule: OriginRule): string {
  switch (rule.kind) {
    case 'null':
      return 'null';
    case 'app':
      return rule.source; // canonical: two entries are the same only when equal
    case 'regexp':
      return `/${rule.regexp.source}/${rule.regexp.flags}`;
    case 'tuple':
      // An exact origin written in canonical form is its own key (no string to build).
      if (isCanonicalExactRule(rule)) return rule.source;
      if (rule.host.kind === 'exact' && rule.port.kind === 'default' && rule.source.length === rule.scheme.length + 3 + rule.host.host.length && rule.source.endsWith(rule.host.host) && rule.source.startsWith(rule.scheme)) {
        return rule.source;
      }
      return formatOriginPattern(rule);
  }
}

/**
 * The overlap lints of one list. Returns the map of normalised keys to the earliest rule's index
 * when every rule is an exact tuple origin (each key is then that origin's serialization): the
 * exact-origin index the engines' tables need (./exact-index.ts); null otherwise.
 */
export function lintDuplicatesAndShadows(rules: readonly OriginRule[], listPath: string, issues: Issues): ReadonlyMap<string, number> | null {
  const first = new Map<string, number>(); // normalised key -> the earliest rule's index
  const duplicates = new Set<OriginRule>();
  // Shadowing: only a wildcard (host or port) can cover another pattern. The wide rules are
  // indexed by the domain they hang from, so each rule looks up only the wide rules whose domain
  // is one of its own label suffixes: linear in the list, not quadratic.
  const wide = new Map<string, TupleRule[]>();
  let exactOnly = true;
  for (const rule of rules) {
    const key = ruleKey(rule);
    const earlierIndex = first.get(key);
    if (earlierIndex !== undefined) {
      const earlier = ruleAt(rules, earlierIndex);
      duplicates.add(rule);
      issues.add(
        'duplicate-pattern',
        `${listPath}[${rule.index}]`,
        `corset: ${listPath}[${rule.index}]: ${quote(rule.source)} is the same pattern as ${listPath}[${earlier.index}] (${quote(earlier.source)}) once normalised to ${quote(key)}: remove one`,
      );
      continue;
    }
    first.set(key, rule.index);
    if (rule.kind !== 'tuple') {
      exactOnly = false;
      continue;
    }
    if (rule.host.kind === 'exact' && rule.port.kind !== 'any') continue;
    exactOnly = false;
    const wideAt = wideKey(rule.host);
    const bucket = wide.get(wideAt);
    if (bucket === undefined) wide.set(wideAt, [rule]);
    else bucket.push(rule);
  }
  const index = exactOnly ? first : null;
  if (wide.size === 0) return index;
  for (const rule of rules) {
    if (rule.kind !== 'tuple' || duplicates.has(rule)) continue;
    let cover: TupleRule | null = null;
    for (const key of coverKeys(rule.host)) {
      for (const candidate of wide.get(key) ?? []) {
        if (candidate === rule || (cover !== null && candidate.index > cover.index)) continue;
        if (ruleCovers(candidate, rule) && !ruleCovers(rule, candidate)) cover = candidate;
      }
    }
    if (cover === null) continue;
    issues.add(
      'shadowed-pattern',
      `${listPath}[${rule.index}]`,
      `corset: ${listPath}[${rule.index}]: ${quote(rule.source)} is already allowed by ${listPath}[${cover.index}] (${quote(cover.source)}): remove it, or narrow the wider pattern if it allows more than you meant`,
    );
  }
  return index;
}

/** Where a wide rule is filed: by host (exact with `:*`), suffix (`*.`) or right part (glob). */
function wideKey(host: HostSpec): string {
  switch (host.kind) {
    case 'exact':
      return `e ${host.host}`;
    case 'subdomains':
      return `s ${host.suffix}`;
    case 'glob':
      return `g ${host.right}`;
  }
}

/** The filing keys of every wide rule that could cover `host` (see hostCovers). */
function coverKeys(host: HostSpec): string[] {
  const keys: string[] = [];
  const tail = host.kind === 'exact' ? host.host : host.kind === 'subdomains' ? host.suffix : host.right;
  if (host.kind === 'exact') keys.push(`e ${tail}`);
  if (host.kind === 'glob') keys.push(`g ${tail}`);
  if (host.kind !== 'exact') keys.push(`s ${tail}`);
  for (let dot = tail.indexOf('.'); dot >= 0; dot = tail.indexOf('.', dot + 1)) {
    const parent = tail.slice(dot + 1);
    keys.push(`s ${parent}`);
    if (host.kind === 'exact') keys.push(`g ${parent}`);
  }
  return keys;
}

/** Whether every origin `inner` allows, `outer` allows too. */
export function ruleCovers(outer: TupleRule, inner: TupleRule): boolean {
  return outer.scheme === inner.scheme && portCovers(outer.port, inner.port) && hostCovers(outer.host, inner.host);
}

function portCovers(outer: PortSpec, inner: PortSpec): boolean {
  if (outer.kind === 'any') return true;
  if (outer.kind === 'default') return inner.kind === 'default';
  return inner.kind === 'exact' && inner.port === outer.port;
}

function hostCovers(outer: HostSpec, inner: HostSpec): boolean {
  switch (outer.kind) {
    case 'exact':
      return inner.kind === 'exact' && inner.host === outer.host;
    case 'subdomains': {
      // Every host inner allows is some labels, then a fixed tail; the labels must be DNS labels.
      const tail = inner.kind === 'exact' ? inner.host : inner.kind === 'subdomains' ? inner.suffix : inner.right;
      if (tail === outer.suffix) {
        if (inner.kind === 'exact') return false; // the apex is never covered
        return inner.kind === 'subdomains' || inner.left === '' || areDnsLabels(inner.left);
      }
      if (!tail.endsWith(`.${outer.suffix}`)) return false;
      const head = tail.slice(0, tail.length - outer.suffix.length - 1);
      if (!areDnsLabels(head)) return false;
      return inner.kind !== 'glob' || inner.left === '' || areDnsLabels(inner.left);
    }
    case 'glob': {
      if (inner.kind === 'subdomains') return false;
      if (inner.kind === 'glob') {
        return (
          inner.left === outer.left &&
          inner.right === outer.right &&
          inner.prefix.startsWith(outer.prefix) &&
          inner.suffix.endsWith(outer.suffix)
        );
      }
      return globMatchesHost(outer, inner.host);
    }
  }
}

/** Whether a glob host spec matches one exact host. */
function globMatchesHost(glob: Extract<HostSpec, { kind: 'glob' }>, host: string): boolean {
  const tail = `.${glob.right}`;
  if (!host.endsWith(tail)) return false;
  let rest = host.slice(0, host.length - tail.length);
  if (glob.left !== '') {
    if (!rest.startsWith(`${glob.left}.`)) return false;
    rest = rest.slice(glob.left.length + 1);
  }
  const fixed = glob.prefix.length + glob.suffix.length;
  if (rest.length <= fixed || !rest.startsWith(glob.prefix) || !rest.endsWith(glob.suffix)) return false;
  return isDnsLabel(rest);
}

/** A DNS label as wildcards match it: 1 to 63 characters of [a-z0-9-]. */
function isDnsLabel(label: string): boolean {
  if (label.length === 0 || label.length > 63) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return false;
  }
  return true;
}

function areDnsLabels(labels: string): boolean {
  return labels.split('.').every(isDnsLabel);
}
