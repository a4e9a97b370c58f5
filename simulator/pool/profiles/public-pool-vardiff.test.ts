import { describe, expect, it } from 'vitest';
import { PublicPoolVardiff, nearestPowerOfTwo } from './public-pool-vardiff.js';

describe("public-pool's nearestPowerOfTwo", () => {
  it('rounds down to a power of two from 1 up, and keeps two digits per hundredfold below 1', () => {
    expect(nearestPowerOfTwo(16384 / 6)).toBe(2048);
    expect(nearestPowerOfTwo(1)).toBe(1);
    expect(nearestPowerOfTwo(1000)).toBe(512);
    // 0.003 -> 0.3 -> 30 -> 16, then /100 twice.
    expect(nearestPowerOfTwo(0.003)).toBeCloseTo(0.0016, 12);
    expect(nearestPowerOfTwo(0.5)).toBeCloseTo(0.32, 12);
  });

  it('never goes below MIN_DIFF 1e-5, and has no answer for 0', () => {
    expect(nearestPowerOfTwo(1e-7)).toBe(0.00001);
    expect(nearestPowerOfTwo(0)).toBeUndefined();
  });
});

describe("public-pool's vardiff", () => {
  const start = 1_000_000;

  it('leaves a young session with few shares alone, then divides by 6 once it is older than a minute', () => {
    const v = new PublicPoolVardiff(start);
    v.recordAccepted(start + 1000, 16384);
    expect(v.suggest(16384, start + 60_000)).toBeUndefined();
    expect(v.suggest(16384, start + 60_001)).toBe(2048);
  });

  it('aims at one share per 10 s when the rate is more than 2x off', () => {
    const v = new PublicPoolVardiff(start);
    // 6 shares of difficulty 1 over 10 s: 0.6 difficulty/s, so 6 per 10 s.
    for (let i = 0; i <= 5; i += 1) v.recordAccepted(start + i * 2000, 1);
    expect(v.suggest(1, start + 60_000)).toBe(4);
    // Within 2x of the target: no change.
    expect(v.suggest(4, start + 60_000)).toBeUndefined();
    expect(v.suggest(20, start + 60_000)).toBe(4);
  });

  it('keeps the last 31 shares only', () => {
    const v = new PublicPoolVardiff(start);
    for (let i = 0; i < 100; i += 1) v.recordAccepted(start + i * 1000, i < 69 ? 1000 : 1);
    // The 31 kept are all difficulty 1, one a second: 31 over 30 s, about 10 per 10 s.
    expect(v.suggest(8, start + 200_000)).toBeUndefined();
    expect(v.suggest(1, start + 200_000)).toBe(8);
  });

  it('stays put when every share arrived in the same millisecond', () => {
    const v = new PublicPoolVardiff(start);
    for (let i = 0; i < 6; i += 1) v.recordAccepted(start, 1);
    expect(v.suggest(1, start + 120_000)).toBeUndefined();
  });
});
