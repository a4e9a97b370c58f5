import { afterEach, describe, expect, it } from 'vitest';
import { settle } from '../../../runtime/test-support/in-memory-line-pair.js';
import { ManualClock } from '../../../runtime/test-support/manual-clock.js';
import type { PoolServer, StartPoolOptions } from '../pool-server.js';
import { startMemoryPool } from '../pool-server.js';
import { jobFromNotify, mineShare, submitParams } from '../test-support/cpu-miner.js';
import { MemoryClient, handshake } from './test-support/memory-client.js';

const pools: PoolServer[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(o: StartPoolOptions = {}): PoolServer {
  const p = startMemoryPool({
    profile: 'ckpool',
    clock: new ManualClock(),
    jobIntervalSeconds: 0,
    blockIntervalSeconds: 0,
    ...o,
  });
  pools.push(p);
  return p;
}

describe('ckpool profile: the handshake', () => {
  it('answers subscribe with notify only, its session id, and an extranonce2 of 8; starts at 42', async () => {
    const c = new MemoryClient(pool());
    const { extranonce1 } = await handshake(c, { user: 'alice.rig1' });
    expect(c.answer(1)).toEqual({
      id: 1,
      result: [[['mining.notify', '00000001']], extranonce1, 8],
      error: null,
    });
    expect(c.notifications('mining.set_difficulty')).toEqual([[42]]);
  });

  it('resumes a closed session by its subscription id, not by its extranonce1', async () => {
    const p = pool();
    const first = new MemoryClient(p);
    const { extranonce1 } = await handshake(first, { user: 'alice.rig1' });
    first.close();
    await settle();
    const byExtranonce = new MemoryClient(p);
    const fresh = await byExtranonce.request('mining.subscribe', ['x', extranonce1]);
    expect((fresh?.result as unknown[])[1]).not.toBe(extranonce1);
    const bySession = new MemoryClient(p);
    const resumed = await bySession.request('mining.subscribe', ['x', '00000001']);
    expect((resumed?.result as unknown[])[1]).toBe(extranonce1);
  });
});

describe('ckpool profile: integer difficulties of at least 1', () => {
  it('rounds the starting difficulty and every later one, and raises anything lower to 1', async () => {
    const p = pool({ difficulty: 0.4 });
    const c = new MemoryClient(p);
    await handshake(c, { user: 'alice.rig1' });
    p.setDifficulty(2.6);
    p.setDifficulty(0.001);
    await settle();
    expect(c.notifications('mining.set_difficulty')).toEqual([[1], [3], [1]]);
  });
});

describe('ckpool profile: suggest_difficulty', () => {
  it('only after authorize, only integers, each new value; never answered, set_difficulty and no job', async () => {
    const c = new MemoryClient(pool());
    await c.request('mining.subscribe', []);
    expect(await c.request('mining.suggest_difficulty', [64])).toBeUndefined();
    expect(c.shape).toEqual(['answer:1']);
    await c.request('mining.authorize', ['alice.rig1', 'x']);
    expect(c.notifications('mining.set_difficulty')).toEqual([[42]]);
    const jobs = c.notifications('mining.notify').length;
    expect(await c.request('mining.suggest_difficulty', [64])).toBeUndefined();
    expect(await c.request('mining.suggest_difficulty', [0.5])).toBeUndefined();
    expect(await c.request('mining.suggest_difficulty', [64])).toBeUndefined();
    expect(await c.request('mining.suggest_difficulty', [128])).toBeUndefined();
    expect(c.notifications('mining.set_difficulty')).toEqual([[42], [64], [128]]);
    expect(c.notifications('mining.notify')).toHaveLength(jobs);
  });
});

describe('ckpool profile: blocks', () => {
  it('a share meeting the network target but not the session difficulty is refused, and its block found', async () => {
    const p = pool({ difficulty: 1, networkDifficulty: 1e-7 });
    const c = new MemoryClient(p);
    const { extranonce1 } = await handshake(c, { user: 'alice.rig1' });
    const notify = c.last('mining.notify');
    const share = mineShare(jobFromNotify(notify), {
      extranonce1,
      extranonce2: '0000000000000001',
      difficulty: 1e-7,
    });
    const answer = await c.request('mining.submit', submitParams('alice.rig1', notify[0] as string, share));
    expect((answer?.error as unknown[])[0]).toBe(23);
    expect(p.stats().workers['alice.rig1']).toMatchObject({
      accepted: 0,
      rejected: { 'low-difficulty': 1 },
      blocksFound: 1,
    });
    expect(c.last('mining.notify')[8]).toBe(true);
    expect(p.stats().totals.blocks).toBe(1);
  });
});
