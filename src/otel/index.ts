/**
 * `countDecisions`: an `onDecision` hook counting decisions on an OpenTelemetry counter.
 * @module corset-cors/otel
 */
// corset-cors/otel: count corset's decisions on an OpenTelemetry meter, through the `onDecision`
// option every adapter takes.
//
//   import { countDecisions } from 'corset-cors/otel';
//   app.use(cors(policy, { onDecision: countDecisions() }));   // the global MeterProvider's meter
//
// One counter, `corset.decisions` (unit `{decision}`), incremented once per decision with three
// attributes: `corset.decision.kind` ('not-cors' | 'same-origin' | 'preflight' | 'actual'),
// `corset.decision.allowed` (boolean) and `corset.decision.reason` (the closed set
// `DECISION_REASONS`), so the series stay few: at most kinds x 2 x reasons. The attribute objects
// are built once per combination and reused; a decision costs one `Counter.add`.
// `@opentelemetry/api` is an optional peer dependency: only this entry imports it.
import { metrics } from '@opentelemetry/api';
import type { Attributes, Counter, Meter } from '@opentelemetry/api';
import { describeType } from '../arguments.js';
import type { CorsDecision } from '../types.js';

/** The counter's default name. */
export const DECISION_COUNTER = 'corset.decisions';

/** The attribute names on every increment. */
export const DECISION_ATTRIBUTES = Object.freeze({
  /** The decision's `kind`: 'not-cors', 'same-origin', 'preflight' or 'actual'. */
  kind: 'corset.decision.kind',
  /** The decision's `allowed`, a boolean. */
  allowed: 'corset.decision.allowed',
  /** The decision's `reason`, one of `DECISION_REASONS`. */
  reason: 'corset.decision.reason',
} as const);

/** The options of `countDecisions`. */
export interface CountDecisionsOptions {
  /** The meter to create the counter on. Default: `metrics.getMeter('corset-cors')`, the global provider's. */
  meter?: Meter;
  /** The counter's name. Default `corset.decisions`. */
  name?: string;
}

/** An `onDecision` hook: counts the decision; the request argument is ignored. */
export type DecisionCounterHook = (decision: CorsDecision, request?: unknown) => void;

const KINDS: readonly CorsDecision['kind'][] = ['not-cors', 'same-origin', 'preflight', 'actual'];

/**
 * A hook for any adapter's `onDecision` that counts decisions by kind, allowed and reason on an
 * OpenTelemetry counter created once, here. To keep a hook of your own, call both:
 * `onDecision: (d, req) => { count(d); mine(d, req); }`.
 */
export function countDecisions(options?: CountDecisionsOptions): DecisionCounterHook {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new TypeError(`corset: countDecisions(options): options must be an object, got ${describeType(options)}`);
  }
  const meter = options?.meter ?? metrics.getMeter('corset-cors');
  if (meter === null || typeof meter !== 'object' || typeof (meter as { createCounter?: unknown }).createCounter !== 'function') {
    throw new TypeError(`corset: countDecisions(options): meter must be an OpenTelemetry Meter, got ${describeType(meter)}`);
  }
  const name = options?.name ?? DECISION_COUNTER;
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`corset: countDecisions(options): name must be a non-empty string, got ${describeType(name)}`);
  }
  const counter: Counter = meter.createCounter(name, {
    description: 'CORS decisions made by corset, by kind, allowed and reason',
    unit: '{decision}',
  });
  /** By reason: attributes for each kind x allowed (index kind * 2 + allowed). */
  const byReason = new Map<string, Attributes[]>();
  const attributesFor = (d: CorsDecision): Attributes => {
    let row = byReason.get(d.reason);
    if (row === undefined) {
      row = [];
      byReason.set(d.reason, row);
    }
    const i = KINDS.indexOf(d.kind) * 2 + (d.allowed ? 1 : 0);
    let attrs = row[i];
    if (attrs === undefined) {
      attrs = Object.freeze({ [DECISION_ATTRIBUTES.kind]: d.kind, [DECISION_ATTRIBUTES.allowed]: d.allowed, [DECISION_ATTRIBUTES.reason]: d.reason });
      row[i] = attrs;
    }
    return attrs;
  };
  return function countDecision(decision: CorsDecision): void {
    counter.add(1, attributesFor(decision));
  };
}
