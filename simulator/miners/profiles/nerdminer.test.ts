/**
 * The NerdMiner profile in memory: a manual clock runs the firmware's own timers at their real
 * values (200 ms handshake waits, the 1 s subscribe read, the 30 s keepalive, 60 s without
 * hashing, 10 min without a notify, 1-60 s after a failed connect) and every share is a real
 * sha256d search against a scripted pool. The bytes over a real socket: session-fixtures.wire.test.ts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { MemoryHarness, collect, line } from '../test-support/memory-harness.js';
import type { ShareSent } from '../types.js';
import { NERDMINER_NONCE_START } from './nerdminer.js';

let h = new MemoryHarness();
afterEach(async () => {
  await h.close();
  h = new MemoryHarness();
});

/** The smallest difficulty a hash with 16 leading zero bits can have: 0xffff / 2^32. */
const PREFILTER_FLOOR = 0xffff / 2 ** 32;
const SUGGEST_3 = '{"id":3,"method":"mining.suggest_difficulty","params":[0.00015]}';
const SUGGEST_4 = '{"id":4,"method":"mining.suggest_difficulty","params":[0.00015]}';

describe('nerdminer profile', () => {
  test('mines real shares the pool accepts, from nonce 0xda54e700 up, never above its hashrate cap', async () => {
    const pool = h.pool({ difficulty: 3e-5 });
    const started = h.clock.now();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 150_000 });
    const sent = collect<ShareSent>(miner, 'share-sent');
    await h.next(miner, 'share-accepted');
    await h.next(miner, 'share-accepted');
    // Hashing is paced by the simulated clock: the cap times the time gone by, to the hash.
    expect(miner.stats().hashes).toBeLessThanOrEqual((150_000 * (h.clock.now() - started)) / 1000);
    const before = miner.stats().hashes;
    await h.pass(1000);
    expect(miner.stats().hashes - before).toBeGreaterThan(150_000 * 0.85);
    expect(miner.stats().hashes - before).toBeLessThanOrEqual(150_000 * 1.1);
    const conn = pool.connections[0];
    expect(conn?.shares.slice(0, 2).every((s) => s.ok)).toBe(true);
    for (const s of sent.slice(0, 2)) {
      expect(Number.parseInt(s.nonce, 16)).toBeGreaterThanOrEqual(NERDMINER_NONCE_START);
      expect(s.shareDifficulty).toBeGreaterThan(3e-5);
      expect(s.extranonce2).toBe('00000001');
      expect(s.versionBits).toBeUndefined();
    }
  });

  test('never finds shares below its 16-bit prefilter, whatever the pool asks', async () => {
    const pool = h.pool({ difficulty: 1e-9 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    const sent = collect<ShareSent>(miner, 'share-sent');
    for (let i = 0; i < 3; i += 1) await h.next(miner, 'share-accepted');
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const s of sent) expect(s.shareDifficulty).toBeGreaterThanOrEqual(PREFILTER_FLOOR);
  });

  test('ignores client.reconnect and keeps mining on the same connection', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await h.next(miner, 'share-accepted');
    const conn = pool.connections[0];
    conn?.send(line('client.reconnect', [pool.host, pool.port, 0]));
    expect((await h.next(miner, 'reconnect-ignored')).params).toEqual([pool.host, pool.port, 0]);
    await h.next(miner, 'share-accepted');
    expect(pool.connections).toHaveLength(1);
    expect(conn?.closed).toBe(false);
  });

  test('ignores mining.set_extranonce and keeps its extranonce1', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await h.next(miner, 'job');
    pool.connections[0]?.send(line('mining.set_extranonce', ['b1b2b3b4', 4]));
    expect((await h.next(miner, 'method-ignored')).method).toBe('mining.set_extranonce');
    await h.next(miner, 'share-accepted');
    expect(miner.stats().rejected).toBe(0);
  });

  test('every notify restarts work, clean_jobs or not', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await h.next(miner, 'share-accepted');
    const jobId = pool.connections[0]?.notify(false);
    const sent = collect<ShareSent>(miner, 'share-sent');
    await h.next(miner, 'job', (j) => j.jobId === jobId && !j.cleanJobs);
    const next = await h.next(miner, 'share-sent');
    expect(next.jobId).toBe(jobId);
    expect(Number.parseInt(next.nonce, 16)).toBeGreaterThanOrEqual(NERDMINER_NONCE_START);
    expect(sent.every((s) => s.jobId === jobId)).toBe(true);
  });

  test('handshake: 200 ms after subscribe it reads the answer, authorizes, and suggests 200 ms later', async () => {
    const pool = h.pool({ difficulty: 1 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 0 });
    const tx: [number, string][] = [];
    miner.on('tx', (e) => tx.push([h.clock.now(), e.line]));
    await h.until(() => tx.length >= 3, 'three lines sent');
    const [subscribe, authorize, suggest] = tx as [[number, string], [number, string], [number, string]];
    expect(subscribe[1]).toBe('{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}');
    expect(authorize[1]).toBe('{"params": ["test.nerdminer", "x"], "id": 2, "method": "mining.authorize"}');
    expect(suggest[1]).toBe(SUGGEST_3);
    expect(authorize[0] - subscribe[0]).toBe(200);
    expect(suggest[0] - authorize[0]).toBe(200);
  });

  test('re-suggests 0.00015 after 30 s without sending anything', async () => {
    const pool = h.pool({ difficulty: 1 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 0 });
    const tx: [number, string][] = [];
    miner.on('tx', (e) => tx.push([h.clock.now(), e.line]));
    await h.until(() => tx.some(([, l]) => l === SUGGEST_4), 'the keepalive suggest', 40_000);
    const first = tx.find(([, l]) => l === SUGGEST_3) as [number, string];
    const again = tx.find(([, l]) => l === SUGGEST_4) as [number, string];
    expect(again[0] - first[0]).toBe(30_000);
    expect(pool.connections[0]?.lines.slice(2, 4)).toEqual([SUGGEST_3, SUGGEST_4]);
  });

  test('drops the connection after 60 s without hashing', async () => {
    const pool = h.pool({ difficulty: 1 });
    const consoleLines: string[] = [];
    const miner = h.miner({
      profile: 'nerdminer',
      url: pool.url,
      hashrate: 0,
      console: (l) => consoleLines.push(l),
    });
    await h.next(miner, 'job');
    const miningSince = h.clock.now();
    expect((await h.next(miner, 'disconnected', undefined, 70_000)).reason).toBe('no hashing for 60 s');
    expect(h.clock.now() - miningSince).toBe(60_000);
    expect(consoleLines).toContain(
      '  Detected more than 2 min without data form stratum server. Closing socket and reopening...',
    );
  });

  test('reads only one line after subscribe: a pool that talks first is dropped, and it reconnects 50 ms later', async () => {
    const pool = h.pool({
      handlers: {
        'mining.subscribe': (req, conn) => {
          conn.send(line('mining.set_difficulty', [0.001]));
          conn.byDefault(req);
        },
      },
    });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    expect((await h.next(miner, 'disconnected')).reason).toBe('subscribe answer expected');
    const droppedAt = h.clock.now();
    await h.next(miner, 'connected');
    expect(h.clock.now() - droppedAt).toBe(50);
    expect(pool.connections).toHaveLength(2);
    expect(pool.linesOf(0).some((l) => l.includes('mining.authorize'))).toBe(false);
  });

  test('a pool that does not answer subscribe is dropped after the 200 ms wait and the 1 s read timeout', async () => {
    const pool = h.pool({ handlers: { 'mining.subscribe': () => undefined } });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await h.next(miner, 'connected');
    const connectedAt = h.clock.now();
    expect((await h.next(miner, 'disconnected')).reason).toBe('no subscribe answer');
    expect(h.clock.now() - connectedAt).toBe(1200);
  });

  test('extranonce2 is "0000000000000001" for size 8', async () => {
    const pool = h.pool({ extranonce2Size: 8 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url });
    await h.next(miner, 'share-accepted');
    expect(pool.linesOf(0).find((l) => l.includes('mining.submit'))).toContain('"0000000000000001"');
  });

  test('an extranonce2 size it does not know prints "Unknown extranonce2" and its shares are refused', async () => {
    const pool = h.pool({ extranonce2Size: 3 });
    const consoleLines: string[] = [];
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, console: (l) => consoleLines.push(l) });
    const rejected = await h.next(miner, 'share-rejected');
    expect(rejected.code).toBe(20);
    expect(consoleLines).toContain('Unknown extranonce2');
    expect(consoleLines.some((l) => l.startsWith('ERROR: 20 | reason: '))).toBe(true);
    expect(consoleLines).toContain(`Refuse submition ${String(rejected.id)}`);
  });

  test('drops the connection 10 min after the last notify and reconnects', async () => {
    // Any hashing at all keeps the 60 s no-hashing check quiet; the pool's difficulty finds nothing.
    const pool = h.pool({ difficulty: 1 });
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 100 });
    await h.next(miner, 'job');
    const lastJobAt = h.clock.now();
    expect((await h.next(miner, 'disconnected', undefined, 11 * 60_000)).reason).toBe('no notify for 10 min');
    expect(h.clock.now() - lastJobAt).toBe(10 * 60_000);
    await h.next(miner, 'reconnected');
    expect(pool.connections).toHaveLength(2);
  });

  test('retries a failed connect after a random 1-60 s', async () => {
    const consoleLines: string[] = [];
    const miner = h.miner({
      profile: 'nerdminer',
      url: 'stratum+tcp://nobody.test:3333',
      console: (l) => consoleLines.push(l),
    });
    const failures: number[] = [];
    miner.on('connect-failed', (e) => {
      expect(e.message).toBe('connect ECONNREFUSED nobody.test:3333');
      failures.push(h.clock.now());
    });
    await h.until(() => failures.length >= 3, 'three failed connects', 130_000);
    const [a, b, c] = failures as [number, number, number];
    for (const gap of [b - a, c - b]) {
      expect(gap).toBeGreaterThanOrEqual(1000);
      expect(gap).toBeLessThanOrEqual(60_000);
    }
    expect(b - a).not.toBe(c - b);
    expect(consoleLines).toContain('Imposible to connect to : nobody.test');
    expect(consoleLines.filter((l) => l === 'Client not connected, trying to connect...')).toHaveLength(3);
  });

  test('reads a string difficulty as 0, as ArduinoJson does', async () => {
    const pool = h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, hashrate: 0 });
    await h.next(miner, 'job');
    pool.connections[0]?.send(line('mining.set_difficulty', ['0.5']));
    expect((await h.next(miner, 'difficulty')).difficulty).toBe(0);
  });

  test('prints the firmware serial console: boot, handshake, job, share and a hashrate line every second', async () => {
    const pool = h.pool({ difficulty: 3e-5 });
    const consoleLines: [number, string][] = [];
    const miner = h.miner({
      profile: 'nerdminer',
      url: pool.url,
      hashrate: 100_000,
      console: (l) => consoleLines.push([h.clock.now(), l]),
    });
    const started = h.clock.now();
    await h.next(miner, 'share-accepted');
    const rateLines = (): [number, string][] =>
      consoleLines.filter(([, l]) => l.startsWith('>>> Completed '));
    await h.until(() => rateLines().length >= 2, 'two hashrate lines');
    const text = consoleLines.map(([, l]) => l);
    expect(text[0]).toBe('NerdMiner v2 starting......');
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
      expect(text).toContain(expected);
    }
    expect(text.find((l) => l.startsWith('   - TX SHARE: '))).toMatch(/^ {3}- TX SHARE: [0-9a-f]{60}0000$/);
    const rates = rateLines();
    rates.forEach(([at], i) => expect(at - started).toBe(1000 * (i + 1)));
    for (const [, l] of rates) {
      expect(l).toMatch(/^>>> Completed \d+ share\(s\), \d+ Khashes, avg\. hashrate \d+\.\d\d KH\/s$/);
    }
  });
});
