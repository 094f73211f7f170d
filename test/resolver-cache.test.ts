// The resolver cache (src/live/resolver-cache.ts): its run clock (one reading shared by the
// lookups of one synchronous run, at most CLOCK_USES of them), TTLs honoured within that slack,
// and second-chance eviction held to a plain model of it. Time is an injected clock.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLOCK_USES, PLAIN_READINGS, RunClock, TtlCache, type CacheEntry } from '../src/live/resolver-cache.js';

/** A clock the test moves, counting its reads. */
function fakeClock(start = 1_000, plainReadings = PLAIN_READINGS) {
  const c = { t: start, reads: 0 };
  const clock = new RunClock(() => (c.reads++, c.t), plainReadings);
  return { c, clock };
}

/** Lets the current synchronous run end (the clock's end-of-run reaction runs first). */
const endOfRun = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface Entry extends CacheEntry {
  readonly name: string;
}
const entry = (name: string): Entry => ({ name, expires: 0, used: false });

describe('RunClock', () => {
  it('one reading serves the lookups of one synchronous run, at most CLOCK_USES of them', async () => {
    const { c, clock } = fakeClock();
    expect(clock.now()).toBe(1_000);
    c.t = 1_005; // time passes inside the run: the reading stands
    for (let i = 1; i < CLOCK_USES; i++) expect(clock.now(), `lookup ${i + 1} of the run`).toBe(1_000);
    expect(c.reads).toBe(1);
    expect(clock.now(), `lookup ${CLOCK_USES + 1}: read again`).toBe(1_005);
    expect(c.reads).toBe(2);
    await endOfRun();
    c.t = 9_000;
    expect(clock.now(), 'the first lookup of a new run').toBe(9_000);
  });

  it('a run that took a second reading (CLOCK_USES ran out) shared its readings: no plain readings after it', async () => {
    const { c, clock } = fakeClock();
    // CLOCK_USES lookups take the first reading; the next one reads again and is the run's last.
    for (let i = 0; i <= CLOCK_USES; i++) clock.now();
    expect(c.reads).toBe(2);
    await endOfRun();
    c.t = 2_000;
    expect(clock.now()).toBe(2_000);
    c.t = 2_001;
    expect(clock.now(), 'shared, not plain').toBe(2_000);
    expect(c.reads).toBe(3);
  });

  it('a run of two lookups shared its reading: no plain readings after it', async () => {
    const { c, clock } = fakeClock();
    clock.now();
    clock.now();
    await endOfRun();
    c.t = 2_000;
    expect(clock.now()).toBe(2_000);
    c.t = 2_001;
    expect(clock.now(), 'shared, not plain').toBe(2_000);
    expect(c.reads).toBe(2);
  });

  it('fresh() always reads the clock', () => {
    const { c, clock } = fakeClock();
    clock.now();
    c.t = 2_000;
    expect(clock.fresh()).toBe(2_000);
  });

  it('after a run whose reading served one lookup only, the next PLAIN_READINGS readings are plain', async () => {
    const { c, clock } = fakeClock();
    clock.now(); // a run of one lookup (a server's request alone in its task)
    await endOfRun();
    for (let i = 0; i < PLAIN_READINGS; i++) {
      c.t++;
      expect(clock.now(), `plain reading ${i}`).toBe(c.t);
    }
    expect(c.reads).toBe(PLAIN_READINGS + 1);
    // Then a reading is shared again.
    const shared = clock.now();
    c.t += 10;
    expect(clock.now()).toBe(shared);
  });
});

