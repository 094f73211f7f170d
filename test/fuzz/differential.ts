// The differential run shared by the small fuzz in `npm test` and the full `npm run fuzz`: for
// each seeded policy, every engine and the reference answer every generated origin; any
// disagreement is recorded with what it takes to reproduce it.
import { MATCH_INVALID, MATCH_NONE, type OriginMatcher, type OriginRule } from '../../src/policy/rules.js';
import { createRng, generateOrigin, generatePolicy, POLICY_SHAPES, type PolicyShape } from './generate.js';
import { createReference } from './reference.js';

export interface Disagreement {
  readonly seed: number;
  readonly shape: PolicyShape;
  readonly size: number;
  readonly origin: string;
  readonly answers: Readonly<Record<string, number>>;
}

export interface FuzzCounts {
  policies: number;
  rules: number;
  origins: number;
  allowed: number;
  none: number;
  invalid: number;
  /** Every disagreement counted; the first 20 kept in `disagreements`. */
  disagreementCount: number;
  disagreements: Disagreement[];
}

/** `policies` policies of `size` rules, `origins` generated origins each. Shapes cycle. */
export interface FuzzGroup {
  readonly size: number;
  readonly policies: number;
  /** Large policies get fewer origins: the reference costs O(rules) per origin. */
  readonly origins: number;
}

export interface FuzzPlan {
  readonly seed: number;
  readonly groups: readonly FuzzGroup[];
}

export type EngineFactory = (rules: readonly OriginRule[]) => OriginMatcher;

/** Run the plan. Stops recording after 20 disagreements (they are all counted). */
export function runDifferential(plan: FuzzPlan, engines: Readonly<Record<string, EngineFactory>>, onPolicy?: (c: FuzzCounts) => void): FuzzCounts {
  const counts: FuzzCounts = { policies: 0, rules: 0, origins: 0, allowed: 0, none: 0, invalid: 0, disagreementCount: 0, disagreements: [] };
  const canonical = new Map<string, boolean>();
  const names = Object.keys(engines);
  const work: { size: number; origins: number }[] = [];
  for (const g of plan.groups) for (let k = 0; k < g.policies; k++) work.push({ size: g.size, origins: g.origins });
  for (let p = 0; p < work.length; p++) {
    const seed = (plan.seed + p * 7919) >>> 0;
    const rng = createRng(seed);
    const shape = POLICY_SHAPES[p % POLICY_SHAPES.length] as PolicyShape;
    const { size, origins: n } = work[p] as { size: number; origins: number };
    const rules = generatePolicy(rng, shape, size);
    const reference = createReference(rules, canonical);
    const matchers = names.map((name) => (engines[name] as EngineFactory)(rules));
    const batch: string[] = [];
    const wants: number[] = [];
    for (let i = 0; i < n; i++) {
      const origin = generateOrigin(rng, rules);
      const want = reference.match(origin);
      if (want >= 0) counts.allowed++;
      else if (want === MATCH_NONE) counts.none++;
      else if (want === MATCH_INVALID) counts.invalid++;
      let agree = true;
      const got: number[] = [];
      for (const m of matchers) {
        const answer = m.match(origin);
        got.push(answer);
        if (answer !== want) agree = false;
      }
      if (!agree) record(counts, { seed, shape, size, origin, answers: answersOf(names, got, want) });
      batch.push(origin);
      wants.push(want);
    }
    // The batch path must say the same, one byte per origin.
    matchers.forEach((m, k) => {
      const bits = m.matchMany(batch);
      for (let i = 0; i < batch.length; i++) {
        const want = (wants[i] as number) >= 0 ? 1 : 0;
        if (bits[i] !== want) {
          record(counts, { seed, shape, size, origin: batch[i] as string, answers: { [`${names[k]}.matchMany`]: bits[i] as number, reference: want } });
        }
      }
    });
    counts.policies++;
    counts.rules += size;
    counts.origins += n;
    onPolicy?.(counts);
  }
  return counts;
}

function answersOf(names: readonly string[], got: readonly number[], want: number): Record<string, number> {
  const out: Record<string, number> = { reference: want };
  names.forEach((name, i) => (out[name] = got[i] as number));
  return out;
}

function record(counts: FuzzCounts, d: Disagreement): void {
  counts.disagreementCount++;
  if (counts.disagreements.length < 20) counts.disagreements.push(d);
}

/** A disagreement, printable: enough to rebuild the policy (seed, shape, size) and the origin. */
export function describeDisagreement(d: Disagreement): string {
  return `seed ${d.seed} shape ${d.shape} size ${d.size}: origin ${JSON.stringify(d.origin)}: ${JSON.stringify(d.answers)}`;
}
