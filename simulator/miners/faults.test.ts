/** The miners' fault modes in memory: a manual clock, real sha256d, a scripted pool judging every share. */
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryHarness, collect, line } from './test-support/memory-harness.js';
import type { ShareRejection } from './types.js';

let h = new MemoryHarness();
afterEach(async () => {
  await h.close();
  h = new MemoryHarness();
});

describe('fault modes', () => {
  test('bad shares are refused as low difficulty', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url, faults: { badShareEvery: 1 } });
    const sent = await h.next(miner, 'share-sent');
    expect(sent.fault).toBe('bad');
    expect((await h.next(miner, 'share-rejected')).code).toBe(23);
    expect(miner.stats().accepted).toBe(0);
  });

  test('stale shares are refused as job not found', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, faults: { staleShareEvery: 2 } });
    const rejection = await h.next(miner, 'share-rejected');
    expect(rejection.code).toBe(21);
    expect(miner.stats().rejectedByReason).toEqual({ '21 Job not found (=stale)': 1 });
  });

  test('duplicates: the copy is refused, the original accepted', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, faults: { duplicateEvery: 1 } });
    const rejected = collect<ShareRejection>(miner, 'share-rejected');
    await h.next(miner, 'share-rejected');
    expect(rejected[0]?.code).toBe(22);
    expect(miner.stats().accepted).toBeGreaterThanOrEqual(1);
  });

  test('a malformed line goes out before each share; mining carries on', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url, faults: { malformedLineEvery: 1 } });
    await h.next(miner, 'share-accepted');
    const lines = pool.linesOf(0);
    const bad = lines.findIndex((l) => l.endsWith(',') && l.includes('mining.submit'));
    expect(bad).toBeGreaterThan(-1);
    expect(lines[bad + 1]).toContain('"method": "mining.submit"');
  });

  test('a slow reader leaves lines unread for pauseMs after each one it reads', async () => {
    const pool = h.pool();
    const miner = h.miner({
      profile: 'cpu',
      url: pool.url,
      hashrate: 0,
      faults: { slowReader: { pauseMs: 300 } },
    });
    await h.next(miner, 'job');
    await h.pass(1000);
    const rx = h.record(miner, 'rx');
    const conn = pool.connections[0];
    conn?.send(line('client.show_message', ['first']));
    conn?.send(line('client.show_message', ['second']));
    const sentAt = h.clock.now();
    await h.until(() => rx.length >= 2, 'both lines read');
    expect(rx.map(([at, r]) => [at - sentAt, JSON.parse(r.line).params[0]])).toEqual([
      [0, 'first'],
      [300, 'second'],
    ]);
  });
});
