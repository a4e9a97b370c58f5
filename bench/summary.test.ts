import { describe, expect, it } from 'vitest';
import { distribution, percentile, round } from './summary.js';

describe('percentiles (nearest rank)', () => {
  it('picks the value at rank ceil(p * n) of the sorted sample', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile(sorted, 1)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([7], 0.999)).toBe(7);
  });

  it('refuses an empty sample and a p outside [0, 1]', () => {
    expect(() => percentile([], 0.5)).toThrow(RangeError);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('summarises an unsorted sample numerically (not as strings)', () => {
    const d = distribution([100, 9, 1000, 20, 3]);
    expect(d).toEqual({ count: 5, mean: 226.4, p50: 20, p90: 1000, p99: 1000, p999: 1000, max: 1000 });
  });

  it('a 1000-sample tail: p99 and p99.9 are the 990th and 999th values', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const d = distribution(values);
    expect([d.p50, d.p90, d.p99, d.p999, d.max]).toEqual([500, 900, 990, 999, 1000]);
  });
});

describe('round', () => {
  it('keeps significant digits whatever the magnitude', () => {
    expect(round(123456, 3)).toBe(123000);
    expect(round(0.000123456, 3)).toBe(0.000123);
    expect(round(0)).toBe(0);
    expect(round(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
