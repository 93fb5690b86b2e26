// Values kept in memory within a byte budget, the least recently used dropped first: the near-duplicate confirmer's
// prepared renditions and the catalogue's per-version values (a filter's packed vectors) both grow with the library
// and must not grow with it without bound.

export class ByteBudgetCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  /**
   * Past `budgetBytes` (or `maxEntries` values) the least recently used are dropped, but never the `keepNewest`
   * most recent: a caller about to use them together (the two images of a pair) or a value alone over the budget.
   */
  constructor(
    private readonly budgetBytes: number,
    private readonly maxEntries = Infinity,
    private readonly keepNewest = 1,
  ) {}

  /** Bytes the kept values hold, by their measured sizes. */
  get heldBytes(): number {
    return this.total;
  }

  /** The value under `key`, made by `compute` and measured by `bytesOf` when it is not kept. */
  valueOf<T extends V>(key: K, compute: () => T, bytesOf: (value: T) => number): T {
    // Stored under `key` by a call that made a T for it: the caller's type for that key.
    if (this.entries.has(key)) return this.use(key) as T;
    const value = compute();
    this.put(key, value, bytesOf(value));
    return value;
  }

  /** The value kept under `key`, if any, made the most recently used. */
  use(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit?.value;
  }

  /** The value kept under `key`, if any, without making it more recent. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Keeps `value` under `key` (replacing what was there) as the most recent. */
  put(key: K, value: V, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.total -= old.bytes;
    }
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.keepNewest || (this.entries.size <= this.maxEntries && this.total <= this.budgetBytes)) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }
}
