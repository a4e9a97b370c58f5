import { afterEach, describe, expect, it } from 'vitest';
import { settle } from '../../../runtime/test-support/in-memory-line-pair.js';
import { ManualClock } from '../../../runtime/test-support/manual-clock.js';
import type { PoolServer, StartPoolOptions } from '../pool-server.js';
import { startMemoryPool } from '../pool-server.js';
import { jobFromNotify, mineShare, submitParams } from '../test-support/cpu-miner.js';
import type { FoundShare } from '../test-support/cpu-miner.js';
import { MemoryClient, handshake } from './test-support/memory-client.js';

const USER = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.rig1';
const pools: PoolServer[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(o: StartPoolOptions = {}): PoolServer {
  const p = startMemoryPool({
    profile: 'public-pool',
    clock: new ManualClock(),
    blockIntervalSeconds: 0,
    ...o,
  });
  pools.push(p);
  return p;
}

/** A share for the client's latest job, meeting `difficulty` (and not `notDifficulty`). */
function share(c: MemoryClient, en1: string, o: { difficulty: number; notDifficulty?: number }): FoundShare {
  return mineShare(jobFromNotify(c.last('mining.notify')), {
    extranonce1: en1,
    extranonce2: '00000001',
    ...o,
  });
}

describe('public-pool profile: the handshake', () => {
  it('answers subscribe with notify only, its extranonce1 as the id, and an extranonce2 of 4', async () => {
    const p = pool();
    const a = new MemoryClient(p);
    const b = new MemoryClient(p);
    const answer = await a.request('mining.subscribe', ['NerdMinerV2/V1.8.3']);
    const [, en1] = answer?.result as [unknown, string];
    expect(en1).toMatch(/^[0-9a-f]{8}$/);
    expect(answer).toEqual({ id: 1, result: [[['mining.notify', en1]], en1, 4], error: null });
    const other = await b.request('mining.subscribe', []);
    expect((other?.result as unknown[])[1]).not.toBe(en1);
  });

  it('starts at 16384, and at 0.1 for a cpuminer', async () => {
    const p = pool();
    const nerd = new MemoryClient(p);
    await handshake(nerd, { user: USER, agent: 'NerdMinerV2/V1.8.3' });
    expect(nerd.shape).toEqual(['answer:1', 'answer:2', 'mining.set_difficulty', 'mining.notify']);
    expect(nerd.last('mining.set_difficulty')).toEqual([16384]);
    const cpu = new MemoryClient(p);
    await handshake(cpu, { user: USER, agent: 'cpuminer/2.5.1' });
    expect(cpu.last('mining.set_difficulty')).toEqual([0.1]);
  });

  it('refuses a user that is not ADDRESS[.worker]', async () => {
    const c = new MemoryClient(pool());
    await c.request('mining.subscribe', []);
    expect(await c.request('mining.authorize', ['alice.rig1', 'x'])).toEqual({
      id: 2,
      result: null,
      error: [20, 'Authorization validation error', ''],
    });
    expect(c.notifications('mining.notify')).toEqual([]);
  });

  it('grants mask 1fffe000 whatever was asked', async () => {
    const c = new MemoryClient(pool());
    for (const mask of ['ffffffff', '00000001']) {
      const answer = await c.request('mining.configure', [
        ['version-rolling', 'minimum-difficulty'],
        { 'version-rolling.mask': mask, 'version-rolling.min-bit-count': 2 },
      ]);
      expect(answer?.result).toEqual({ 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
    }
  });
});

describe('public-pool profile: suggest_difficulty', () => {
  it('honours the first, any value, even before authorize, answered only by set_difficulty; later ones get nothing', async () => {
    const c = new MemoryClient(pool());
    await c.request('mining.subscribe', []);
    expect(await c.request('mining.suggest_difficulty', [1e-9])).toBeUndefined();
    await c.request('mining.authorize', [USER, 'x']);
    expect(c.shape).toEqual(['answer:1', 'mining.set_difficulty', 'answer:3', 'mining.notify']);
    expect(c.last('mining.set_difficulty')).toEqual([1e-9]);
    const before = c.lines.length;
    expect(await c.request('mining.suggest_difficulty', [0.5])).toBeUndefined();
    expect(c.lines.length).toBe(before);
  });

  it('once working: set_difficulty and no job, and the new difficulty judges shares at once', async () => {
    const p = pool({ difficulty: 1e-6 });
    const c = new MemoryClient(p);
    const { extranonce1 } = await handshake(c, { user: USER });
    const easy = share(c, extranonce1, { difficulty: 1e-6, notDifficulty: 1e-4 });
    await c.request('mining.suggest_difficulty', [1e-4]);
    expect(c.shape.slice(-1)).toEqual(['mining.set_difficulty']);
    expect(c.notifications('mining.notify')).toHaveLength(1);
    const answer = await c.request(
      'mining.submit',
      submitParams(USER, c.last('mining.notify')[0] as string, easy),
    );
    expect(answer?.error).toEqual([23, 'Difficulty too low', '']);
  });
});

describe('public-pool profile: what it leaves unanswered or closes', () => {
  it('answers no mining.ping, mining.extranonce.subscribe or unknown method, and stays open', async () => {
    const c = new MemoryClient(pool());
    expect(await c.request('mining.ping', [])).toBeUndefined();
    expect(await c.request('mining.extranonce.subscribe', [])).toBeUndefined();
    expect(await c.request('mining.get_transactions', ['1'])).toBeUndefined();
    expect(c.lines).toEqual([]);
    expect(await c.request('mining.subscribe', [])).toBeDefined();
  });

  it('closes on a line that is not JSON, with no answer', async () => {
    const c = new MemoryClient(pool());
    c.sendLine('{"id":1,"method":');
    await settle();
    expect(c.closed).toBe(true);
    expect(c.lines).toEqual([]);
  });

  it('closes on a submit before subscribe and authorize, with no answer', async () => {
    const c = new MemoryClient(pool());
    await c.request('mining.subscribe', []);
    await c.request('mining.submit', [USER, '1', '00000000', '00000000', '00000000']);
    expect(c.closed).toBe(true);
    expect(c.shape).toEqual(['answer:1']);
  });
});

describe('public-pool profile: refused shares', () => {
  it('answers [code, its message, ""]', async () => {
    const p = pool({ difficulty: 1e-6 });
    const c = new MemoryClient(p);
    const { extranonce1 } = await handshake(c, { user: USER });
    const jobId = c.last('mining.notify')[0] as string;
    const good = share(c, extranonce1, { difficulty: 1e-6 });
    const low = share(c, extranonce1, { difficulty: 1e-8, notDifficulty: 1e-6 });
    const errors = async (params: unknown[]) => (await c.request('mining.submit', params))?.error;
    expect(await errors(submitParams(USER, 'ffff', good))).toEqual([21, 'Job not found', '']);
    expect(await errors(submitParams(USER, jobId, good))).toBeNull();
    expect(await errors(submitParams(USER, jobId, good))).toEqual([22, 'Duplicate share', '']);
    expect(await errors(submitParams(USER, jobId, low))).toEqual([23, 'Difficulty too low', '']);
    expect(await errors([USER, jobId, 'zz', '00000000', '00000000'])).toEqual([
      20,
      'Mining Submit validation error',
      '',
    ]);
  });
});

describe('public-pool profile: its own vardiff', () => {
  it('every 60 s; a session older than a minute with under 5 shares gets a sixth, as a power of two, with a clean job', async () => {
    const clock = new ManualClock();
    const p = pool({ clock });
    const c = new MemoryClient(p);
    await handshake(c, { user: USER });
    await clock.tick(60_000);
    // 60 s old is not older than a minute.
    expect(c.notifications('mining.set_difficulty')).toEqual([[16384]]);
    await clock.tick(60_000);
    expect(c.notifications('mining.set_difficulty')).toEqual([[16384], [2048]]);
    expect(c.shape.slice(-2)).toEqual(['mining.set_difficulty', 'mining.notify']);
    expect(c.last('mining.notify')[8]).toBe(true);
    await clock.tick(60_000);
    expect(c.last('mining.set_difficulty')).toEqual([256]);
  });
});

describe('public-pool profile: blocks', () => {
  it('a share meeting the network target but not the session difficulty is refused and finds no block', async () => {
    const p = pool({ difficulty: 1e-6, networkDifficulty: 1e-7 });
    const c = new MemoryClient(p);
    const { extranonce1 } = await handshake(c, { user: USER });
    const jobId = c.last('mining.notify')[0] as string;
    const below = share(c, extranonce1, { difficulty: 1e-7, notDifficulty: 1e-6 });
    expect((await c.request('mining.submit', submitParams(USER, jobId, below)))?.error).toEqual([
      23,
      'Difficulty too low',
      '',
    ]);
    expect(p.stats().totals).toMatchObject({ blocksFound: 0, blocks: 0 });
    const block = share(c, extranonce1, { difficulty: 1e-6 });
    expect((await c.request('mining.submit', submitParams(USER, jobId, block)))?.result).toBe(true);
    expect(p.stats().workers[USER]).toMatchObject({ accepted: 1, blocksFound: 1 });
    expect(p.stats().totals).toMatchObject({ blocksFound: 1, blocks: 1 });
    // The next block starts at once: a clean job on a new previous block.
    const [next] = c.notifications('mining.notify').slice(-1);
    expect(next?.[8]).toBe(true);
    expect(next?.[1]).not.toBe(c.notifications('mining.notify')[0]?.[1]);
  });
});
