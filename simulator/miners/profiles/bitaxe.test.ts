/**
 * The Bitaxe (ESP-Miner) profile in memory: a manual clock runs its timers at their real values
 * (the 500 ms ASIC job interval, 1 s before a reconnect, 5 s after a failed connect) and every
 * share is a real sha256d search against a scripted pool. The bytes over a real socket:
 * session-fixtures.wire.test.ts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryHarness, collect, line } from '../test-support/memory-harness.js';
import type { ShareSent } from '../types.js';

let h = new MemoryHarness();
afterEach(async () => {
  await h.close();
  h = new MemoryHarness();
});

const submitParams = (l: string): string[] => (JSON.parse(l) as { params: string[] }).params;

describe('bitaxe profile', () => {
  test('configures, subscribes and authorizes back to back; suggests 1000 only once authorize is answered', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, hashrate: 0 });
    const order: string[] = [];
    miner.on('tx', (e) => order.push(`tx ${e.line}`));
    miner.on('rx', (e) => order.push(`rx ${e.line}`));
    await h.until(() => order.some((l) => l.includes('mining.suggest_difficulty')), 'the suggest');
    expect(order.slice(0, 3)).toEqual([
      'tx {"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}',
      'tx {"id":2,"method":"mining.subscribe","params":["bitaxe/BM1370/v2.9.0"]}',
      'tx {"id":3,"method":"mining.authorize","params":["test.bitaxe","x"]}',
    ]);
    const authAnswer = order.indexOf('rx {"id":3,"result":true,"error":null}');
    const suggest = order.indexOf('tx {"id":4,"method":"mining.suggest_difficulty","params":[1000]}');
    expect(authAnswer).toBeGreaterThan(-1);
    expect(suggest).toBeGreaterThan(authAnswer);
  });

  test('sends 6-param submits with version bits inside the granted mask; the pool accepts them', async () => {
    const pool = h.pool({ versionMask: 0x1fffe000 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    for (let i = 0; i < 3; i += 1) await h.next(miner, 'share-accepted');
    const conn = pool.connections[0];
    const submits = (conn?.lines ?? []).filter((l) => l.includes('mining.submit')).map(submitParams);
    expect(submits.length).toBeGreaterThanOrEqual(3);
    for (const p of submits) {
      expect(p).toHaveLength(6);
      expect(p[3]).toMatch(/^[0-9a-f]{8}$/);
      expect(p[4]).toMatch(/^[0-9a-f]{8}$/);
      expect((Number.parseInt(p[5] as string, 16) & ~0x1fffe000) >>> 0).toBe(0);
    }
    expect(conn?.shares.every((s) => s.ok)).toBe(true);
  });

  test('without a granted mask the version bits are 00000000 and shares still pass', async () => {
    const pool = h.pool({ versionMask: 0 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    const share = await h.next(miner, 'share-sent');
    expect(share.versionBits).toBe('00000000');
    await h.next(miner, 'share-accepted');
  });

  test('follows client.reconnect: closes, waits 1 s, reconnects to the same pool whatever host it names', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    await h.next(miner, 'share-accepted');
    pool.connections[0]?.send(line('client.reconnect', ['elsewhere.example', 9999, 0]));
    expect((await h.next(miner, 'disconnected')).reason).toBe('client.reconnect');
    const droppedAt = h.clock.now();
    const back = await h.next(miner, 'reconnected');
    expect(back.attempt).toBe(2);
    expect(h.clock.now() - droppedAt).toBe(1000);
    const address = `${pool.host}:${pool.port}`;
    expect(h.network.dials).toEqual([address, address]);
    expect(pool.linesOf(1)[0]).toContain('"mining.configure"');
    await h.next(miner, 'share-accepted');
  });

  test('retries a failed connect after 5 s', async () => {
    const miner = h.miner({ profile: 'bitaxe', url: 'stratum+tcp://nobody.test:3333' });
    const failures: number[] = [];
    miner.on('connect-failed', () => failures.push(h.clock.now()));
    await h.until(() => failures.length >= 2, 'two failed connects');
    expect((failures[1] as number) - (failures[0] as number)).toBe(5000);
  });

  test('answers mining.ping with a pong request and client.get_version with its version', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, hashrate: 0 });
    await h.next(miner, 'authorized');
    const conn = pool.connections[0];
    conn?.send(line('mining.ping', [], 7));
    conn?.send(line('client.get_version', [], 8));
    await h.until(() => (conn?.lines.length ?? 0) >= 6, 'the two answers');
    expect(conn?.lines.slice(4)).toEqual([
      '{"id":7,"method":"pong","params":[]}',
      '{"id":8,"result":"v2.9.0","error":null}',
    ]);
  });

  test('honours set_extranonce: shares after the next clean job use the new extranonce1', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    await h.next(miner, 'share-accepted');
    const conn = pool.connections[0];
    conn?.setExtranonce('b1b2b3b4', 4);
    const jobId = conn?.notify(true);
    await h.next(miner, 'share-accepted', (s) => s.jobId === jobId);
    expect(conn?.shares.filter((s) => s.jobId === jobId).every((s) => s.ok)).toBe(true);
  });

  test('honours clean_jobs: a non-clean job waits for the next 500 ms ASIC job, a clean one switches at once', async () => {
    const pool = h.pool({ difficulty: 1e-6 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, hashrate: 100_000 });
    const first = await h.next(miner, 'job');
    const firstJobAt = h.clock.now();
    await h.next(miner, 'share-accepted');
    await h.pass(120);
    const conn = pool.connections[0];
    const sent: [number, ShareSent][] = [];
    miner.on('share-sent', (s) => sent.push([h.clock.now(), s]));
    const lazy = conn?.notify(false);
    const notifiedAt = h.clock.now();
    await h.next(miner, 'job', (j) => j.jobId === lazy);
    await h.next(miner, 'share-sent', (s) => s.jobId === lazy);
    const switchedAt = h.clock.now();
    const nextAsicJob = firstJobAt + Math.ceil((notifiedAt - firstJobAt) / 500) * 500;
    expect(switchedAt).toBeGreaterThanOrEqual(nextAsicJob);
    const meanwhile = sent.filter(([at]) => at < nextAsicJob).map(([, s]) => s.jobId);
    expect(meanwhile.length).toBeGreaterThan(0);
    expect(new Set(meanwhile)).toEqual(new Set([first.jobId]));

    const clean = conn?.notify(true);
    await h.next(miner, 'job', (j) => j.jobId === clean);
    const after = collect<ShareSent>(miner, 'share-sent');
    await h.next(miner, 'share-accepted', (s) => s.jobId === clean);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.jobId === clean)).toBe(true);
  });

  test('a new difficulty applies from the next job', async () => {
    const pool = h.pool({ difficulty: 3e-6 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, timers: { jobIntervalMs: 60_000 } });
    await h.next(miner, 'share-accepted');
    const conn = pool.connections[0];
    conn?.setDifficulty(2e-6);
    await h.next(miner, 'difficulty', (d) => d.difficulty === 2e-6);
    expect((await h.next(miner, 'share-sent')).targetDifficulty).toBe(3e-6);
    const jobId = conn?.notify(true);
    expect((await h.next(miner, 'share-sent', (s) => s.jobId === jobId)).targetDifficulty).toBe(2e-6);
  });
});
