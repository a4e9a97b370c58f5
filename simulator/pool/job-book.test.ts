import { describe, expect, it } from 'vitest';
import { SeenShares } from '../../stratum/index.js';
import { systemClock } from '../../runtime/clock.js';
import { JobBook } from './job-book.js';
import { JobFactory } from './job-factory.js';

function setup(maxJobs = 3, staleMemory?: number) {
  const seen = new SeenShares();
  const book = new JobBook(maxJobs, seen, staleMemory);
  const factory = new JobFactory({
    extranonceSize: 8,
    transactions: 2,
    nbits: '17029a8a',
    version: '20000000',
    startHeight: 100,
    payoutScript: '51',
    coinbaseTag: '',
    clock: systemClock,
  });
  const add = (clean = false) => book.add(factory.makeJob(book.nextId(), clean), 100, 0);
  return { seen, book, add };
}

describe('JobBook', () => {
  it('keeps the last maxJobs jobs live and calls older ones stale, never unknown', () => {
    const { book, add } = setup(3);
    const ids = [add(true), add(), add(), add()].map((j) => j.id);
    expect(book.lookup(ids[0] as string).status).toBe('stale');
    for (const id of ids.slice(1)) expect(book.lookup(id).status).toBe('live');
    expect(book.lookup('nope').status).toBe('unknown');
    expect(book.current?.id).toBe(ids[3]);
    expect(book.liveCount).toBe(3);
    expect(book.createdCount).toBe(4);
  });

  it('makes every earlier job stale on a clean job and frees their duplicate memory', () => {
    const { seen, book, add } = setup(8);
    const a = add(true);
    const b = add();
    seen.add(a.id, 'h1');
    seen.add(b.id, 'h2');
    const c = add(true);
    expect([a, b, c].map((j) => book.lookup(j.id).status)).toEqual(['stale', 'stale', 'live']);
    expect(seen.size).toBe(0);
  });

  it('forgets the oldest stale ids past its memory, and refuses a reused id', () => {
    const { book, add } = setup(1, 2);
    const ids = [add(), add(), add(), add()].map((j) => j.id);
    expect(ids.map((id) => book.lookup(id).status)).toEqual(['unknown', 'stale', 'stale', 'live']);
    const params = book.current?.params;
    if (params === undefined) throw new Error('no current job');
    expect(() => book.add({ ...params, jobId: ids[3] as string }, 1, 0)).toThrow(/already used/);
  });

  it('hands out unique hex ids', () => {
    const { book } = setup();
    const ids = Array.from({ length: 20 }, () => book.nextId());
    expect(new Set(ids).size).toBe(20);
    expect(ids[15]).toBe('10');
  });
});
