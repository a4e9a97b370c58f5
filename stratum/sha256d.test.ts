import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256d } from './sha256d.js';

describe('sha256d', () => {
  it('is SHA-256 applied twice, for any bytes (the one-shot path agrees with createHash)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const once = createHash('sha256').update(bytes).digest();
        expect(sha256d(bytes).equals(createHash('sha256').update(once).digest())).toBe(true);
      }),
    );
  });

  it('hashes the empty input to the known double SHA-256', () => {
    expect(sha256d(new Uint8Array()).toString('hex')).toBe(
      '5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456',
    );
  });
});
