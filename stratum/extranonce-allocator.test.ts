import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StratumError } from './errors.js';
import {
  ExtranoncePrefixAllocator,
  ExtranonceSpaceFullError,
  MINER_EXTRANONCE2_SIZES,
  choosePrefixLayout,
} from './extranonce-allocator.js';

function fill(alloc: ExtranoncePrefixAllocator, count: number): string[] {
  return Array.from({ length: count }, () => alloc.allocate());
}

describe('choosePrefixLayout', () => {
  it('pool 8 -> miners 4, 4 -> 2, 2 -> 1', () => {
    expect(choosePrefixLayout(8)).toEqual({ prefixBytes: 4, minerExtranonce2Size: 4 });
    expect(choosePrefixLayout(4)).toEqual({ prefixBytes: 2, minerExtranonce2Size: 2 });
    expect(choosePrefixLayout(2)).toEqual({ prefixBytes: 1, minerExtranonce2Size: 1 });
  });

  it('refuses a pool extranonce2 of 1 (or anything not an integer >= 2) with RangeError', () => {
    for (const size of [1, 0, -4, 2.5, Number.NaN])
      expect(() => choosePrefixLayout(size)).toThrow(RangeError);
    expect(() => choosePrefixLayout(1)).toThrow(/pool extranonce2 size 1/);
  });

  it('splits every pool size the parser accepts (2..16) into a layout the allocator takes', () => {
    for (let pool = 2; pool <= 16; pool += 1) {
      const layout = choosePrefixLayout(pool);
      expect(layout.prefixBytes + layout.minerExtranonce2Size).toBe(pool);
      expect(layout.prefixBytes).toBeGreaterThanOrEqual(1);
      if (pool > 2) expect(MINER_EXTRANONCE2_SIZES).toContain(layout.minerExtranonce2Size);
      const alloc = new ExtranoncePrefixAllocator(layout.prefixBytes);
      expect(alloc.allocate()).toHaveLength(layout.prefixBytes * 2);
    }
  });
});

