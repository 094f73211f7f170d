// The origin half of a CorsPolicy (isOriginAllowed, matchOrigin, matchOrigins), shared by
// compilePolicy (compile-validated.ts) and the browser's loadMatcher (src/browser/load-matcher.ts),
// so the two can never read a policy differently. Imports no validator: the browser matcher
// bundle carries it.
import type { CorsPolicy } from '../types.js';
import type { OriginMatcher, OriginRule } from '../policy/rules.js';
import { describeType, requireString } from '../arguments.js';
import { isCanonicalTupleOrigin } from '../origin/origin.js';
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';

export interface OriginAnswersInit {
  readonly engine: 'wasm' | 'js';
  /** null for `origins: '*'`. */
  readonly origins: { readonly matcher: OriginMatcher; readonly rules: readonly OriginRule[] } | null;
  /** The tier that gets credentials (`credentialedOrigins`), or null. */
  readonly credentialed: { readonly matcher: OriginMatcher; readonly rules: readonly OriginRule[] } | null;
  readonly allowNullOrigin: boolean;
}

export type OriginAnswers = Pick<CorsPolicy, 'engine' | 'isOriginAllowed' | 'matchOrigin' | 'matchOrigins'>;

/**
 * Each rule's source by its index. A validated list is in index order (`rules[i].index === i`),
 * so a list of a million is read in place; an array by index is built only for another order.
 */
function sourcesByIndex(rules: readonly OriginRule[]): (index: number) => string | null {
  let byIndex: string[] | null = null;
  return (index) => {
    const rule = rules[index];
    if (rule !== undefined && rule.index === index) return rule.source;
    if (byIndex === null) {
      byIndex = [];
      for (const r of rules) byIndex[r.index] = r.source;
    }
    return byIndex[index] ?? null;
  };
}

// locate's answers other than a list's rule index (see there).
const NOT_ALLOWED = -1;
const ANY_TUPLE = -2;
/** A credentialed rule's index m as one of locate's answers (-3, -4, ...), and back. */
const credentialedAt = (m: number): number => -3 - m;

export function createOriginAnswers(init: OriginAnswersInit): OriginAnswers {
  const originsMatcher = init.origins?.matcher ?? null;
  const credentialedMatcher = init.credentialed?.matcher ?? null;
  const sourceOf = sourcesByIndex(init.origins?.rules ?? []);
  const credentialedSourceOf = sourcesByIndex(init.credentialed?.rules ?? []);
  const { allowNullOrigin } = init;

  /**
   * The rule that allows `origin`, as decide() reads the policy: for a tiered policy the
   * credentialed entry first (it is the answer the origin gets), then `*` for any tuple origin;
   * for a list, the earliest entry. `null` only with `allowNullOrigin`. Total over strings.
   * Answered as a number, so isOriginAllowed never reads the rule list (a random read in a list
   * of a million costs more than the lookup): a list's rule index (>= 0), a credentialed rule's
   * index m as credentialedAt(m), ANY_TUPLE for `*`, or NOT_ALLOWED.
   */
  function locate(origin: string): number {
    if (origin.length > MAX_ORIGIN_LENGTH) return NOT_ALLOWED;
    if (origin === 'null' && !allowNullOrigin) return NOT_ALLOWED;
    if (credentialedMatcher !== null) {
      const m = credentialedMatcher.match(origin);
      if (m >= 0) return credentialedAt(m);
    }
    if (originsMatcher === null) return origin !== 'null' && isCanonicalTupleOrigin(origin) ? ANY_TUPLE : NOT_ALLOWED;
    const m = originsMatcher.match(origin);
    return m >= 0 ? m : NOT_ALLOWED;
  }

  /** The pattern as written that allows `origin` (matchOrigin), or null. */
  function resolve(origin: string): string | null {
    const at = locate(origin);
    if (at >= 0) return sourceOf(at);
    if (at === ANY_TUPLE) return '*';
    if (at === NOT_ALLOWED) return null;
    return credentialedSourceOf(credentialedAt(at)); // credentialedAt is its own inverse
  }

  return {
    engine: init.engine,
    isOriginAllowed(origin: string): boolean {
      requireString(origin, 'origin', 'isOriginAllowed');
      return locate(origin) !== NOT_ALLOWED;
    },
    matchOrigin(origin: string): string | null {
      requireString(origin, 'origin', 'matchOrigin');
      return resolve(origin);
    },
    matchOrigins(origins: readonly string[]): Uint8Array {
      if (!Array.isArray(origins)) {
        throw new TypeError(`corset: matchOrigins(origins): origins must be an array of strings, got ${describeType(origins)}`);
      }
      for (let i = 0; i < origins.length; i++) requireString(origins[i], `origins[${i}]`, 'matchOrigins');
      // A plain list: one call into the engine for the whole batch (the WASM engine amortises the
      // boundary). Its `null` rule exists only with allowNullOrigin (validation refuses it
      // otherwise), so the engine's answer is already resolve's.
      if (originsMatcher !== null && credentialedMatcher === null) return originsMatcher.matchMany(origins);
      const out = new Uint8Array(origins.length);
      for (let i = 0; i < origins.length; i++) out[i] = locate(origins[i] as string) === NOT_ALLOWED ? 0 : 1;
      return out;
    },
  };
}
