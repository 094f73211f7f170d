// What every engine does around the tables, identically: the `null` origin, RegExp rules, the
// exact origins of apps and extensions (src/origin/app-origin.ts), the length cap, the split of a canonical origin the fast scan could not decide, and the exact-origin
// fast path (a JS Map on the raw header string). Kept in one place so that the engines differ only
// in how they validate and walk the tables.
import { MAX_ORIGIN_LENGTH } from '../origin/limits.js';
import { CANONICAL_NO, CANONICAL_UNSURE, newOriginScan, scanCanonicalOrigin, type OriginScan } from '../origin/canonical-origin.js';
import { isCanonicalTupleOrigin } from '../origin/origin.js';
import { isCanonicalAppOrigin } from '../origin/app-origin.js';
import type { MissPath } from './exact-miss.js';
import { MATCH_INVALID, MATCH_NONE, type OriginMatcher, type OriginRule } from '../policy/rules.js';
import { buildTables, type OriginTables, type TableMaps } from './tables.js';
import { exactIndexOf } from '../policy/exact-index.js';
import { NO_RULE } from './layout.js';

export { MAX_ORIGIN_LENGTH };

/** The rules that are not table material. */
export interface RuleFront {
  /** The earliest `null` rule's index, or MATCH_NONE: the only rule that can match `'null'`. */
  readonly nullRule: number;
  /** RegExp rules, by index. Tried only on canonical tuple origins, after (or before) the tables. */
  readonly regexps: readonly { readonly index: number; readonly test: (origin: string) => boolean }[];
  /**
   * App and extension origins (canonical by validation), each to its earliest rule. A value equal
   * to a key is that origin; no other rule kind can match an app origin (RegExps see tuple
   * origins only).
   */
  readonly apps: ReadonlyMap<string, number>;
}

export function splitRules(rules: readonly OriginRule[]): RuleFront {
  // A list of exact origins only (src/policy/exact-index.ts) has no null, RegExp or app rule.
  if (exactIndexOf(rules) !== null) return { nullRule: MATCH_NONE, regexps: [], apps: new Map() };
  let nullRule = MATCH_NONE;
  const regexps: { index: number; test: (origin: string) => boolean }[] = [];
  const apps = new Map<string, number>();
  for (const rule of rules) {
    if (rule.kind === 'null') {
      if (nullRule === MATCH_NONE || rule.index < nullRule) nullRule = rule.index;
    } else if (rule.kind === 'regexp') {
      regexps.push({ index: rule.index, test: rule.test });
    } else if (rule.kind === 'app' && !apps.has(rule.source)) {
      apps.set(rule.source, rule.index); // rules come in `origins` order: the first is the earliest
    }
  }
  regexps.sort((a, b) => a.index - b.index);
  return { nullRule, regexps, apps };
}

/**
 * A value that is not a canonical tuple origin (nor `null`): the earliest app rule when it is
 * one of the policy's app origins, MATCH_NONE when it is another canonical app origin, else
 * MATCH_INVALID.
 */
export function matchApp(front: RuleFront, s: string): number {
  return front.apps.get(s) ?? (isCanonicalAppOrigin(s) ? MATCH_NONE : MATCH_INVALID);
}

/**
 * The earliest rule for a canonical tuple origin `s`, given the tables' answer (`NO_RULE` or an
 * index): a RegExp rule wins only if it comes before the table's rule in `origins` order, so the
 * RegExps after the table's rule never run. MATCH_NONE when nothing allows `s`.
 */
export function earliestWithRegexps(front: RuleFront, s: string, tableRule: number): number {
  const regexps = front.regexps;
  for (let i = 0; i < regexps.length; i++) {
    const r = regexps[i] as { index: number; test: (origin: string) => boolean };
    if (r.index >= tableRule) break;
    if (r.test(s)) return r.index;
  }
  return tableRule === NO_RULE ? MATCH_NONE : tableRule;
}

/**
 * Split a value already proved to be a canonical serialized tuple origin (by the full parser)
 * into host bounds and port, as scanCanonicalOrigin would have: `scheme://host[:port]`, the host
 * bracketed when it is IPv6.
 */
export function splitCanonicalOrigin(s: string, out: OriginScan): void {
  const hostStart = s.indexOf('://') + 3;
  let hostEnd: number;
  if (s.charCodeAt(hostStart) === 0x5b /* [ */) hostEnd = s.indexOf(']', hostStart) + 1;
  else {
    hostEnd = s.indexOf(':', hostStart);
    if (hostEnd < 0) hostEnd = s.length;
  }
  let port = -1;
  if (hostEnd < s.length) {
    port = 0;
    for (let i = hostEnd + 1; i < s.length; i++) port = port * 10 + (s.charCodeAt(i) - 0x30);
  }
  out.scheme = s.slice(0, hostStart - 3);
  out.hostStart = hostStart;
  out.hostEnd = hostEnd;
  out.port = port;
}

/**
 * Whether `s` is a canonical serialized tuple origin, deciding as the engines do: the fast scan,
 * and the full URL parser where it cannot decide. When it is, `scan` holds its split (host
 * bounds and port), as the tables' walk needs it.
 */