describe('ExtranoncePrefixAllocator', () => {
  it('hands out lower-case hex prefixes of the configured width', () => {
    const alloc = new ExtranoncePrefixAllocator(2);
    const prefixes = fill(alloc, 3);
    for (const p of prefixes) expect(p).toMatch(/^[0-9a-f]{4}$/);
    expect(new ExtranoncePrefixAllocator(8).allocate()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never hands out a prefix that is live: all 256 one-byte prefixes are distinct', () => {
    const alloc = new ExtranoncePrefixAllocator(1);
    const prefixes = fill(alloc, 256);
    expect(new Set(prefixes).size).toBe(256);
    expect(alloc.liveCount).toBe(256);
    for (const p of prefixes) expect(alloc.isLive(p)).toBe(true);
  });

  it('throws ExtranonceSpaceFullError (code 20) when every 1-byte prefix is live', () => {
    const alloc = new ExtranoncePrefixAllocator(1);
    fill(alloc, 256);
    let err: unknown;
    try {
      alloc.allocate();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExtranonceSpaceFullError);
    expect(err).toBeInstanceOf(StratumError);
    expect((err as ExtranonceSpaceFullError).code).toBe(20);
    expect((err as ExtranonceSpaceFullError).name).toBe('ExtranonceSpaceFullError');
    expect((err as Error).message).toContain('256');
  });

  it('gives a just-released prefix back to the session that resumes it, once, and not after a clean job', () => {
    const a = new ExtranoncePrefixAllocator(2);
    const first = a.allocate();
    const second = a.allocate();
    expect(a.reclaim(first)).toBe(false); // live: nobody may take it over
    a.release(first);
    expect(a.reclaim(first.toUpperCase())).toBe(true);
    expect(a.isLive(first)).toBe(true);
    expect(a.reclaim(first)).toBe(false);
    a.release(second);
    a.onCleanJob();
    expect(a.reclaim(second)).toBe(false); // freed by the clean job: old work is stale anyway
    expect(a.reclaim('zz')).toBe(false);
    expect(a.reclaim('abcdef')).toBe(false);
  });

  it('keeps a released prefix in quarantine until the next clean job', () => {
    const alloc = new ExtranoncePrefixAllocator(1);
    const prefixes = fill(alloc, 256);
    const freed = prefixes[42] as string;
    alloc.release(freed);
    expect(alloc.isLive(freed)).toBe(false);
    expect(alloc.liveCount).toBe(255);
    expect(alloc.quarantinedCount).toBe(1);
    // The freed slot is not handed out again: the space is still full.
    expect(() => alloc.allocate()).toThrow(ExtranonceSpaceFullError);
    alloc.onCleanJob();
    expect(alloc.quarantinedCount).toBe(0);
    expect(alloc.allocate()).toBe(freed);
    expect(() => alloc.allocate()).toThrow(ExtranonceSpaceFullError);
  });

  it('does not hand a quarantined prefix to the next session even when the space is sparse', () => {
    const alloc = new ExtranoncePrefixAllocator(1);
    const [first, second] = fill(alloc, 2);
    alloc.release(first as string);
    alloc.release(second as string);
    // Allocate all the remaining space: neither released prefix may reappear before onCleanJob.
    const rest = fill(alloc, 254);
    expect(rest).not.toContain(first);
    expect(rest).not.toContain(second);
    expect(() => alloc.allocate()).toThrow(ExtranonceSpaceFullError);
    alloc.onCleanJob();
    expect(new Set(fill(alloc, 2))).toEqual(new Set([first, second]));
  });

  it('ignores releasing a prefix that is not live, in any spelling', () => {
    const alloc = new ExtranoncePrefixAllocator(2);
    const p = alloc.allocate();
    alloc.release('ffff');
    alloc.release('zz');
    expect(alloc.liveCount).toBe(1);
    expect(alloc.quarantinedCount).toBe(0);
    alloc.release(p.toUpperCase());
    alloc.release(p);
    expect(alloc.liveCount).toBe(0);
    expect(alloc.quarantinedCount).toBe(1);
  });

  it('refuses a width outside 1..15 bytes', () => {
    for (const width of [0, 16, 1.5, -1])
      expect(() => new ExtranoncePrefixAllocator(width)).toThrow(RangeError);
  });

  it('keeps live prefixes unique and quarantine honest under any allocate/release/clean sequence (fast-check)', () => {
    type Op = { kind: 'alloc' } | { kind: 'release'; pick: number } | { kind: 'clean' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.constant<Op>({ kind: 'alloc' }) },
      { weight: 3, arbitrary: fc.nat().map<Op>((pick) => ({ kind: 'release', pick })) },
      { weight: 1, arbitrary: fc.constant<Op>({ kind: 'clean' }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const alloc = new ExtranoncePrefixAllocator(1);
        const live = new Set<string>();
        const quarantined = new Set<string>();
        for (const o of ops) {
          if (o.kind === 'alloc') {
            if (live.size + quarantined.size >= 256) {
              expect(() => alloc.allocate()).toThrow(ExtranonceSpaceFullError);
              continue;
            }
            const p = alloc.allocate();
            expect(live.has(p)).toBe(false);
            expect(quarantined.has(p)).toBe(false);
            live.add(p);
          } else if (o.kind === 'release') {
            const list = [...live];
            if (list.length === 0) continue;
            const p = list[o.pick % list.length] as string;
            alloc.release(p);
            live.delete(p);
            quarantined.add(p);
          } else {
            alloc.onCleanJob();
            quarantined.clear();
          }
          expect(alloc.liveCount).toBe(live.size);
          expect(alloc.quarantinedCount).toBe(quarantined.size);
        }
      }),
      { numRuns: 200 },
    );
  });
});
