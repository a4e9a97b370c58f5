import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StratumError } from './errors.js';
import {
  BIP320_MASK,
  VersionBitsOutsideMaskError,
  applyVersionBits,
  negotiateVersionMask,
} from './version-rolling.js';

describe('negotiateVersionMask', () => {
  it('grants the intersection of the server and miner masks, as an unsigned 32-bit number', () => {
    // Bitaxe asks for ffffffff; a BIP320 server grants only 1fffe000.
    expect(negotiateVersionMask(BIP320_MASK, 0xffffffff)).toBe(0x1fffe000);
    expect(negotiateVersionMask(0xffffffff, 0xffffffff)).toBe(0xffffffff);
    expect(negotiateVersionMask(BIP320_MASK, 0x00fff000)).toBe(0x00ffe000);
    expect(negotiateVersionMask(BIP320_MASK, 0)).toBe(0);
    expect(negotiateVersionMask(0x80000000, 0x80000000)).toBe(0x80000000);
  });

  it('never grants a bit either side did not offer (fast-check)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), (server, miner) => {
        const granted = negotiateVersionMask(server, miner);
        expect(granted).toBeGreaterThanOrEqual(0);
        expect((granted & ~server) >>> 0).toBe(0);
        expect((granted & ~miner) >>> 0).toBe(0);
        expect(granted).toBe(negotiateVersionMask(miner, server));
      }),
    );
  });
});

describe('applyVersionBits', () => {
  it('rebuilds block 881423 nVersion: job 20000000 + bits 0e596000 under 1fffe000 = 2e596000', () => {
    expect(applyVersionBits(0x20000000, 0x0e596000, BIP320_MASK)).toBe(0x2e596000);
  });

  it('replaces the job bits inside the mask and keeps those outside', () => {
    expect(applyVersionBits(0x20002000, 0x00004000, BIP320_MASK)).toBe(0x20004000);
    expect(applyVersionBits(0xffffffff, 0, BIP320_MASK)).toBe(0xe0001fff);
    expect(applyVersionBits(0x20000000, 0, 0)).toBe(0x20000000);
  });

  it('refuses bits outside the mask with a code-20 error naming bits and mask', () => {
    const cases: [number, number][] = [
      [0x20000000, BIP320_MASK], // bit 29 sits just above BIP320's range
      [0x00001000, BIP320_MASK], // bit 12 just below it
      [0x00002000, 0], // no mask negotiated: no bits at all
      [0xffffffff, 0x7fffffff],
    ];
    for (const [bits, mask] of cases) {
      let err: unknown;
      try {
        applyVersionBits(0x20000000, bits, mask);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VersionBitsOutsideMaskError);
      expect(err).toBeInstanceOf(StratumError);
      const e = err as VersionBitsOutsideMaskError;
      expect(e.code).toBe(20);
      expect(e.message).toContain((bits >>> 0).toString(16).padStart(8, '0'));
      expect(e.message).toContain((mask >>> 0).toString(16).padStart(8, '0'));
    }
  });

  it('follows nVersion = (job & ~mask) | (bits & mask) for every bits inside the mask (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        (job, raw, mask) => {
          const bits = (raw & mask) >>> 0;
          const v = applyVersionBits(job, bits, mask);
          expect(v).toBe(((job & ~mask) | bits) >>> 0);
          expect(v).toBeGreaterThanOrEqual(0);
          if ((raw & ~mask) >>> 0 !== 0)
            expect(() => applyVersionBits(job, raw, mask)).toThrow(VersionBitsOutsideMaskError);
        },
      ),
    );
  });
});
