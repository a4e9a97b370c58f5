import { describe, expect, it } from 'vitest';
import { codeOf, findShare, submit } from './test-support/pool-harness.js';
import { poolFixture } from './test-support/pool-fixture.js';

const fx = poolFixture();

describe('two pools in one process', () => {
  it('share no state: ports, books, jobs, blocks, faults and sessions are their own', async () => {
    const a = await fx.pool({ http: { host: '127.0.0.1', port: 0 } });
    const b = await fx.pool({ http: { host: '127.0.0.1', port: 0 } });
    expect(a.port).not.toBe(b.port);
    expect(a.httpUrl).not.toBe(b.httpUrl);
    const ma = await fx.miner(a, { worker: 'same-name' });
    const mb = await fx.miner(b, { worker: 'same-name' });
    expect(ma.job.jobId).not.toBe(mb.job.jobId);
    expect(ma.job.prevhash).not.toBe(mb.job.prevhash);

    expect(codeOf(await submit(ma, findShare(ma)))).toBeNull();
    expect(a.stats().workers['same-name']?.accepted).toBe(1);
    expect(b.stats().workers['same-name']).toBeUndefined();
    // A job of pool A means nothing to pool B.
    expect(codeOf(await submit(mb, findShare(mb, { job: ma.job }), ma.job.jobId))).toBe(21);

    const bJob = b.currentJob();
    a.newBlock();
    expect(b.currentJob()).toEqual(bJob);
    expect(b.stats().totals.blocks).toBe(0);

    a.faults.inject({ action: 'stall' });
    expect(b.faults.list()).toEqual([]);
    b.newJob();
    expect((await mb.client.notification('mining.notify')).params[0]).toBe(b.currentJob().jobId);
    a.setDifficulty(0.5);
    expect(b.sessions()[0]?.difficulty).not.toBe(0.5);
    const statsB = await (await fetch(`${b.httpUrl}/stats`)).json();
    expect(statsB).toEqual(b.stats());
    await a.close();
    expect((await mb.client.request('mining.ping', [])).result).toBe('pong');
  });
});
