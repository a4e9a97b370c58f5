/**
 * The GPU rig profile in memory (manual clock, real sha256d, a scripted pool); its bytes over a
 * real socket: session-fixtures.wire.test.ts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryHarness, collect, line } from '../test-support/memory-harness.js';
import type { ShareSent } from '../types.js';

let h = new MemoryHarness();
afterEach(async () => {
  await h.close();
  h = new MemoryHarness();
});

describe('gpu profile (one rig, several sessions)', () => {
  test('opens one session per card under the same worker, rolls versions, gets shares accepted', async () => {
    const pool = h.pool({ versionMask: 0x1fffe000 });
    const miner = h.miner({
      profile: 'gpu',
      url: pool.url,
      worker: 'farm.gpu-01',
      sessions: 3,
      hashrate: 300_000,
    });
    const sent = collect<ShareSent>(miner, 'share-sent');
    const sessions = new Set<number>();
    while (sessions.size < 3) sessions.add((await h.next(miner, 'share-accepted')).session);
    expect(pool.connections).toHaveLength(3);
    for (const conn of pool.connections) {
      expect(conn.lines.find((l) => l.includes('"mining.authorize"'))).toContain('"farm.gpu-01"');
      expect(conn.shares.every((s) => s.ok)).toBe(true);
    }
    for (const s of sent) {
      expect(s.versionBits).toMatch(/^[0-9a-f]{8}$/);
      expect((Number.parseInt(s.versionBits as string, 16) & ~0x1fffe000) >>> 0).toBe(0);
    }
    expect(miner.stats().hashrateCap).toBe(300_000);
  });

  test('sends 5 params when the pool grants no version rolling', async () => {
    const pool = h.pool({ versionMask: 0 });
    const miner = h.miner({ profile: 'gpu', url: pool.url, sessions: 1 });
    const share = await h.next(miner, 'share-sent');
    expect(share.versionBits).toBeUndefined();
    expect(pool.linesOf(0).find((l) => l.includes('mining.submit'))).toMatch(
      /^\{"params": \["test\.gpu", "[0-9a-f]+", "[0-9a-f]{8}", "[0-9a-f]{8}", "[0-9a-f]{8}"\], "id": \d+, "method": "mining\.submit"\}$/,
    );
    await h.next(miner, 'share-accepted');
  });

  test('follows client.reconnect without a target back to the same pool, at once', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'gpu', url: pool.url, sessions: 1 });
    await h.next(miner, 'share-accepted');
    const dropped = h.record(miner, 'disconnected');
    const back = h.record(miner, 'reconnected');
    pool.connections[0]?.send(line('client.reconnect', []));
    await h.until(() => back.length > 0, 'the reconnect');
    expect(dropped.map(([, d]) => d.reason)).toEqual(['client.reconnect']);
    expect(back[0]?.[0]).toBe(dropped[0]?.[0]);
    expect(pool.connections).toHaveLength(2);
    await h.next(miner, 'share-accepted');
    expect(pool.connections[1]?.shares.some((s) => s.ok)).toBe(true);
  });
});
