import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mean, percentile, Ring } from './index.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is exact on known sequences', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([5, 1, 3], 95)).toBe(5);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 95)).toBe(7);
  });

  it('does not care about input order and does not reorder the input', () => {
    const shuffled = [...oneToHundred].reverse();
    expect(percentile(shuffled, 95)).toBe(95);
    expect(shuffled[0]).toBe(100);
  });

  it('is null with no samples and refuses a bad p', () => {
    expect(percentile([], 50)).toBeNull();
    expect(mean([])).toBeNull();
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('mean', () => {
    expect(mean([10, 20, 30])).toBe(20);
  });
});

describe('Ring', () => {
  it('keeps only the last `capacity` values, oldest first', () => {
    const ring = new Ring<number>(4);
    for (let i = 0; i < 10; i += 1) ring.push(i);
    expect(ring.size).toBe(4);
    expect(ring.toArray()).toEqual([6, 7, 8, 9]);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
  });

  it('before it is full', () => {
    const ring = new Ring<string>(3);
    ring.push('a');
    ring.push('b');
    expect(ring.toArray()).toEqual(['a', 'b']);
  });

  it('matches a plain array model under any pushes and clears, and empty rings share nothing they hold', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 40 }),
        (capacity, ops) => {
          const ring = new Ring<number>(capacity);
          const other = new Ring<number>(capacity);
          let model: number[] = [];
          for (const op of ops) {
            if (op === undefined) {
              ring.clear();
              model = [];
            } else {
              ring.push(op);
              model = [...model, op].slice(-capacity);
            }
            expect(ring.toArray()).toEqual(model);
            expect(ring.size).toBe(model.length);
          }
          expect(other.toArray()).toEqual([]);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
    expect(() => new Ring(1.5)).toThrow(RangeError);
  });
});
