import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merkleFoldWords, sha256Words, sha256dWords, wordsToBytes } from './sha256-words.js';

const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

function words(bytes: Buffer): Int32Array {
  const w = new Int32Array(8);
  for (let i = 0; i < 8; i += 1) w[i] = bytes.readInt32BE(4 * i);
  return w;
}

describe("SHA-256 on words (the share check's own)", () => {
  it('agrees with node:crypto for every length, across the one- and two-block padding edges', () => {
    const out = new Int32Array(8);
    for (let n = 0; n <= 200; n += 1) {
      const bytes = Buffer.alloc(n, n & 0xff);
      for (let i = 0; i < n; i += 1) bytes[i] = (i * 131 + n) & 0xff;
      sha256Words(bytes, out);
      expect(wordsToBytes(out).toString('hex'), `length ${n}`).toBe(sha256(bytes).toString('hex'));
    }
  });

  it('sha256d agrees with node:crypto for any bytes', () => {
    const out = new Int32Array(8);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        sha256dWords(bytes, out);
        expect(wordsToBytes(out).equals(sha256(sha256(bytes)))).toBe(true);
      }),
    );
  });

  it('folds a coinbase hash up merkle branches as sha256d(root || branch) each step', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 14 }),
        (start, branches) => {
          let expected: Buffer = Buffer.from(start);
          for (const b of branches) expected = sha256(sha256(Buffer.concat([expected, b])));
          const root = words(Buffer.from(start));
          merkleFoldWords(root, branches);
          expect(wordsToBytes(root).toString('hex')).toBe(expected.toString('hex'));
        },
      ),
    );
  });

  it('hashes the empty input to the known SHA-256', () => {
    const out = new Int32Array(8);
    sha256Words(new Uint8Array(), out);
    expect(wordsToBytes(out).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
