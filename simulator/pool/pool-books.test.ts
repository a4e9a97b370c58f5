import { describe, expect, it } from 'vitest';
import { OVERFLOW_WORKER, PoolBooks } from './pool-books.js';

describe('PoolBooks', () => {
  it('counts accepted shares, credited difficulty, rejections by reason and blocks found, per worker and in total', () => {
    const books = new PoolBooks();
    books.record({ worker: 'a', accepted: true, difficulty: 0.5, at: 1 });
    books.record({ worker: 'a', accepted: true, difficulty: 0.25, block: true, at: 2 });
    books.record({ worker: 'a', accepted: false, reason: 'duplicate', difficulty: 0.5, at: 3 });
    books.record({ worker: 'b', accepted: false, reason: 'stale', difficulty: 1, at: 4 });
    books.record({ worker: 'b', accepted: false, difficulty: 1, block: true, at: 5 });
    const snap = books.snapshot();
    expect(snap.workers.a).toEqual({
      accepted: 2,
      acceptedDifficulty: 0.75,
      rejected: { duplicate: 1 },
      blocksFound: 1,
      lastShareAt: 3,
    });
    // A block is counted whether or not its share was (ckpool finds it either way).
    expect(snap.workers.b).toEqual({
      accepted: 0,
      acceptedDifficulty: 0,
      rejected: { stale: 1, other: 1 },
      blocksFound: 1,
      lastShareAt: 5,
    });
    expect(snap.totals).toMatchObject({
      accepted: 2,
      acceptedDifficulty: 0.75,
      rejectedTotal: 3,
      blocksFound: 2,
    });
    expect(books.worker('a')?.accepted).toBe(2);
    expect(books.worker('zz')).toBeUndefined();
  });

  it('returns copies, not its own state', () => {
    const books = new PoolBooks();
    books.record({ worker: 'a', accepted: false, reason: 'stale', difficulty: 1, at: 1 });
    const snap = books.snapshot();
    (snap.workers.a as { rejected: Record<string, number> }).rejected.stale = 99;
    expect(books.snapshot().workers.a?.rejected.stale).toBe(1);
  });

  it('counts names beyond its limit under one overflow entry', () => {
    const books = new PoolBooks(2);
    for (const w of ['a', 'b', 'c', 'd']) books.record({ worker: w, accepted: true, difficulty: 1, at: 1 });
    const snap = books.snapshot();
    expect(Object.keys(snap.workers).sort()).toEqual([OVERFLOW_WORKER, 'a', 'b'].sort());
    expect(snap.workers[OVERFLOW_WORKER]?.accepted).toBe(2);
    expect(snap.totals.accepted).toBe(4);
  });
});
