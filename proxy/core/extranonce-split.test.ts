import { describe, expect, it } from 'vitest';
import { ExtranonceSpaceFullError } from '../../stratum/index.js';
import { ExtranonceSplit } from './extranonce-split.js';

describe('ExtranonceSplit', () => {
  it('carves unique prefixes under the pool extranonce1, the rest for the miner', () => {
    const s = new ExtranonceSplit();
    expect(s.update('aabbccdd', 8)).toBe('none');
    const a = s.assign();
    const b = s.assign();
    expect(a).toMatchObject({ prefix: '00000000', extranonce1: 'aabbccdd00000000', extranonce2Size: 4 });
    expect(b.prefix).toBe('00000001');
    expect(s.view()).toMatchObject({ live: 2, prefixBytes: 4, minerExtranonce2Size: 4 });
  });

  it('says what changed: the extranonce1 only (prefixes kept) or the layout (a new allocator)', () => {
    const s = new ExtranonceSplit();
    s.update('aa', 4);
    const a = s.assign();
    expect(s.update('bb', 4)).toBe('extranonce1');
    expect(s.redescribe(a)).toMatchObject({ prefix: a.prefix, extranonce1: `bb${a.prefix}` });
    expect(s.update('bb', 8)).toBe('layout');
    expect(s.view().live).toBe(0);
  });

  it('ignores the release of an assignment from before a layout change (no double free)', () => {
    const s = new ExtranonceSplit();
    s.update('aa', 6); // prefix 2 bytes
    const old = s.assign();
    s.update('aa', 4); // prefix 2 bytes again, a new allocator
    const fresh = s.assign();
    expect(fresh.prefix).toBe(old.prefix);
    s.release(old);
    expect(s.livePrefixes()).toEqual([fresh.prefix]);
    s.release(fresh);
    expect(s.view()).toMatchObject({ live: 0, quarantined: 1 });
    s.onCleanJob();
    expect(s.view().quarantined).toBe(0);
  });

  it('refuses an extranonce2 too small to split, and reports a full space', () => {
    const s = new ExtranonceSplit();
    expect(() => s.update('aa', 1)).toThrow(/too small to split/);
    expect(s.ready).toBe(false);
    s.update('aa', 2);
    for (let i = 0; i < 256; i += 1) s.assign();
    expect(() => s.assign()).toThrow(ExtranonceSpaceFullError);
  });
});
