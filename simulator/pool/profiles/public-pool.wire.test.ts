import { describe, expect, it } from 'vitest';
import { startPool } from '../pool-server.js';
import { jobFromNotify, mineShare, submitParams } from '../test-support/cpu-miner.js';
import { poolFixture } from '../test-support/pool-fixture.js';

const USER = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa.nerd';
const fx = poolFixture();

describe('karoo pool --profile public-pool, on the wire', () => {
  it("gives a real client public-pool's answers, silences and close", async () => {
    const pool = fx.trackPool(
      await startPool({ port: 0, profile: 'public-pool', jobIntervalSeconds: 0, blockIntervalSeconds: 0 }),
    );
    const c = await fx.client(pool);
    const configure = await c.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': 'ffffffff' },
    ]);
    expect(configure.result).toEqual({ 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
    const sub = await c.request('mining.subscribe', ['NerdMinerV2/V1.8.3']);
    const en1 = (sub.result as unknown[])[1] as string;
    expect(sub.result).toEqual([[['mining.notify', en1]], en1, 4]);
    c.send({ id: 'suggest', method: 'mining.suggest_difficulty', params: [1e-6] });
    expect((await c.notification('mining.set_difficulty')).params).toEqual([1e-6]);
    expect((await c.request('mining.authorize', [USER, 'x'])).result).toBe(true);
    const job = jobFromNotify((await c.notification('mining.notify')).params);
    // Unanswered: a later suggest, ping, extranonce.subscribe. The submit after them is answered,
    // and lines arrive in order, so nothing else is coming for them.
    c.send({ id: 'again', method: 'mining.suggest_difficulty', params: [0.5] });
    c.send({ id: 'ping', method: 'mining.ping', params: [] });
    c.send({ id: 'en-sub', method: 'mining.extranonce.subscribe', params: [] });
    const low = mineShare(job, {
      extranonce1: en1,
      extranonce2: '00000001',
      difficulty: 1e-8,
      notDifficulty: 1e-6,
    });
    const refused = await c.request('mining.submit', submitParams(USER, job.jobId, low), 'low');
    expect(JSON.parse(refused.line)).toEqual({
      id: 'low',
      result: null,
      error: [23, 'Difficulty too low', ''],
    });
    for (const id of ['suggest', 'again', 'ping', 'en-sub']) expect(c.answersTo(id)).toEqual([]);
    const good = mineShare(job, { extranonce1: en1, extranonce2: '00000002', difficulty: 1e-6 });
    expect((await c.request('mining.submit', submitParams(USER, job.jobId, good))).result).toBe(true);
    expect(pool.stats().workers[USER]).toMatchObject({ accepted: 1, rejected: { 'low-difficulty': 1 } });
    const before = c.receivedCount;
    c.sendLine('this is not json');
    await c.waitClosed();
    expect(c.receivedCount).toBe(before);
  });
});
