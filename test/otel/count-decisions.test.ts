// corset-cors/otel: `countDecisions` on a real OpenTelemetry SDK meter (MeterProvider with an
// InMemoryMetricExporter behind a PeriodicExportingMetricReader, flushed by hand). A seeded
// property test sends random requests through the Fetch adapter with the hook composed with a
// user's own onDecision, and checks that the exported counter holds, per (kind, allowed, reason),
// exactly the tally of the decisions `policy.decide` gives for the same requests.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { DECISION_ATTRIBUTES, DECISION_COUNTER, countDecisions } from '../../src/otel/index.js';
import { withCors } from '../../src/adapters/fetch.js';
import { compilePolicy } from '../../src/compile/compile-policy.js';
import type { CorsDecision } from '../../src/types.js';

const policy = compilePolicy({ origins: ['https://app.example.com', 'https://*.preview.example.com'], methods: ['PUT'], allowHeaders: ['x-token'] });

function sdk() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  /** The counter's points as `kind/allowed/reason` -> value, after a flush. */
  const points = async (name = DECISION_COUNTER): Promise<Record<string, number>> => {
    await reader.forceFlush();
    const out: Record<string, number> = {};
    const batches = exporter.getMetrics();
    const last = batches[batches.length - 1];
    for (const scope of last?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== name) continue;
        expect(metric.descriptor.unit).toBe('{decision}');
        for (const p of metric.dataPoints) {
          const a = p.attributes;
          out[`${a[DECISION_ATTRIBUTES.kind]}/${a[DECISION_ATTRIBUTES.allowed]}/${a[DECISION_ATTRIBUTES.reason]}`] = p.value as number;
        }
      }
    }
    return out;
  };
  return { provider, points, shutdown: () => provider.shutdown() };
}

const tally = (decisions: readonly CorsDecision[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const d of decisions) {
    const k = `${d.kind}/${d.allowed}/${d.reason}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
};

const ORIGINS = [null, 'https://app.example.com', 'https://pr-1.preview.example.com', 'https://evil.example', 'http://app.example.com', 'null', 'https://app.example.com/', 'https://api.example.com'];
const arbRequest = fc.record({
  origin: fc.constantFrom(...ORIGINS),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS'),
  requestMethod: fc.constantFrom(null, 'PUT', 'DELETE', 'GET'),
  requestHeaders: fc.constantFrom(null, 'x-token', 'x-other'),
});
type Req = typeof arbRequest extends fc.Arbitrary<infer T> ? T : never;

function toRequest(r: Req): Request {
  const h = new Headers();
  if (r.origin !== null) h.set('origin', r.origin);
  if (r.requestMethod !== null) h.set('access-control-request-method', r.requestMethod);
  if (r.requestHeaders !== null) h.set('access-control-request-headers', r.requestHeaders);
  return new Request('https://api.example.com/items', { method: r.method, headers: h });
}

describe('countDecisions', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
    metrics.disable();
  });

  it('counts by kind, allowed and reason: the tally of the decisions, composed with a user hook (seeded)', async () => {
    const s = sdk();
    stop = s.shutdown;
    const count = countDecisions({ meter: s.provider.getMeter('test') });
    const mine: CorsDecision[] = [];
    const handler = withCors(policy, () => new Response('ok'), {
      onDecision: (d, req) => {
        count(d, req);
        mine.push(d);
      },
    });
    const sent: Req[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(arbRequest, { minLength: 1, maxLength: 40 }), async (batch) => {
        for (const r of batch) {
          await handler(toRequest(r));
          sent.push(r);
        }
      }),
      { seed: 20261206, numRuns: 25 },
    );
    // What decide says for the same requests, computed apart from the adapter.
    const want = tally(sent.map((r) => policy.decide({ method: r.method, origin: r.origin, requestMethod: r.method === 'OPTIONS' && r.origin !== null ? r.requestMethod : null, requestHeaders: r.method === 'OPTIONS' && r.origin !== null ? r.requestHeaders : null, url: 'https://api.example.com/items' })));
    expect(Object.keys(want).length, 'the sample covers several series').toBeGreaterThan(5);
    expect(tally(mine), "the user's own hook saw every decision").toEqual(want);
    expect(await s.points()).toEqual(want);
  });

  it('a named counter on the global meter provider', async () => {
    const s = sdk();
    stop = s.shutdown;
    metrics.setGlobalMeterProvider(s.provider);
    const count = countDecisions({ name: 'gateway.cors.decisions' });
    count(policy.decide({ method: 'GET', origin: 'https://evil.example' }));
    count(policy.decide({ method: 'GET', origin: 'https://evil.example' }));
    count(policy.decide({ method: 'GET' }));
    expect(await s.points('gateway.cors.decisions')).toEqual({ 'actual/false/origin-not-allowed': 2, 'not-cors/true/not-cors': 1 });
  });

  const bad: { desc: string; options: unknown; error: RegExp }[] = [
    { desc: 'options a string', options: 'meter', error: /options must be an object, got string/ },
    { desc: 'options null', options: null, error: /options must be an object, got null/ },
    { desc: 'meter without createCounter', options: { meter: {} }, error: /meter must be an OpenTelemetry Meter, got an object/ },
    { desc: 'empty name', options: { name: '' }, error: /name must be a non-empty string/ },
  ];
  for (const { desc, options, error } of bad) {
    it(`${desc}: a TypeError at setup`, () => {
      expect(() => countDecisions(options as never)).toThrow(TypeError);
      expect(() => countDecisions(options as never)).toThrow(error);
    });
  }
});
