import { createServer } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { Harness, collect, line } from '../test-support/harness.js';
import type { ShareSent } from '../types.js';
import { NERDMINER_NONCE_START } from './nerdminer.js';

const h = new Harness();
afterEach(() => h.close());

/** The smallest difficulty a hash with 16 leading zero bits can have: 0xffff / 2^32. */
const PREFILTER_FLOOR = 0xffff / 2 ** 32;

describe('nerdminer profile', () => {
  test('mines real shares the pool accepts, from nonce 0xda54e700 up', async () => {
    const pool = await h.pool({ difficulty: 3e-5 });
    const started = performance.now();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 150_000 });
    const sent = collect<ShareSent>(miner, 'share-sent');
    await miner.waitFor('share-accepted');
    await miner.waitFor('share-accepted');
    // The hashrate is a cap: never more hashes than the cap allows since start, plus one 100 ms burst.
    const elapsedS = (performance.now() - started) / 1000;
    expect(miner.stats().hashes).toBeLessThanOrEqual(150_000 * (elapsedS + 0.1) + 512);
    const conn = await pool.connection(0);
    expect(conn.shares.slice(0, 2).every((s) => s.ok)).toBe(true);
    for (const s of sent.slice(0, 2)) {
      expect(Number.parseInt(s.nonce, 16)).toBeGreaterThanOrEqual(NERDMINER_NONCE_START);
      expect(s.shareDifficulty).toBeGreaterThan(3e-5);
      expect(s.extranonce2).toBe('00000001');
      expect(s.versionBits).toBeUndefined();
    }
  });

  test('never finds shares below its 16-bit prefilter, whatever the pool asks', async () => {
    const pool = await h.pool({ difficulty: 1e-9 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    const sent = collect<ShareSent>(miner, 'share-sent');
    for (let i = 0; i < 3; i += 1) await miner.waitFor('share-accepted');
    for (const s of sent) expect(s.shareDifficulty).toBeGreaterThanOrEqual(PREFILTER_FLOOR);
  });

  test('ignores client.reconnect and keeps mining on the same connection', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    conn.send(line('client.reconnect', ['127.0.0.1', pool.port, 0]));
    expect((await miner.waitFor('reconnect-ignored')).params).toEqual(['127.0.0.1', pool.port, 0]);
    await miner.waitFor('share-accepted');
    expect(pool.connections).toHaveLength(1);
    expect(conn.closed).toBe(false);
  });

  test('ignores mining.set_extranonce and keeps its extranonce1', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await miner.waitFor('job');
    const conn = await pool.connection(0);
    conn.send(line('mining.set_extranonce', ['b1b2b3b4', 4]));
    expect((await miner.waitFor('method-ignored')).method).toBe('mining.set_extranonce');
    await miner.waitFor('share-accepted');
    expect(miner.stats().rejected).toBe(0);
  });

  test('every notify restarts work, clean_jobs or not', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await miner.waitFor('share-accepted');
    const conn = await pool.connection(0);
    const jobId = conn.notify(false);
    await miner.waitFor('job', (j) => j.jobId === jobId && !j.cleanJobs);
    const sent = collect<ShareSent>(miner, 'share-sent');
    const next = await miner.waitFor('share-sent');
    expect(next.jobId).toBe(jobId);
    expect(Number.parseInt(next.nonce, 16)).toBeGreaterThanOrEqual(NERDMINER_NONCE_START);
    expect(sent.every((s) => s.jobId === jobId)).toBe(true);
  });

  test('re-suggests 0.00015 after keepaliveMs without sending anything', async () => {
    const pool = await h.pool({ difficulty: 1 });
    h.miner({ profile: 'nerdminer', url: pool.url, timers: { keepaliveMs: 300 } });
    const conn = await pool.connection(0);
    await conn.waitForLine((l) => l === '{"id":4,"method":"mining.suggest_difficulty","params":[0.00015]}');
    expect(conn.lines.slice(2, 4)).toEqual([
      '{"id":3,"method":"mining.suggest_difficulty","params":[0.00015]}',
      '{"id":4,"method":"mining.suggest_difficulty","params":[0.00015]}',
    ]);
  });

  test('reads only one line after subscribe: a pool that talks first is dropped', async () => {
    const pool = await h.pool({ beforeSubscribeAnswer: line('mining.set_difficulty', [0.001]) });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    const drop = await miner.waitFor('disconnected');
    expect(drop.reason).toBe('subscribe answer expected');
    await pool.connection(1);
    expect(pool.linesOf(0).some((l) => l.includes('mining.authorize'))).toBe(false);
  });

  test('extranonce2 is "0000000000000001" for size 8', async () => {
    const pool = await h.pool({ extranonce2Size: 8 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await miner.waitFor('share-accepted');
    expect((await pool.connection(0)).lines.find((l) => l.includes('mining.submit'))).toContain(
      '"0000000000000001"',
    );
  });

  test('an extranonce2 size it does not know prints "Unknown extranonce2" and its shares are refused', async () => {
    const pool = await h.pool({ extranonce2Size: 3 });
    const consoleLines: string[] = [];
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, console: (l) => consoleLines.push(l) });
    const rejected = await miner.waitFor('share-rejected');
    expect(rejected.code).toBe(20);
    expect(consoleLines).toContain('Unknown extranonce2');
    expect(consoleLines.some((l) => l.startsWith('ERROR: 20 | reason: '))).toBe(true);
    expect(consoleLines).toContain(`Refuse submition ${String(rejected.id)}`);
  });

  test('drops the connection after noNotifyMs without a notify and reconnects', async () => {
    const pool = await h.pool({ difficulty: 1 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, timers: { noNotifyMs: 300 } });
    expect((await miner.waitFor('disconnected')).reason).toBe('no notify for 10 min');
    await miner.waitFor('reconnected');
    await pool.connection(1);
  });

  test('retries a failed connect after a delay drawn from its range', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const consoleLines: string[] = [];
    const miner = h.miner({
      profile: 'nerdminer',
      url: `stratum+tcp://127.0.0.1:${port}`,
      reconnectDelayMs: [20, 40],
      console: (l) => consoleLines.push(l),
    });
    await miner.waitFor('connect-failed');
    await miner.waitFor('connect-failed');
    expect(consoleLines).toContain('Imposible to connect to : 127.0.0.1');
    expect(
      consoleLines.filter((l) => l === 'Client not connected, trying to connect...').length,
    ).toBeGreaterThan(1);
  });

  test('reads a string difficulty as 0, as ArduinoJson does', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 0 });
    await miner.waitFor('job');
    (await pool.connection(0)).send(line('mining.set_difficulty', ['0.5']));
    expect((await miner.waitFor('difficulty')).difficulty).toBe(0);
  });

  test('prints the firmware serial console: boot, handshake, job, share and hashrate lines', async () => {
    const pool = await h.pool();
    const consoleLines: string[] = [];
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, console: (l) => consoleLines.push(l) });
    await miner.waitFor('share-accepted');
    await miner.waitFor('console', (l) => l.startsWith('>>> Completed '));
    expect(consoleLines[0]).toBe('NerdMiner v2 starting......');
    for (const expected of [
      '[WORKER] ==> Mining subscribe',
      '  Sending  : {"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
      '    extranonce1: a0000000',
      '    extranonce2_size: 4',
      '[WORKER] ==> Autorize work',
      '    Parsing Method [SET DIFFICULTY]',
      '    difficulty: 0.000030000000',
      '    Parsing Method [MINING NOTIFY]',
      '   - Current pool diff : 0.000030000000',
    ]) {
      expect(consoleLines).toContain(expected);
    }
    expect(consoleLines.find((l) => l.startsWith('   - TX SHARE: '))).toMatch(
      /^ {3}- TX SHARE: [0-9a-f]{60}0000$/,
    );
    expect(consoleLines.find((l) => l.startsWith('>>> Completed '))).toMatch(
      /^>>> Completed \d+ share\(s\), \d+ Khashes, avg\. hashrate \d+\.\d\d KH\/s$/,
    );
  });
});