describe('TtlCache', () => {
  // Steps: set, get, time passing within the run, or the run ending. Asserted for every get: the
  // entry is served only if its expiry is not before the clock reading of the run's first lookup
  // (or of the lookup CLOCK_USES before); so never after its TTL plus the time that passed within
  // the run, and exactly by the TTL for the first lookup after the event loop turned.
  it('property: an entry is never served past its TTL plus the time passed within the run', async () => {
    const TTL = 100;
    const step = fc.oneof(
      fc.record({ set: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ get: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ advance: fc.integer({ min: 0, max: 150 }) }),
      fc.constant({ endRun: true as const }),
    );
    await fc.assert(
      // plainReadings 0: every run shares its reading (the default turns that off after a run of one lookup).
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), fc.constantFrom(0, PLAIN_READINGS), async (steps, plain) => {
        await endOfRun();
        const { c, clock } = fakeClock(1_000, plain);
        const cache = new TtlCache<Entry>(10, TTL, clock);
        const expiresAt = new Map<string, number>(); // the model: when each key was set, + TTL
        let runStart: number | null = null; // the clock when the run's first lookup read it
        for (const s of steps) {
          if ('set' in s) {
            const k = `k${s.set}`;
            cache.set(k, entry(k));
            expiresAt.set(k, c.t + TTL);
          } else if ('advance' in s) {
            c.t += s.advance;
          } else if ('endRun' in s) {
            await endOfRun();
            runStart = null;
          } else {
            const k = `k${s.get}`;
            runStart ??= c.t;
            const got = cache.get(k);
            const exp = expiresAt.get(k);
            if (got !== undefined) {
              expect(exp, `get(${k}) served an entry never set`).toBeDefined();
              expect(c.t, `get(${k}) at ${c.t}: expired at ${exp}, run began at ${runStart}`).toBeLessThanOrEqual((exp as number) + (c.t - runStart));
            } else if (exp !== undefined && c.t <= exp && runStart === c.t) {
              throw new Error(`get(${k}) at ${c.t}: refused an entry live until ${exp}`);
            }
            if (got === undefined) expiresAt.delete(k); // an expired entry is dropped
          }
        }
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('the first lookup after the event loop turns honours the TTL exactly', async () => {
    const { c, clock } = fakeClock();
    const cache = new TtlCache<Entry>(10, 100, clock);
    cache.set('a', entry('a'));
    expect(cache.get('a')?.name).toBe('a');
    c.t += 100;
    await endOfRun();
    expect(cache.get('a')?.name, 'at the TTL').toBe('a');
    c.t += 1;
    await endOfRun();
    expect(cache.get('a'), 'one ms past it').toBeUndefined();
  });

  // Second-chance eviction, as a plain model: a queue of [key, used]; a get sets the flag; a set
  // into a full cache takes entries from the front, moving a flagged one to the back unflagged,
  // and drops the first unflagged one.
  it('property: eviction order is second chance (a plain model of it), no TTL involved', () => {
    const op = fc.oneof(fc.record({ set: fc.integer({ min: 0, max: 9 }) }), fc.record({ get: fc.integer({ min: 0, max: 9 }) }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
        const { clock } = fakeClock();
        const cache = new TtlCache<Entry>(capacity, 1e9, clock);
        const model: [string, boolean][] = [];
        for (const o of ops) {
          if ('get' in o) {
            const k = `k${o.get}`;
            const m = model.find(([key]) => key === k);
            if (m !== undefined) m[1] = true;
            expect(cache.get(k)?.name, `get(${k})`).toBe(m === undefined ? undefined : k);
          } else {
            const k = `k${o.set}`;
            const m = model.find(([key]) => key === k);
            if (m !== undefined) m[1] = true;
            else {
              while (model.length >= capacity) {
                const first = model.shift() as [string, boolean];
                if (!first[1]) break;
                first[1] = false;
                model.push(first);
              }
              model.push([k, false]);
            }
            cache.set(k, entry(k));
          }
          expect(cache.keys(), 'keys in eviction order').toEqual(model.map(([key]) => key));
        }
      }),
      { seed: 23, numRuns: 500 },
    );
  });

  it('a hit on an entry already flagged writes nothing (no recency bookkeeping per hit)', () => {
    const { clock } = fakeClock();
    const cache = new TtlCache<Entry>(4, 1e9, clock);
    const e = entry('a');
    cache.set('a', e);
    cache.get('a');
    Object.freeze(e); // a write would throw in strict mode
    expect(() => cache.get('a')).not.toThrow();
  });

  it('capacity 0 or TTL 0 keeps nothing', () => {
    const { clock } = fakeClock();
    for (const [capacity, ttl] of [[0, 100], [4, 0]] as const) {
      const cache = new TtlCache<Entry>(capacity, ttl, clock);
      cache.set('a', entry('a'));
      expect(cache.get('a')).toBeUndefined();
    }
  });
});
