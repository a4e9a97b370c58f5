import { afterEach, describe, expect, test } from 'vitest';
import { Harness, collect, line } from '../test-support/harness.js';
import type { ShareSent } from '../types.js';

const h = new Harness();
afterEach(() => h.close());

describe('gpu profile (one rig, several sessions)', () => {
  test('opens one session per card under the same worker, rolls versions, gets shares accepted', async () => {
    const pool = await h.pool({ versionMask: 0x1fffe000 });
    const miner = h.miner({
      profile: 'gpu',
      url: pool.url,
      worker: 'farm.gpu-01',
      sessions: 3,
      hashrate: 300_000,
    });
    const sent = collect<ShareSent>(miner, 'share-sent');
    const sessions = new Set<number>();
    while (sessions.size < 3) sessions.add((await miner.waitFor('share-accepted')).session);
    expect(pool.connections).toHaveLength(3);
    for (const conn of pool.connections) {
      await conn.waitForLine((l) => l.includes('"mining.authorize"'));
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
    const pool = await h.pool({ versionMask: 0 });
    const miner = h.miner({ profile: 'gpu', url: pool.url, sessions: 1 });
    const share = await miner.waitFor('share-sent');
    expect(share.versionBits).toBeUndefined();
    await miner.waitFor('share-accepted');
  });

  test('follows client.reconnect', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'gpu', url: pool.url, sessions: 1 });
    await miner.waitFor('share-accepted');
    (await pool.connection(0)).send(line('client.reconnect', []));
    await miner.waitFor('reconnected');
    await pool.connection(1);
    await miner.waitFor('share-accepted');
  });
});
