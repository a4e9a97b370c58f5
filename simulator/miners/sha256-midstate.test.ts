import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { difficultyToTarget, meetsDifficulty } from '../../stratum/difficulty.js';
import { nodeSha256d } from '../../stratum/sha256d.js';
import { wordsToBytes } from '../../stratum/sha256-words.js';
import { HeaderHasher, meetsTargetLimbs, targetLimbs, top16Zero } from './sha256-midstate.js';

describe('HeaderHasher', () => {
  test('matches node:crypto sha256d for random headers, nonces and versions', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 80, maxLength: 80 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (bytes, nonce, version) => {
          const header = Buffer.from(bytes);
          const hasher = new HeaderHasher();
          hasher.load(header);
          hasher.setVersion(version);
          header.writeUInt32LE(version, 0);
          header.writeUInt32LE(nonce, 76);
          const words = new Int32Array(8);
          hasher.hash(nonce, words);
          expect(wordsToBytes(words).equals(nodeSha256d(header))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('reproduces the genesis block hash from its header', () => {
    const genesis = JSON.parse(readFileSync('fixtures/golden/genesis.json', 'utf8')) as {
      expected: { header: string; hash: string };
    };
    const header = Buffer.from(genesis.expected.header, 'hex');
    const hasher = new HeaderHasher();
    hasher.load(header);
    const words = new Int32Array(8);
    hasher.hash(header.readUInt32LE(76), words);
    expect(Buffer.from(wordsToBytes(words)).reverse().toString('hex')).toBe(genesis.expected.hash);
    expect(top16Zero(words)).toBe(true);
  });
});

describe('targets on digest words', () => {
  test('meetsTargetLimbs agrees with meetsDifficulty', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 31 }),
        (bytes, difficulty, zeros) => {
          const hash = Buffer.from(bytes);
          hash.fill(0, 32 - Math.floor(zeros / 4) * 4); // many hashes near small targets
          const words = new Int32Array(8);
          for (let i = 0; i < 8; i += 1) words[i] = hash.readUInt32BE(i * 4);
          const limbs = targetLimbs(difficultyToTarget(difficulty));
          expect(meetsTargetLimbs(words, limbs)).toBe(meetsDifficulty(hash, difficulty));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('top16Zero looks at the two most significant bytes of the little-endian hash', () => {
    const hash = randomBytes(32);
    hash[31] = 0;
    hash[30] = 0;
    const words = new Int32Array(8);
    for (let i = 0; i < 8; i += 1) words[i] = hash.readUInt32BE(i * 4);
    expect(top16Zero(words)).toBe(true);
    words[7] = (words[7] as number) | 1;
    expect(top16Zero(words)).toBe(false);
  });
});
