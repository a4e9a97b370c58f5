/**
 * Each profile against the real pool simulator (simulator/pool) over real sockets: the one test
 * per profile that mines on the wire (its firmware behaviour is proved in memory, profiles/*.test.ts).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startPool, type PoolSimulator, type SessionClosedInfo } from '../pool/index.js';
import { startMiner } from './index.js';
import { MINER_PROFILES, type SimulatedMiner } from './types.js';

let pool: PoolSimulator | undefined;
const miners: SimulatedMiner[] = [];
afterEach(async () => {
  await Promise.all(miners.map((m) => m.stop()));
  miners.length = 0;
  await pool?.close();
  pool = undefined;
});

/**
 * Shares cost a few thousand hashes (a NerdMiner's never fewer than its prefilter's ~65k); the
 * pool clamps each miner's suggestion to this.
 */
async function lowDifficultyPool(): Promise<PoolSimulator> {
  pool = await startPool({ port: 0, difficulty: 1e-6, maxDifficulty: 1e-6 });
  return pool;
}

function miner(profile: (typeof MINER_PROFILES)[number], url: string): SimulatedMiner {
  const m = startMiner({ profile, url, worker: `sim.${profile}`, hashrate: 1_000_000, timeScale: 0.05 });
  miners.push(m);
  return m;
}

describe.each(MINER_PROFILES)('%s against the pool simulator', (profile) => {
  test('shares are accepted and the pool books them under the worker', async () => {
    const p = await lowDifficultyPool();
    const m = miner(profile, p.url);
    await m.waitFor('share-accepted');
    expect(m.stats().rejected).toBe(0);
    expect(p.stats().workers[`sim.${profile}`]?.accepted).toBeGreaterThanOrEqual(1);
  });
});

describe('client.reconnect from the pool simulator', () => {
  test('the nerdminer ignores it and stays on its session', async () => {
    const p = await lowDifficultyPool();
    const m = miner('nerdminer', p.url);
    await m.waitFor('share-accepted');
    const closed: SessionClosedInfo[] = [];
    p.on('session-close', (s) => closed.push(s));
    p.faults.inject({ action: 'reconnect', target: 'all' });
    await m.waitFor('reconnect-ignored');
    await m.waitFor('share-accepted');
    expect(p.sessions()).toHaveLength(1);
    expect(closed).toEqual([]);
    expect(m.stats().connects).toBe(1);
  });

  test('the bitaxe follows it onto a new session', async () => {
    const p = await lowDifficultyPool();
    const m = miner('bitaxe', p.url);
    await m.waitFor('share-accepted');
    const first = p.sessions()[0]?.id;
    p.faults.inject({ action: 'reconnect', target: 'all' });
    expect((await m.waitFor('disconnected')).reason).toBe('client.reconnect');
    await m.waitFor('reconnected');
    await m.waitFor('share-accepted');
    expect(p.sessions().map((s) => s.id)).not.toContain(first);
    expect(m.stats().connects).toBe(2);
  });
});
