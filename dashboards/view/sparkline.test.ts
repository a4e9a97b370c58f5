import { describe, expect, it } from 'vitest';
import { ASCII_BARS, UNICODE_BARS, barsForEnv, bucketCounts, sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('scales from zero to the largest value, right-aligned in its width', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 7], 4)).toBe('  ▁█');
    expect(sparkline([0, 7], 4, ASCII_BARS)).toBe('  _#');
  });

  it('shows only the last `width` values and a gap for null', () => {
    expect(sparkline([7, 7, 0, null, 7], 3)).toBe('▁ █');
  });

  it('draws a flat series at full height when above zero, at the floor when zero', () => {
    expect(sparkline([3, 3], 2)).toBe('██');
    expect(sparkline([0, 0], 2)).toBe('▁▁');
    expect(sparkline([], 3)).toBe('   ');
  });

  it('can scale from the smallest value', () => {
    expect(sparkline([10, 17], 2, UNICODE_BARS, false)).toBe('▁█');
  });
});

describe('bucketCounts', () => {
  it('counts timestamps per bucket, oldest bucket first, ignoring those outside', () => {
    const now = 100_000;
    const times = [now - 30_000, now - 25_000, now - 20_001, now - 15_000, now - 5, now, now + 1];
    expect(bucketCounts(times, now, 10_000, 3)).toEqual([2, 1, 2]);
  });

  it('puts a timestamp on a bucket edge in the older bucket', () => {
    expect(bucketCounts([90], 100, 10, 2)).toEqual([1, 0]);
  });
});

describe('barsForEnv', () => {
  it('uses block characters only in a UTF-8 locale', () => {
    expect(barsForEnv({ LANG: 'C.UTF-8' })).toBe(UNICODE_BARS);
    expect(barsForEnv({ LC_ALL: 'en_US.utf8', LANG: 'C' })).toBe(UNICODE_BARS);
    expect(barsForEnv({ LANG: 'C' })).toBe(ASCII_BARS);
    expect(barsForEnv({})).toBe(ASCII_BARS);
  });
});
