// A bounded cache of resolver answers with a time to live (DESIGN.md, "Origins that change at
// runtime"). Bounded by entry count; eviction is second-chance ("CLOCK"), the usual O(1)
// approximation of least-recently-used: a hit only sets a flag, and only when it is not set
// already (no reordering, and no write at all for an entry used since its last second chance),
// and when the cache is full the oldest entry is dropped unless it was used since it was last
// looked at, in which case it moves to the young end with its flag cleared.
//
// Expiry is judged by a RunClock: one clock reading serves the lookups of one synchronous run of
// JavaScript (docs/live-policies.md, "Expiry"), because a Date.now() costs more than the rest of
// a hit.

/**
 * Most lookups one clock reading serves, even inside one synchronous run: a long loop of
 * decisions still reads the clock every CLOCK_USES lookups.
 */
export const CLOCK_USES = 256;

/**
 * After a reading that served no second lookup in its run (one request per event-loop task, the
 * usual server), this many readings are taken plainly, without queueing the end-of-run reaction:
 * where nothing is shared, sharing must cost nothing.
 */
export const PLAIN_READINGS = 64;

const settled: Promise<void> = Promise.resolve();

/**
 * A clock whose reading is reused by the lookups that follow it in the same synchronous run of
 * JavaScript, at most CLOCK_USES of them. The run ends when the microtask queued with the reading
 * runs (a promise reaction: no timer, so nothing to throttle, and nothing that keeps a process
 * alive); a lookup after that reads the clock again. So an answer is judged by a reading at most
 * as old as the JavaScript that ran (or blocked) since, without the event loop turning: an entry
 * may be served that long past its TTL, never across an idle wait.
 */
export class RunClock {
  private reading = 0;
  /** Lookups left that may take `reading`; 0: read the clock. */
  private uses = 0;
  /** The end-of-run reaction is queued. */
  private armed = false;
  /** This run took more than one reading (so its readings were shared: CLOCK_USES ran out). */
  private rolled = false;
  /** Readings left to take plainly. */
  private plain = 0;
  private readonly endRun = (): void => {
    // A lookup took `reading` in this run when `uses` went down from where the reading left it
    // (a hit costs one decrement, no flag to write), or when the run needed a second reading.
    const shared = this.rolled || this.uses < CLOCK_USES - 1;
    this.armed = false;
    this.uses = 0;
    this.rolled = false;
    if (!shared) this.plain = this.plainReadings;
  };

  constructor(
    private readonly read: () => number,
    private readonly plainReadings = PLAIN_READINGS,
  ) {}

  /** The time, as `read` gives it, or a reading of it taken earlier in this synchronous run. */
  now(): number {
    const uses = this.uses;
    if (uses > 0) {
      this.uses = uses - 1;
      return this.reading;
    }
    return this.readNow();
  }

  private readNow(): number {
    const t = this.read();
    if (this.plain > 0) {
      this.plain--;
      return t;
    }
    this.reading = t;
    this.uses = CLOCK_USES - 1;
    if (this.armed) this.rolled = true;
    else {
      this.armed = true;
      void settled.then(this.endRun);
    }
    return t;
  }

  /** A reading of the clock itself, never shared (for writes: an expiry is set from the present). */
  fresh(): number {
    return this.read();
  }
}

/** Date.now() (looked up on each call, so that a test's fake timers apply), shared per run. */
export const DATE_CLOCK = new RunClock(() => Date.now());

/** What the cache keeps on each entry it holds: the entry is its own slot (no wrapper to follow on a hit). */
export interface CacheEntry {
  /** Clock value after which the entry is gone (set by TtlCache.set). */
  expires: number;
  /** Used since its last second chance (set by TtlCache). */
  used: boolean;
}

export class TtlCache<E extends CacheEntry> {
  /**
   * The entries by key. Read only, for a caller's own copy of get()'s hit path (the live policy's
   * cache hit, where a call costs what the rest of the hit does): an entry found here is live
   * while `clock.now() <= entry.expires`, and a hit sets `used` when unset; anything else goes
   * through get().
   */
  readonly map = new Map<string, E>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    readonly clock: RunClock = DATE_CLOCK,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The live entry for `key`, or undefined (an expired entry is dropped). The clock is read on a hit only. */
  get(key: string): E | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (this.clock.now() > entry.expires) {
      this.map.delete(key);
      return undefined;
    }
    if (!entry.used) entry.used = true;
    return entry;
  }

  /** Keeps `entry` for `key` for the cache's TTL from now (replacing any entry for `key`). */
  set(key: string, entry: E): void {
    if (this.capacity <= 0 || this.ttlMs <= 0) return;
    const now = this.clock.fresh();
    entry.expires = now + this.ttlMs;
    const known = this.map.get(key);
    if (known !== undefined) {
      // A new answer for a key held: it takes the old one's place (and its recency).
      entry.used = true;
      this.map.set(key, entry);
      return;
    }
    entry.used = false;
    if (this.map.size >= this.capacity) this.evictOne(now);
    this.map.set(key, entry);
  }

  /** Every entry held, expired or not (for bookkeeping that does not care). */
  values(): IterableIterator<E> {
    return this.map.values();
  }

  /** The keys, in eviction order: the next one a full cache looks at first (for tests). */
  keys(): string[] {
    return [...this.map.keys()];
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  /** Drops one entry: an expired one or the oldest not used since its last second chance. */
  private evictOne(now: number): void {
    // Each pass either drops an entry or clears one flag, so this ends within 2 * size steps.
    for (;;) {
      const first = this.map.entries().next();
      if (first.done === true) return;
      const [key, entry] = first.value;
      this.map.delete(key);
      if (entry.used && now <= entry.expires) {
        entry.used = false;
        this.map.set(key, entry); // a second chance: to the young end
        continue;
      }
      return;
    }
  }
}
