import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIFF1_TARGET,
  difficultyToTarget,
  meetsNetworkTarget,
  nbitsToTarget,
  hashToBigInt,
  hashToDifficulty,
  meetsDifficulty,
  meetsDifficultyKnowing,
  targetToDifficulty,
  targetToHex,
} from './difficulty.js';
import { sha256d } from './sha256d.js';

const MAX_HASH = (1n << 256n) - 1n;
const SCALE = 300;

/** A 256-bit integer as the 32 little-endian bytes sha256d returns. */
function hashBytes(value: bigint): Buffer {
  const out = Buffer.alloc(32);
  let v = value;
  for (let i = 0; i < 32; i += 1) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** DIFF1 / h with BigInt arithmetic: the quotient scaled by 2^300 keeps far more than 53 bits. */
function exactDifficulty(h: bigint): number {
  return Number((DIFF1_TARGET << BigInt(SCALE)) / h) / 2 ** SCALE;
}

/** Any finite positive double as an exact fraction p / q with q a power of two. */
function asDyadic(d: number): { p: bigint; q: bigint } {
  let k = 0;
  let scaled = d;
  while (!Number.isInteger(scaled)) {
    scaled *= 2; // exact: doubling a double never rounds
    k += 1;
  }
  return { p: BigInt(scaled), q: 1n << BigInt(k) };
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('hashToDifficulty', () => {
  it('reads the genesis hash as difficulty 2536.43', () => {
    const hash = Buffer.from(
      '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
      'hex',
    ).reverse();
    expect(hashToDifficulty(hash)).toBeCloseTo(2536.4262984453103, 9);
  });

  it('is exact far below 1 (1e-4, 1e-8) and far above 1e12', () => {
    for (const d of [1e-4, 1e-8, 1.5e-5, 1e13, 1.166e14, 1e15, 3.7e18]) {
      const h = difficultyToTarget(d);
      const got = hashToDifficulty(hashBytes(h));
      expect(relErr(got, exactDifficulty(h))).toBeLessThan(1e-13);
      expect(relErr(got, d)).toBeLessThan(1e-12);
    }
  });

  it('agrees with an exact BigInt computation for any 256-bit hash', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_HASH }), (h) => {
        expect(relErr(hashToDifficulty(hashBytes(h)), exactDifficulty(h))).toBeLessThan(1e-13);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the exact value for real sha256d outputs', () => {
    for (let i = 0; i < 200; i += 1) {
      const hash = sha256d(Buffer.from(`share ${i}`));
      expect(relErr(hashToDifficulty(hash), exactDifficulty(hashToBigInt(hash)))).toBeLessThan(1e-13);
    }
  });

  it('gives Infinity for an all-zero hash and 1 for the DIFF1 target itself', () => {
    expect(hashToDifficulty(Buffer.alloc(32))).toBe(Number.POSITIVE_INFINITY);
    expect(hashToDifficulty(hashBytes(DIFF1_TARGET))).toBe(1);
  });

  it('refuses a hash that is not 32 bytes', () => {
    expect(() => hashToDifficulty(Buffer.alloc(31))).toThrow(RangeError);
  });
});

describe('hashToBigInt', () => {
  it('reads the 32 bytes as a little-endian integer, from a Buffer or a plain Uint8Array', () => {
    const bytes = new Uint8Array(32);
    bytes[0] = 0x01;
    bytes[31] = 0x80;
    expect(hashToBigInt(bytes)).toBe((0x80n << 248n) | 1n);
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: MAX_HASH }), (h) => hashToBigInt(hashBytes(h)) === h));
  });
});

describe('difficultyToTarget / targetToDifficulty', () => {
  it('maps difficulty 1 to the DIFF1 target, 0x00000000ffff0000...', () => {
    expect(difficultyToTarget(1)).toBe(DIFF1_TARGET);
    expect(targetToHex(DIFF1_TARGET)).toBe(`00000000ffff${'0'.repeat(52)}`);
    expect(targetToHex(1n)).toBe(`${'0'.repeat(63)}1`);
  });

  it('is exactly floor(DIFF1 / d) for dyadic difficulties', () => {
    const cases = [1, 2, 0.5, 0.25, 1024, 3, 0.001, 0.00015, 1e-4, 2 ** -20, 65536.5, 1e12 + 0.5];
    for (const d of cases) {
      const { p, q } = asDyadic(d);
      expect(difficultyToTarget(d)).toBe((DIFF1_TARGET * q) / p);
    }
  });

  it('is exactly floor(DIFF1 / d) for any double d, capped at 2^256 - 1 (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -60, max: 2 ** 120, noNaN: true }), (d) => {
        const { p, q } = asDyadic(d);
        const exact = (DIFF1_TARGET * q) / p;
        expect(difficultyToTarget(d)).toBe(exact > MAX_HASH ? MAX_HASH : exact);
      }),
      { numRuns: 1000 },
    );
  });

  it('caps the target at 2^256 - 1 for the tiniest difficulties', () => {
    expect(difficultyToTarget(Number.MIN_VALUE)).toBe(MAX_HASH);
    expect(difficultyToTarget(2 ** -33)).toBe(MAX_HASH);
    expect(difficultyToTarget(2 ** -32)).toBe(DIFF1_TARGET << 32n);
  });

  it('refuses zero, negative, NaN and infinite difficulties', () => {
    for (const d of [0, -1, -0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => difficultyToTarget(d)).toThrow(RangeError);
    }
    expect(() => targetToDifficulty(0n)).toThrow(RangeError);
    expect(() => targetToDifficulty(-5n)).toThrow(RangeError);
  });

  it('round trips difficulty -> target -> difficulty within 1e-12 (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e40, noNaN: true }), (d) => {
        expect(relErr(targetToDifficulty(difficultyToTarget(d)), d)).toBeLessThan(1e-12);
      }),
      { numRuns: 1000 },
    );
  });

  it('round trips target -> difficulty -> target within 1e-12 (fast-check)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n << 64n, max: MAX_HASH }), (t) => {
        const back = difficultyToTarget(targetToDifficulty(t));
        const diff = back > t ? back - t : t - back;
        expect(Number(diff) / Number(t)).toBeLessThan(1e-12);
      }),
      { numRuns: 500 },
    );
  });
});

