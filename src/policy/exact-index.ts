// The exact-origin index of a validated rule list, built once. For a list of exact origins only
// (the shape of a tenant list of a million), the duplicates lint (./overlap-lints.ts) already
// builds a map from each rule's normalised key, which is then its serialized origin, to the
// earliest rule with it: exactly the exact-origin table the engines build (src/engine/tables.ts).
// The validator files that map here under the frozen rule list it made, and the table builder
// takes it instead of building a second one: one hash of each origin fewer, which is what keeps
// compiling a million origins within a small multiple of building a Set of them.
import type { OriginRule } from './rules.js';
import { isCanonicalExactRule } from './canonical-exact-rule.js';

const indexes = new WeakMap<readonly OriginRule[], ReadonlyMap<string, number>>();

/**
 * File `index` (serialized origin -> earliest rule index) for `rules`, a frozen list in which
 * every rule is an exact tuple origin whose serialization is a key of `index`.
 */
export function rememberExactIndex(rules: readonly OriginRule[], index: ReadonlyMap<string, number>): void {
  if (!Object.isFrozen(rules)) throw new Error('corset: rememberExactIndex: the rule list must be frozen');
  // What the table builder then skips for each rule (src/engine/tables.ts): checked here, once.
  for (const rule of rules) {
    const shape = isCanonicalExactRule(rule) || (rule.kind === 'tuple' && rule.host.kind === 'exact' && rule.port.kind !== 'any');
    const ok = shape && Number.isInteger(rule.index) && rule.index >= 0 && rule.index < 0x7fffffff;
    if (!ok) throw new Error(`corset: rememberExactIndex: rule ${String(rule.index)} is not an exact origin`);
  }
  indexes.set(rules, index);
}

/** The index filed for `rules`, or null (the caller builds its own). */
export function exactIndexOf(rules: readonly OriginRule[]): ReadonlyMap<string, number> | null {
  return indexes.get(rules) ?? null;
}
