// The exact-list miss fast path, in front of every engine's full path (./rule-front.ts
// tableMatcher, Node's ./wasm-core.ts): for a list that only the exact-origin map can allow, a
// value the map does not hold is answered by a shape check, without the walk. A module of its own
// so that the browser matcher bundle can leave it out (./exact-miss.browser.ts): a page asks about
// a few origins, where a gateway answers every request, half of them misses.
import type { OriginScan } from '../origin/canonical-origin.js';
import { MATCH_NONE } from '../policy/rules.js';
import { isPlainCanonicalOrigin } from './plain-origin.js';
import { matchApp, splitIfCanonical, type RuleFront } from './rule-front.js';

/** Builds an exact-only list's miss answer (its `null` rule, app origins, and the scan's scratch). */
export type MissPath = (front: RuleFront, scan: OriginScan) => (origin: string) => number;

/** Misses an exact-only list remembers (a gateway's denied origins are few and repeat). */
export const MISS_MEMO_LIMIT = 512;
/** The longest value remembered: every origin a browser sends of a plain site is far shorter. */
const MISS_MEMO_MAX_LENGTH = 128;

/**
 * The miss of a list that only the exact-origin map can allow (`exactOnlyList`): a value the map
 * does not hold. `null` goes to the `null` rule and a value that is not a canonical tuple origin to
 * the app origins (matchApp), as in every engine's slow path; a canonical tuple origin that is not
 * a key of the map equals no exact pattern, and no other rule kind is in the list, so it is allowed
 * by no rule: MATCH_NONE after a shape check alone (./plain-origin.ts, else the canonical scan),
 * without copying it anywhere or walking the tables.
 *
 * The verdict of each miss (at most MISS_MEMO_LIMIT values, each of at most
 * MISS_MEMO_MAX_LENGTH characters) is remembered: the map lookup that missed has already hashed
 * the string, so a repeated miss costs one more probe instead of a scan (about 1.1x a bare
 * `Set.has` instead of 1.6x to 2.4x). As in decide()'s origin memo, a full memo with fewer hits
 * than entries is emptied and skipped for the next MISS_MEMO_LIMIT misses: a flood of distinct
 * values costs the shape check, not the memo. test/exact-miss.test.ts holds all of it to the full
 * path and to the reference.
 */
export function exactOnlyMiss(front: RuleFront, scan: OriginScan): (origin: string) => number {
  const memo = new Map<string, number>();
  let hits = 0; // memo answers since it was last emptied
  let bypass = 0; // misses left that skip the memo
  const verdictOf = (origin: string): number => {
    if (isPlainCanonicalOrigin(origin)) return MATCH_NONE;
    return splitIfCanonical(origin, scan) ? MATCH_NONE : matchApp(front, origin);
  };
  return (origin) => {
    if (origin === 'null') return front.nullRule;
    if (bypass > 0) {
      bypass--;
      return verdictOf(origin);
    }
    const known = memo.get(origin);
    if (known !== undefined) {
      hits++;
      return known;
    }
    const verdict = verdictOf(origin);
    if (origin.length <= MISS_MEMO_MAX_LENGTH) {
      if (memo.size >= MISS_MEMO_LIMIT) {
        if (hits < MISS_MEMO_LIMIT) bypass = MISS_MEMO_LIMIT;
        memo.clear();
        hits = 0;
      }
      if (bypass === 0) memo.set(origin, verdict);
    }
    return verdict;
  };
}

/** The miss path the engines use here (null in the browser matcher bundle: the full path answers). */
export const exactMissPath: MissPath | null = exactOnlyMiss;
