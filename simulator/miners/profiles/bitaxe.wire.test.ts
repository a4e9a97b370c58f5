import { afterEach, describe, expect, test } from 'vitest';
import { Harness, collect, line } from '../test-support/harness.js';
import type { ShareSent } from '../types.js';

const h = new Harness();
afterEach(() => h.close());

const submitParams = (l: string): string[] => (JSON.parse(l) as { params: string[] }).params;

describe('bitaxe profile', () => {
  test('suggests difficulty 1000 only once authorize is answered', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    const order: string[] = [];
    miner.on('tx', (e) => order.push(`tx ${e.line}`));
    miner.on('rx', (e) => order.push(`rx ${e.line}`));
    const conn = await pool.connection(0);
    await conn.waitForLine((l) => l.includes('mining.suggest_difficulty'));
    const authAnswer = order.indexOf('rx {"id":3,"result":true,"error":null}');
    const suggest = order.indexOf('tx {"id":4,"method":"mining.suggest_difficulty","params":[1000]}');
    expect(authAnswer).toBeGreaterThan(-1);
    expect(suggest).toBeGreaterThan(authAnswer);
  });

  test('sends 6-param submits with version bits inside the granted mask; the pool accepts them', async () => {
    const pool = await h.pool({ versionMask: 0x1fffe000 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    for (let i = 0; i < 3; i += 1) await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    const submits = conn.lines.filter((l) => l.includes('mining.submit')).map(submitParams);
    expect(submits.length).toBeGreaterThanOrEqual(3);
    for (const p of submits) {
      expect(p).toHaveLength(6);
      expect(p[3]).toMatch(/^[0-9a-f]{8}$/);
      expect(p[4]).toMatch(/^[0-9a-f]{8}$/);
      expect((Number.parseInt(p[5] as string, 16) & ~0x1fffe000) >>> 0).toBe(0);
    }
    expect(conn.shares.every((s) => s.ok)).toBe(true);
  });

  test('without a granted mask the version bits are 00000000 and shares still pass', async () => {
    const pool = await h.pool({ versionMask: 0 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    const share = await miner.waitFor('share-sent');
    expect(share.versionBits).toBe('00000000');
    await miner.waitFor('share-accepted');
  });

  test('follows client.reconnect: closes, waits, reconnects to the same pool', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, timeScale: 0.05 });
    await miner.waitFor('share-accepted');
    (await pool.connection(0)).send(line('client.reconnect', ['elsewhere.example', 9999, 0]));
    expect((await miner.waitFor('disconnected')).reason).toBe('client.reconnect');
    const back = await miner.waitFor('reconnected');
    expect(back.attempt).toBe(2);
    const conn = await pool.connection(1);
    await conn.waitForLine((l) => l.includes('"mining.configure"'));
    await miner.waitFor('share-accepted');
  });

  test('answers mining.ping with a pong request and client.get_version with its version', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, hashrate: 0 });
    await miner.waitFor('authorized');
    const conn = await pool.connection(0);
    conn.send(line('mining.ping', [], 7));
    conn.send(line('client.get_version', [], 8));
    await conn.waitForLine((l) => l === '{"id":7,"method":"pong","params":[]}');
    await conn.waitForLine((l) => l === '{"id":8,"result":"v2.9.0","error":null}');
  });

  test('honours set_extranonce: shares after the next clean job use the new extranonce1', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url });
    await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    conn.setExtranonce('b1b2b3b4', 4);
    const jobId = conn.notify(true);
    await miner.waitFor('share-accepted', (s) => s.jobId === jobId);
    expect(conn.shares.filter((s) => s.jobId === jobId).every((s) => s.ok)).toBe(true);
  });

  test('honours clean_jobs: a non-clean job waits for the next ASIC job interval, a clean one switches at once', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, timers: { jobIntervalMs: 60_000 } });
    const first = await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    const lazy = conn.notify(false);
    await miner.waitFor('job', (j) => j.jobId === lazy);
    expect((await miner.waitFor('share-sent')).jobId).toBe(first.jobId);
    const clean = conn.notify(true);
    await miner.waitFor('job', (j) => j.jobId === clean);
    const after = collect<ShareSent>(miner, 'share-sent');
    await miner.waitFor('share-accepted', (s) => s.jobId === clean);
    expect(after.every((s) => s.jobId === clean)).toBe(true);
  });

  test('a new difficulty applies from the next job', async () => {
    const pool = await h.pool({ difficulty: 3e-5 });
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, timers: { jobIntervalMs: 60_000 } });
    await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    conn.setDifficulty(2e-5);
    await miner.waitFor('difficulty', (d) => d.difficulty === 2e-5);
    expect((await miner.waitFor('share-sent')).targetDifficulty).toBe(3e-5);
    const jobId = conn.notify(true);
    expect((await miner.waitFor('share-sent', (s) => s.jobId === jobId)).targetDifficulty).toBe(2e-5);
  });
});
