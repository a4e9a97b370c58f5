/** What a TimeWindowSum holds for the window ending now. */
export interface WindowTotal {
  /** Sum of the values added inside the window. */
  sum: number;
  /** How many values were added inside the window. */
  count: number;
  /** Start of the oldest bucket still counted: the window covers [sinceMs, now]. */
  sinceMs: number;
}

/**
 * A moving sum over the last `windowMs`, kept in fixed time buckets of `bucketMs` (aligned to
 * multiples of bucketMs) so memory is constant whatever the rate. The window reported by total()
 * starts on a bucket boundary, so it is between windowMs - bucketMs and windowMs long; divide by
 * `now - sinceMs`, not by windowMs, for an exact rate.
 */
export class TimeWindowSum {
  readonly windowMs: number;
  readonly bucketMs: number;
  private readonly slots: number;
  /**
   * Per slot: the bucket index it holds (NaN: none), its sum and count. Allocated at the first
   * value: an idle miner's window costs nothing.
   */
  private indexes: Float64Array | undefined;
  private sums: Float64Array | undefined;
  private counts: Float64Array | undefined;

  constructor(windowMs: number, bucketMs: number) {
    TimeWindowSum.checkSizes(windowMs, bucketMs);
    this.windowMs = windowMs;
    this.bucketMs = bucketMs;
    this.slots = Math.ceil(windowMs / bucketMs);
  }

  /** Throws what the constructor would for these sizes (for windows made later, on first use). */
  static checkSizes(windowMs: number, bucketMs: number): void {
    if (!(Number.isFinite(bucketMs) && bucketMs > 0))
      throw new RangeError(`bucketMs must be > 0, got ${bucketMs}`);
    if (!(Number.isFinite(windowMs) && windowMs >= bucketMs)) {
      throw new RangeError(`windowMs must be >= bucketMs (${bucketMs}), got ${windowMs}`);
    }
  }

  add(atMs: number, value: number): void {
    if (!Number.isFinite(atMs) || !Number.isFinite(value)) return;
    if (this.indexes === undefined) {
      this.indexes = new Float64Array(this.slots).fill(Number.NaN);
      this.sums = new Float64Array(this.slots);
      this.counts = new Float64Array(this.slots);
    }
    const sums = this.sums as Float64Array;
    const counts = this.counts as Float64Array;
    const index = Math.floor(atMs / this.bucketMs);
    const slot = this.slot(index);
    const held = this.indexes[slot] as number;
    if (held > index) return; // older than anything the window can still hold
    if (held !== index) {
      this.indexes[slot] = index;
      sums[slot] = 0;
      counts[slot] = 0;
    }
    sums[slot] = (sums[slot] as number) + value;
    counts[slot] = (counts[slot] as number) + 1;
  }

  /** What total() gives for a window of these sizes that never had a value (made on first use). */
  static emptyTotal(nowMs: number, windowMs: number, bucketMs: number): WindowTotal {
    return { sum: 0, count: 0, sinceMs: firstBucket(nowMs, windowMs, bucketMs) * bucketMs };
  }

  total(nowMs: number): WindowTotal {
    const first = firstBucket(nowMs, this.windowMs, this.bucketMs);
    const last = Math.floor(nowMs / this.bucketMs);
    let sum = 0;
    let count = 0;
    const { indexes, sums, counts } = this;
    if (indexes !== undefined && sums !== undefined && counts !== undefined) {
      for (let i = 0; i < this.slots; i += 1) {
        const index = indexes[i] as number;
        if (index >= first && index <= last) {
          sum += sums[i] as number;
          count += counts[i] as number;
        }
      }
    }
    return { sum, count, sinceMs: first * this.bucketMs };
  }

  clear(): void {
    this.indexes = undefined;
    this.sums = undefined;
    this.counts = undefined;
  }

  private slot(index: number): number {
    const n = this.slots;
    return ((index % n) + n) % n;
  }
}

/** The oldest bucket a window of `windowMs` ending at `nowMs` still counts. */
function firstBucket(nowMs: number, windowMs: number, bucketMs: number): number {
  return Math.floor((nowMs - windowMs) / bucketMs) + 1;
}
