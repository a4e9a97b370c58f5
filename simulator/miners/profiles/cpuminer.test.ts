/**
 * The cpuminer profile in memory (manual clock, real sha256d, a scripted pool); its bytes over a
 * real socket: session-fixtures.wire.test.ts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryHarness, line } from '../test-support/memory-harness.js';

let h = new MemoryHarness();
afterEach(async () => {
  await h.close();
  h = new MemoryHarness();
});

describe('cpu profile (cpuminer 2.5.1)', () => {
  test('every submit carries id 4; each answer settles the oldest one', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url });
    for (let i = 0; i < 3; i += 1) await h.next(miner, 'share-accepted');
    const submits = pool.linesOf(0).filter((l) => l.includes('mining.submit'));
    expect(submits.length).toBeGreaterThanOrEqual(3);
    expect(submits.every((l) => l.endsWith('"id":4}'))).toBe(true);
    const stats = miner.stats();
    expect(stats.accepted).toBeGreaterThanOrEqual(3);
    expect(stats.rejected).toBe(0);
  });

  test('follows client.reconnect to the host and port it names, at once', async () => {
    const a = h.pool();
    const b = h.pool();
    const miner = h.miner({ profile: 'cpu', url: a.url });
    await h.next(miner, 'share-accepted');
    const dropped = h.record(miner, 'disconnected');
    const back = h.record(miner, 'reconnected');
    a.connections[0]?.send(line('client.reconnect', [b.host, b.port, 0]));
    await h.next(miner, 'share-accepted');
    expect(dropped.map(([, d]) => d.reason)).toEqual(['client.reconnect']);
    expect(back.map(([at]) => at)).toEqual([dropped[0]?.[0]]);
    expect(b.connections[0]?.shares.some((s) => s.ok)).toBe(true);
    expect(a.connections).toHaveLength(1);
  });

  test('ignores client.reconnect without a host and port', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url, hashrate: 0 });
    await h.next(miner, 'authorized');
    pool.connections[0]?.send(line('client.reconnect', []));
    await h.next(miner, 'reconnect-ignored');
    expect(pool.connections).toHaveLength(1);
    expect(pool.connections[0]?.closed).toBe(false);
  });

  test('retries a failed connect after 30 s (--retry-pause)', async () => {
    const miner = h.miner({ profile: 'cpu', url: 'stratum+tcp://nobody.test:3333' });
    const failures: number[] = [];
    miner.on('connect-failed', () => failures.push(h.clock.now()));
    await h.until(() => failures.length >= 2, 'two failed connects', 40_000);
    expect((failures[1] as number) - (failures[0] as number)).toBe(30_000);
  });

  test('a method it does not know before the authorize answer fails the login; it tries again 30 s later', async () => {
    const pool = h.pool({
      handlers: {
        'mining.authorize': (req, conn) => {
          conn.send(line('mining.ping', [], 9));
          conn.byDefault(req);
        },
      },
    });
    const miner = h.miner({ profile: 'cpu', url: pool.url, hashrate: 0 });
    const authorized = h.record(miner, 'authorized');
    expect((await h.next(miner, 'disconnected')).reason).toBe('Stratum authentication failed');
    expect(authorized.map(([, a]) => a.ok)).toEqual([false]);
    const failedAt = h.clock.now();
    await h.next(miner, 'connected', undefined, 40_000);
    expect(h.clock.now() - failedAt).toBe(30_000);
  });

  test('answers client.get_version and takes a new difficulty from the next notify', async () => {
    const pool = h.pool({ difficulty: 3e-6 });
    const miner = h.miner({ profile: 'cpu', url: pool.url });
    await h.next(miner, 'share-accepted');
    const conn = pool.connections[0];
    conn?.send(line('client.get_version', [], 12));
    await h.until(
      () => conn?.lines.includes('{"id": 12, "error": null, "result": "cpuminer/2.5.1"}') === true,
      'the version answer',
    );
    conn?.setDifficulty(2e-6);
    await h.next(miner, 'difficulty');
    expect((await h.next(miner, 'share-sent')).targetDifficulty).toBe(3e-6);
    const jobId = conn?.notify(true);
    expect((await h.next(miner, 'share-sent', (s) => s.jobId === jobId)).targetDifficulty).toBe(2e-6);
  });
});
