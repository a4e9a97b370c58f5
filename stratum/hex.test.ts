import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidParamsError } from './errors.js';
import { byteHex, exactHex, isHex, paddedHex, reverseBytes, u32FromHex, u32ToHex } from './hex.js';

function rejection(fn: () => unknown): InvalidParamsError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidParamsError);
    return err as InvalidParamsError;
  }
  throw new Error('expected an InvalidParamsError');
}

describe('isHex', () => {
  it('accepts either case and the empty string, nothing else', () => {
    expect(isHex('0123456789abcdefABCDEF')).toBe(true);
    expect(isHex('')).toBe(true);
    for (const s of ['0x12', 'g', ' 12', '12 ', '1-2', 'é']) expect(isHex(s)).toBe(false);
  });
});

describe('exactHex (prevhash, merkle branches, version, nbits, notify ntime)', () => {
  it('lower-cases hex of exactly the right length', () => {
    expect(exactHex('1D00FFFF', 8, 'nbits')).toBe('1d00ffff');
    expect(exactHex('ab'.repeat(32), 64, 'prevhash')).toBe('ab'.repeat(32));
  });

  it('does not pad: a short or long value is an error naming the field and the length', () => {
    for (const value of ['1d00fff', '1d00ffff0', '', 'zz00ffff', 0x1d00ffff, null, undefined]) {
      const err = rejection(() => exactHex(value, 8, 'mining.notify params[6] (nbits)'));
      expect(err.field).toBe('mining.notify params[6] (nbits)');
      expect(err.message).toContain('mining.notify params[6] (nbits): expected 8 hex characters');
    }
  });
});

describe('paddedHex (submit ntime, nonce, version bits)', () => {
  it('lower-cases and left-pads what NerdMiner sends unpadded', () => {
    expect(paddedHex('a2b3c', 8, 'nonce')).toBe('000a2b3c');
    expect(paddedHex('0', 8, 'nonce')).toBe('00000000');
    expect(paddedHex('DA54E700', 8, 'nonce')).toBe('da54e700');
  });

  it('refuses empty, too long and non-hex values, naming the field', () => {
    for (const value of ['', '123456789', 'xyz', '-1', 5, null]) {
      const err = rejection(() => paddedHex(value, 8, 'mining.submit params[4] (nonce)'));
      expect(err.message).toContain('mining.submit params[4] (nonce): expected 1 to 8 hex characters');
    }
  });

  it('gives the same 8 characters for any case and padding of a 32-bit value (fast-check)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.boolean(), (n, upper) => {
        const short = n.toString(16);
        const shown = upper ? short.toUpperCase() : short;
        expect(paddedHex(shown, 8, 'nonce')).toBe(u32ToHex(n));
        expect(paddedHex(u32ToHex(n).toUpperCase(), 8, 'nonce')).toBe(u32ToHex(n));
      }),
    );
  });
});

describe('byteHex (extranonce, coinbase parts)', () => {
  it('lower-cases whole bytes of any length up to the limit', () => {
    expect(byteHex('ABCDEF01', 'extranonce2')).toBe('abcdef01');
    expect(byteHex('', 'coinb1')).toBe('');
    expect(byteHex('00'.repeat(16), 'extranonce2', 32)).toBe('00'.repeat(16));
  });

  it('refuses an odd length, non-hex and too long, naming the field', () => {
    for (const [value, max] of [
      ['abc', 64],
      ['zz', 64],
      ['00'.repeat(17), 32],
      [12, 64],
    ] as const) {
      const err = rejection(() => byteHex(value, 'extranonce1', max));
      expect(err.message).toContain('extranonce1: expected hex string of whole bytes');
    }
  });
});

describe('u32 and byte helpers', () => {
  it('u32FromHex and u32ToHex are inverse over 32-bit values', () => {
    expect(u32FromHex('ffffffff')).toBe(0xffffffff);
    expect(u32ToHex(1)).toBe('00000001');
    expect(u32ToHex(-1)).toBe('ffffffff');
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (n) => u32FromHex(u32ToHex(n)) === n));
  });

  it('reverseBytes returns a reversed copy and leaves its input alone', () => {
    const input = Buffer.from('010203', 'hex');
    expect(reverseBytes(input).toString('hex')).toBe('030201');
    expect(input.toString('hex')).toBe('010203');
  });
});