export function splitIfCanonical(s: string, scan: OriginScan): boolean {
  const verdict = scanCanonicalOrigin(s, scan);
  if (verdict === CANONICAL_NO) return false;
  if (verdict === CANONICAL_UNSURE) {
    if (!isCanonicalTupleOrigin(s)) return false;
    splitCanonicalOrigin(s, scan);
  }
  return true;
}

/**
 * The exact-origin fast path: each exact table key that is itself canonical, mapped to the
 * earliest rule of any kind that allows it (computed by `matchCanonical`, the engine's own slow
 * path). A header equal to a key is proved canonical by the equality, so a hit needs no scan.
 */
export function buildExactFirst(
  exact: ReadonlyMap<string, number>,
  matchSlow: (s: string) => number,
  known: ReadonlyMap<string, number> | null = null,
  keysCanonical = false,
): ReadonlyMap<string, number> {
  // Every table rule is exact and no RegExp comes first (the caller says so by passing `known`):
  // a key's earliest rule is already known, no walk needed; and when every key is canonical, the
  // table's own map serves as it is (one Map for a list of a million origins, not two). Keys the
  // validator proved canonical (`keysCanonical`: its exact-origin index, src/policy/exact-index.ts,
  // whose keys are the serializations of validated origins) are not proved a second time.
  if (known !== null && (keysCanonical || [...exact.keys()].every(isFastKey))) return known;
  const map = new Map<string, number>();
  for (const key of exact.keys()) if (isFastKey(key)) map.set(key, known?.get(key) ?? matchSlow(key));
  return map;
}


const isFastKey = (key: string): boolean => key.length <= MAX_ORIGIN_LENGTH && isCanonicalTupleOrigin(key);

/**
 * Steps 1 and 3 of every engine's match, in front of its own `matchSlow`: a value longer than any
 * serialized origin is invalid before any other work, and a value equal to an exact pattern is
 * answered by one Map lookup (`exactFirst`, from buildExactFirst).
 */
export function frontedMatch(exactFirst: ReadonlyMap<string, number>, matchSlow: (s: string) => number): (origin: string) => number {
  if (exactFirst.size === 0) {
    return (origin) => (origin.length > MAX_ORIGIN_LENGTH ? MATCH_INVALID : matchSlow(origin));
  }
  return (origin) => {
    if (origin.length > MAX_ORIGIN_LENGTH) return MATCH_INVALID;
    const hit = exactFirst.get(origin);
    return hit !== undefined ? hit : matchSlow(origin);
  };
}

/**
 * Whether the exact-origin fast path holds every rule that can allow a tuple origin: every table
 * rule exact (no `:*`, `*.` or glob), each exact key in the fast map, and no RegExp rule.
 */
export function exactOnlyList(tables: TableMaps, front: RuleFront, exactFirst: ReadonlyMap<string, number>): boolean {
  return tables.exactEarliest !== null && front.regexps.length === 0 && exactFirst.size === tables.exact.size;
}

/** Engine options for tests: `fastMiss: false` keeps every miss on the full path (the walk). */
export interface EngineOptions {
  readonly fastMiss?: boolean;
}

/**
 * An engine from its walk of the tables: what every engine does around the walk, in order,
 *   1. a value longer than any serialized origin can be is invalid, before any other work;
 *   2. `null` matches only a `null` rule;
 *   3. a value equal to an exact pattern is canonical by that equality: one Map lookup answers it
 *      with the earliest rule of any kind that allows it (precomputed);
 *   4. otherwise the value must be a canonical serialized origin (splitIfCanonical), or else a
 *      canonical app origin, which only an app rule matches (matchApp);
 *   5. the walk, then the RegExp rules that come before the walk's answer in `origins` order;
 *      for a list of exact origins only (exactOnlyList), no walk: a canonical miss is MATCH_NONE
 *      (`missPath`, ./exact-miss.ts; null where a bundle leaves it out, and misses take the walk).
 * `walk` gives the earliest table rule for a canonical origin split in `scan`, or NO_RULE.
 */
export function tableMatcher(
  rules: readonly OriginRule[],
  walk: (tables: OriginTables, origin: string, scan: OriginScan) => number,
  missPath: MissPath | null,
  options: EngineOptions = {},
): OriginMatcher {
  const tables = buildTables(rules);
  const front = splitRules(rules);
  const scan = newOriginScan();
  const matchSlow = (origin: string): number => {
    if (origin === 'null') return front.nullRule;
    if (!splitIfCanonical(origin, scan)) return matchApp(front, origin);
    return earliestWithRegexps(front, origin, walk(tables, origin, scan));
  };
  const known = front.regexps.length === 0 ? tables.exactEarliest : null;
  const exactFirst = buildExactFirst(tables.exact, matchSlow, known);
  const miss = missPath !== null && options.fastMiss !== false && exactOnlyList(tables, front, exactFirst) ? missPath(front, scan) : matchSlow;
  const match = frontedMatch(exactFirst, miss);
  return { match, matchMany: matchEach(match) };
}

/**
 * `matchMany` as one `match` per origin (the TypeScript engine; the browser build of the WASM
 * engine): 1 where the origin is allowed, 0 where not.
 */
export function matchEach(match: (origin: string) => number): (origins: readonly string[]) => Uint8Array {
  return (origins) => {
    const out = new Uint8Array(origins.length);
    for (let i = 0; i < origins.length; i++) out[i] = match(origins[i] as string) >= 0 ? 1 : 0;
    return out;
  };
}
