// A bounded cache of resolver answers with a time to live (DESIGN.md, "Origins that change at
// runtime"). Bounded by entry count; eviction is second-chance ("CLOCK"), the usual O(1)
// approximation of least-recently-used: a hit only sets a flag (no reordering on the hot path),
// and when the cache is full the oldest entry is dropped unless it was used since it was last
// looked at, in which case it moves to the young end with its flag cleared.

interface Slot<V> {
  value: V;
  /** `now()` value after which the entry is gone. */
  expires: number;
  used: boolean;
}

export class TtlCache<V> {
  private readonly map = new Map<string, Slot<V>>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The live entry for `key`, or undefined (an expired entry is dropped). The clock is read on a hit only. */
  get(key: string): V | undefined {
    const slot = this.map.get(key);
    if (slot === undefined) return undefined;
    if (Date.now() > slot.expires) {
      this.map.delete(key);
      return undefined;
    }
    slot.used = true;
    return slot.value;
  }

  set(key: string, value: V, now: number): void {
    if (this.capacity <= 0 || this.ttlMs <= 0) return;
    const expires = now + this.ttlMs;
    const known = this.map.get(key);
    if (known !== undefined) {
      known.value = value;
      known.expires = expires;
      known.used = true;
      return;
    }
    if (this.map.size >= this.capacity) this.evictOne(now);
    this.map.set(key, { value, expires, used: false });
  }

  /** Every value held, expired or not (for bookkeeping that does not care). */
  values(): IterableIterator<V> {
    const slots = this.map.values();
    return (function* () {
      for (const slot of slots) yield slot.value;
    })();
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
      const [key, slot] = first.value;
      this.map.delete(key);
      if (slot.used && now <= slot.expires) {
        slot.used = false;
        this.map.set(key, slot); // a second chance: to the young end
        continue;
      }
      return;
    }
  }
}
