import { describe, expect, it } from 'vitest';
import { asPoolInteger, poolDifficultyFor, worthResuggesting } from './pool-difficulty.js';

describe('pool difficulty for the rack', () => {
  it('aims at one share for the pool every few seconds from the rack’s rate', () => {
    // 8 NerdMiners at 0.0007 each per 10 s: 0.00056 difficulty per second.
    expect(poolDifficultyFor(8 * 0.00007)).toBe(0.0028);
    expect(poolDifficultyFor(0)).toBeUndefined();
    expect(poolDifficultyFor(Number.NaN)).toBeUndefined();
  });

  it('rounds for pools that take integers only, and resuggests only on a real change', () => {
    expect(asPoolInteger(0.003)).toBe(1);
    expect(asPoolInteger(2047.6)).toBe(2048);
    expect(worthResuggesting(100, 300)).toBe(false);
    expect(worthResuggesting(100, 401)).toBe(true);
    expect(worthResuggesting(100, 24)).toBe(true);
  });
});
