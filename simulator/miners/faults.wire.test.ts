import { afterEach, describe, expect, test } from 'vitest';
import { Harness, collect, line } from './test-support/harness.js';
import type { ShareRejection } from './types.js';

const h = new Harness();
afterEach(() => h.close());

describe('fault modes', () => {
  test('bad shares are refused as low difficulty', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url, faults: { badShareEvery: 1 } });
    const sent = await miner.waitFor('share-sent');
    expect(sent.fault).toBe('bad');
    expect((await miner.waitFor('share-rejected')).code).toBe(23);
    expect(miner.stats().accepted).toBe(0);
  });

  test('stale shares are refused as job not found', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'bitaxe', url: pool.url, faults: { staleShareEvery: 2 } });
    const rejection = await miner.waitFor('share-rejected');
    expect(rejection.code).toBe(21);
    expect(miner.stats().rejectedByReason).toEqual({ '21 Job not found (=stale)': 1 });
  });

  test('duplicates: the copy is refused, the original accepted', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'nerdminer', url: pool.url, faults: { duplicateEvery: 1 } });
    const rejected = collect<ShareRejection>(miner, 'share-rejected');
    await miner.waitFor('share-rejected');
    expect(rejected[0]?.code).toBe(22);
    expect(miner.stats().accepted).toBeGreaterThanOrEqual(1);
  });

  test('a malformed line goes out before each share; mining carries on', async () => {
    const pool = await h.pool();
    const miner = h.miner({ profile: 'cpu', url: pool.url, faults: { malformedLineEvery: 1 } });
    await miner.waitFor('share-accepted');
    const lines = (await pool.connection(0)).lines;
    const bad = lines.findIndex((l) => l.endsWith(',') && l.includes('mining.submit'));
    expect(bad).toBeGreaterThan(-1);
    expect(lines[bad + 1]).toContain('"method": "mining.submit"');
  });

  test('a slow reader leaves lines unread for pauseMs after each one it reads', async () => {
    const pool = await h.pool();
    const miner = h.miner({
      profile: 'cpu',
      url: pool.url,
      hashrate: 0,
      faults: { slowReader: { pauseMs: 300 } },
    });
    await miner.waitFor('authorized');
    await miner.waitFor('job');
    const conn = await pool.connection(0);
    conn.send(line('client.show_message', ['first']));
    await miner.waitFor('rx', (r) => r.line.includes('first'));
    const sentAt = performance.now();
    conn.send(line('client.show_message', ['second']));
    await miner.waitFor('rx', (r) => r.line.includes('second'));
    // A lower bound: a loaded machine can only make the gap longer.
    expect(performance.now() - sentAt).toBeGreaterThanOrEqual(250);
  });
});