describe('meetsDifficultyKnowing (the double first, the integers near the target)', () => {
  const knowing = (hash: Buffer, d: number): boolean =>
    meetsDifficultyKnowing(hash, hashToDifficulty(hash), d);

  it('answers exactly as meetsDifficulty at and around the target, for any difficulty (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2 ** -31, max: 1e30, noNaN: true }),
        fc.bigInt({ min: -3n, max: 3n }),
        (d, offset) => {
          const target = difficultyToTarget(d);
          const value = target + offset;
          if (value < 0n || value > MAX_HASH) return;
          const hash = hashBytes(value);
          expect(knowing(hash, d)).toBe(meetsDifficulty(hash, d));
        },
      ),
      { numRuns: 1000, seed: 20 },
    );
  });

  it('answers exactly as meetsDifficulty for real hashes against difficulties near and far from theirs (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.double({ min: 1e-12, max: 1e12, noNaN: true }),
        fc.constantFrom(0, 1e-15, -1e-15, 1e-10, -1e-10, 1e-6, -1e-6),
        (nonce, scale, nudge) => {
          const hash = sha256d(Buffer.from(`nonce ${nonce}`));
          const own = hashToDifficulty(hash);
          for (const d of [scale, own * (1 + nudge)])
            if (d > 0 && Number.isFinite(d)) expect(knowing(hash, d)).toBe(meetsDifficulty(hash, d));
        },
      ),
      { numRuns: 1000, seed: 21 },
    );
  });

  it('takes the all-zero hash at any difficulty', () => {
    expect(knowing(Buffer.alloc(32), 1e60)).toBe(true);
  });
});

describe('meetsDifficulty', () => {
  it('accepts a hash equal to the target and refuses target + 1', () => {
    for (const d of [1, 2, 0.5, 1e-3, 0.00015, 3, 2536.4262984453103, 1e12]) {
      const target = difficultyToTarget(d);
      expect(meetsDifficulty(hashBytes(target), d)).toBe(true);
      expect(meetsDifficulty(hashBytes(target - 1n), d)).toBe(true);
      expect(meetsDifficulty(hashBytes(target + 1n), d)).toBe(false);
    }
  });

  it('holds at the exact boundary for any difficulty (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -31, max: 1e30, noNaN: true }), (d) => {
        const target = difficultyToTarget(d);
        expect(meetsDifficulty(hashBytes(target), d)).toBe(true);
        expect(meetsDifficulty(hashBytes(target + 1n), d)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with hashToDifficulty away from the boundary', () => {
    for (let i = 0; i < 300; i += 1) {
      const hash = sha256d(Buffer.from(`nonce ${i}`));
      const d = hashToDifficulty(hash);
      expect(meetsDifficulty(hash, d * 0.999)).toBe(true);
      expect(meetsDifficulty(hash, d * 1.001)).toBe(false);
    }
  });

  it('accepts every hash at the tiniest difficulty and the all-zero hash at any', () => {
    expect(meetsDifficulty(hashBytes(MAX_HASH), Number.MIN_VALUE)).toBe(true);
    expect(meetsDifficulty(Buffer.alloc(32), 1e60)).toBe(true);
  });

  it('gives the same answers when many difficulties are in use (target cache)', () => {
    const hash = hashBytes(difficultyToTarget(5));
    for (let i = 0; i < 3000; i += 1) meetsDifficulty(hash, 1 + i / 7);
    expect(meetsDifficulty(hash, 5)).toBe(true);
    expect(meetsDifficulty(hash, 5.000001)).toBe(false);
  });
});

describe('nbitsToTarget / meetsNetworkTarget', () => {
  it('decodes compact nbits as Bitcoin does', () => {
    // Genesis: 0x1d00ffff is the difficulty-1 target.
    expect(nbitsToTarget(0x1d00ffff)).toBe(DIFF1_TARGET);
    // Block 100000: 0x1b04864c.
    expect(nbitsToTarget(0x1b04864c)).toBe(0x04864cn << (8n * 24n));
    // regtest: 0x207fffff, nearly every hash.
    expect(nbitsToTarget(0x207fffff)).toBe(0x7fffffn << (8n * 29n));
    expect(nbitsToTarget(0x03123456)).toBe(0x123456n);
    expect(nbitsToTarget(0x02123456)).toBe(0x1234n);
    expect(nbitsToTarget(0x1d800000)).toBe(0n);
  });

  it('judges a hash against it', () => {
    const low = Buffer.alloc(32); // hash 0 meets anything
    const high = Buffer.alloc(32, 0xff);
    expect(meetsNetworkTarget(low, 0x1d00ffff)).toBe(true);
    expect(meetsNetworkTarget(high, 0x1d00ffff)).toBe(false);
    expect(meetsNetworkTarget(high, 0x1d800000)).toBe(false);
  });
});
