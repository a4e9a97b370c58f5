import { afterEach, describe, expect, test } from 'vitest';
import { Harness, line } from '../test-support/harness.js';

const h = new Harness();
afterEach(() => h.close());

describe('cpu profile (cpuminer 2.5.1)', () => {
  test('every submit carries id 4; each answer settles the oldest one', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url });
    for (let i = 0; i < 3; i += 1) await miner.waitFor('share-accepted');
    const submits = (await pool.connection(0)).lines.filter((l) => l.includes('mining.submit'));
    expect(submits.every((l) => l.endsWith('"id":4}'))).toBe(true);
    const stats = miner.stats();
    expect(stats.accepted).toBeGreaterThanOrEqual(3);
    expect(stats.rejected).toBe(0);
  });

  test('follows client.reconnect to the host and port it names', async () => {
    const a = await h.pool();
    const b = await h.pool();
    const miner = h.miner({ profile: 'cpu', url: a.url });
    await miner.waitFor('share-accepted');
    (await a.connection(0)).send(line('client.reconnect', ['127.0.0.1', b.port, 0]));
    expect((await miner.waitFor('disconnected')).reason).toBe('client.reconnect');
    await miner.waitFor('reconnected');
    const conn = await b.connection(0);
    await miner.waitFor('share-accepted');
    expect(conn.shares.some((s) => s.ok)).toBe(true);
  });

  test('ignores client.reconnect without a host and port', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url, hashrate: 0 });
    await miner.waitFor('authorized');
    (await pool.connection(0)).send(line('client.reconnect', []));
    await miner.waitFor('reconnect-ignored');
    expect(pool.connections).toHaveLength(1);
  });

  test('a method it does not know before the authorize answer fails the login', async () => {
    const pool = await h.pool({ beforeAuthorizeAnswer: line('mining.ping', [], 9) });
    const miner = h.miner({ profile: 'cpu', url: pool.url, hashrate: 0 });
    expect((await miner.waitFor('authorized')).ok).toBe(false);
    expect((await miner.waitFor('disconnected')).reason).toBe('Stratum authentication failed');
  });

  test('answers client.get_version and takes a new difficulty from the next notify', async () => {
    const pool = await h.pool({ difficulty: 3e-5 });
    const miner = h.miner({ profile: 'cpu', url: pool.url });
    await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    conn.send(line('client.get_version', [], 12));
    await conn.waitForLine((l) => l === '{"id": 12, "error": null, "result": "cpuminer/2.5.1"}');
    conn.setDifficulty(2e-5);
    await miner.waitFor('difficulty');
    const jobId = conn.notify(true);
    expect((await miner.waitFor('share-sent', (s) => s.jobId === jobId)).targetDifficulty).toBe(2e-5);
  });
});
