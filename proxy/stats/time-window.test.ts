import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashrateFromWork, HASHES_PER_DIFFICULTY, TimeWindowSum } from './index.js';

describe('TimeWindowSum', () => {
  it('sums what falls in the window and reports where the window starts', () => {
    const w = new TimeWindowSum(60_000, 15_000);
    w.add(1_000, 1);
    w.add(20_000, 2);
    w.add(59_999, 4);
    expect(w.total(59_999)).toEqual({ sum: 7, count: 3, sinceMs: 0 });
    // Just before 75 s the window is [15 s, now]: the value at 1 s has left.
    expect(w.total(74_999)).toEqual({ sum: 6, count: 2, sinceMs: 15_000 });
    // At 75 s a new bucket begins and [15 s, 30 s) leaves: the window is never longer than 60 s.
    expect(w.total(75_000)).toEqual({ sum: 4, count: 1, sinceMs: 30_000 });
    expect(w.total(200_000)).toEqual({ sum: 0, count: 0, sinceMs: 150_000 });
  });

  it('ignores a value older than what its slot holds, and junk', () => {
    const w = new TimeWindowSum(30_000, 10_000);
    w.add(35_000, 1); // slot of bucket 3
    w.add(5_000, 100); // bucket 0, same slot, older: dropped
    w.add(Number.NaN, 1);
    w.add(36_000, Number.POSITIVE_INFINITY);
    expect(w.total(36_000)).toEqual({ sum: 1, count: 1, sinceMs: 10_000 });
  });

  it('keeps constant memory whatever the rate', () => {
    const w = new TimeWindowSum(60_000, 15_000);
    for (let t = 0; t < 1_000_000; t += 7) w.add(t, 1);
    const { count, sinceMs } = w.total(999_999);
    expect(sinceMs).toBe(945_000);
    expect(count).toBe(Math.ceil((1_000_000 - 945_000) / 7));
  });

  it('is empty before the first value and after clear(), and fills again after', () => {
    const w = new TimeWindowSum(60_000, 15_000);
    expect(w.total(10_000)).toEqual({ sum: 0, count: 0, sinceMs: -45_000 });
    w.add(10_000, 3);
    w.clear();
    expect(w.total(10_000)).toEqual({ sum: 0, count: 0, sinceMs: -45_000 });
    w.add(10_000, 2);
    expect(w.total(10_000)).toEqual({ sum: 2, count: 1, sinceMs: -45_000 });
  });

  it('emptyTotal is what a window of the same sizes that never had a value gives (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: -1e12, max: 1e13 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (bucketMs, buckets, nowMs, part) => {
          const windowMs = bucketMs * buckets + Math.floor(part * bucketMs);
          expect(TimeWindowSum.emptyTotal(nowMs, windowMs, bucketMs)).toEqual(
            new TimeWindowSum(windowMs, bucketMs).total(nowMs),
          );
        },
      ),
    );
  });

  it('refuses a window shorter than a bucket', () => {
    expect(() => new TimeWindowSum(10, 20)).toThrow(RangeError);
    expect(() => new TimeWindowSum(10, 0)).toThrow(RangeError);
  });
});

describe('hashrateFromWork', () => {
  it('is difficulty * 2^32 per second', () => {
    expect(hashrateFromWork(1, 1000)).toBe(HASHES_PER_DIFFICULTY);
    expect(hashrateFromWork(0.00015, 1000)).toBeCloseTo(644_245.09, 1);
  });

  it('is 0, never NaN or Infinity, for degenerate input', () => {
    expect(hashrateFromWork(1, 0)).toBe(0);
    expect(hashrateFromWork(0, 1000)).toBe(0);
    expect(hashrateFromWork(Number.NaN, 1000)).toBe(0);
    expect(hashrateFromWork(1e308, 1e-300)).toBe(0);
  });
});
