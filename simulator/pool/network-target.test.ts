import { describe, expect, it } from 'vitest';
import { DIFF1_TARGET, difficultyToTarget, nbitsToTarget, targetToDifficulty } from '../../stratum/index.js';
import { compactFromTarget, nbitsForDifficulty } from './network-target.js';

describe('nbits for a network difficulty', () => {
  it('encodes targets as Bitcoin does', () => {
    expect(nbitsForDifficulty(1)).toBe('1d00ffff');
    expect(compactFromTarget(0x04864cn << (8n * 24n))).toBe(0x1b04864c);
    // A top mantissa bit moves a byte over instead of reading as negative.
    expect(compactFromTarget(0x80n)).toBe(0x02008000);
    expect(compactFromTarget(0x123456n)).toBe(0x03123456);
  });

  it('gives a target at most the exact one and within 3 significant bytes of it', () => {
    for (const d of [1e-9, 2.5e-7, 1e-5, 0.001, 42, 1.1e14]) {
      const exact = difficultyToTarget(d);
      const encoded = nbitsToTarget(Number.parseInt(nbitsForDifficulty(d), 16));
      expect(encoded <= exact, String(d)).toBe(true);
      expect(targetToDifficulty(encoded) / d).toBeGreaterThanOrEqual(1);
      expect(targetToDifficulty(encoded) / d).toBeLessThan(1.0001);
    }
  });

  it('saturates at the largest target for difficulties every hash meets', () => {
    const nbits = Number.parseInt(nbitsForDifficulty(1e-12), 16);
    expect(nbitsToTarget(nbits) > DIFF1_TARGET << 30n).toBe(true);
  });
});
