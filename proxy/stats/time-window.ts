/** What a TimeWindowSum holds for the window ending now. */
export interface WindowTotal {
  /** Sum of the values added inside the window. */
  sum: number;
  /** How many values were added inside the window. */
  count: number;
  /** Start of the oldest bucket still counted: the window covers [sinceMs, now]. */
  sinceMs: number;
}

interface Bucket {
  index: number;
  sum: number;
  count: number;
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
  private readonly buckets: Bucket[];

  constructor(windowMs: number, bucketMs: number) {
    if (!(Number.isFinite(bucketMs) && bucketMs > 0))
      throw new RangeError(`bucketMs must be > 0, got ${bucketMs}`);
    if (!(Number.isFinite(windowMs) && windowMs >= bucketMs)) {
      throw new RangeError(`windowMs must be >= bucketMs (${bucketMs}), got ${windowMs}`);
    }
    this.windowMs = windowMs;
    this.bucketMs = bucketMs;
    const slots = Math.ceil(windowMs / bucketMs);
    this.buckets = Array.from({ length: slots }, () => ({
      index: Number.NEGATIVE_INFINITY,
      sum: 0,
      count: 0,
    }));
  }

  add(atMs: number, value: number): void {
    if (!Number.isFinite(atMs) || !Number.isFinite(value)) return;
    const index = Math.floor(atMs / this.bucketMs);
    const bucket = this.slot(index);
    if (bucket.index > index) return; // older than anything the window can still hold
    if (bucket.index < index) {
      bucket.index = index;
      bucket.sum = 0;
      bucket.count = 0;
    }
    bucket.sum += value;
    bucket.count += 1;
  }

  total(nowMs: number): WindowTotal {
    const first = Math.floor((nowMs - this.windowMs) / this.bucketMs) + 1;
    const last = Math.floor(nowMs / this.bucketMs);
    let sum = 0;
    let count = 0;
    for (const bucket of this.buckets) {
      if (bucket.index >= first && bucket.index <= last) {
        sum += bucket.sum;
        count += bucket.count;
      }
    }
    return { sum, count, sinceMs: first * this.bucketMs };
  }

  clear(): void {
    for (const bucket of this.buckets) {
      bucket.index = Number.NEGATIVE_INFINITY;
      bucket.sum = 0;
      bucket.count = 0;
    }
  }

  private slot(index: number): Bucket {
    const n = this.buckets.length;
    return this.buckets[((index % n) + n) % n] as Bucket;
  }
}
