// The TypeScript engine: the reference every other engine is held to, and the fallback where
// WebAssembly cannot run. It reads the packed tables of ./tables.ts through typed-array views.
//
// match(origin), in order:
//   1. a value longer than any serialized origin can be is invalid, before any other work;
//   2. `null` matches only a `null` rule;
//   3. a value equal to an exact pattern is canonical by that equality: one Map lookup answers it
//      with the earliest rule of any kind that allows it (precomputed);
//   4. otherwise the value must be a canonical serialized origin: the fast scan decides most
//      values, the full URL parser the ones it cannot (IPv6, punycode, unusual ASCII);
//   5. the tables, then the RegExp rules that come before the tables' answer in `origins` order.
import { newOriginScan } from '../origin/canonical-origin.js';
import { MATCH_INVALID, type OriginMatcher, type OriginRule } from '../policy/rules.js';
import { matchTables } from './match-tables.js';
import {
  buildExactFirst,
  frontedMatch,
  earliestWithRegexps,
  matchEach,
  splitIfCanonical,
  splitRules,
} from './rule-front.js';
import { buildTables } from './tables.js';

/** Compile a validated rule list into the TypeScript engine. */
export function createJsMatcher(rules: readonly OriginRule[]): OriginMatcher {
  const tables = buildTables(rules);
  const front = splitRules(rules);
  const scan = newOriginScan();

  /** Steps 2, 4 and 5 (no length cap, no fast path). */
  const matchSlow = (origin: string): number => {
    if (origin === 'null') return front.nullRule;
    if (!splitIfCanonical(origin, scan)) return MATCH_INVALID;
    return earliestWithRegexps(front, origin, matchTables(tables, origin, scan.hostStart, scan.hostEnd, scan.port));
  };
  const exactFirst = buildExactFirst(tables.exactKeys, matchSlow);

  const match = frontedMatch(exactFirst, matchSlow);

  return { match, matchMany: matchEach(match) };
}
