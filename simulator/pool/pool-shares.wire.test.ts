import { beforeEach, describe, expect, it } from 'vitest';
import type { PoolSimulator } from './pool-server.js';
import type { ShareEvent } from './pool-context.js';
import { jobFromNotify, mineShare, submitParams } from './test-support/cpu-miner.js';
import type { ConnectedMiner } from './test-support/pool-harness.js';
import { TEST_DIFFICULTY, codeOf, en2, findShare, submit } from './test-support/pool-harness.js';
import { poolFixture } from './test-support/pool-fixture.js';

const fx = poolFixture();
let pool: PoolSimulator;
let miner: ConnectedMiner;

beforeEach(async () => {
  pool = await fx.pool();
  miner = await fx.miner(pool);
});

function sessionOf(m: ConnectedMiner): string {
  const s = pool.sessions().find((x) => x.extranonce1 === m.extranonce1);
  if (s === undefined) throw new Error('no session');
  return s.id;
}

describe('accepted shares', () => {
  it('accepts a share found by real hashing and credits its difficulty', async () => {
    const events: ShareEvent[] = [];
    pool.on('share', (e) => events.push(e));
    const share = findShare(miner);
    const answer = await submit(miner, share);
    expect(answer).toMatchObject({ result: true, error: null });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ worker: 'alice.rig1', accepted: true, difficulty: TEST_DIFFICULTY });
    expect(events[0]?.shareDifficulty).toBeGreaterThanOrEqual(TEST_DIFFICULTY);
    const stats = pool.stats();
    expect(stats.workers['alice.rig1']).toMatchObject({
      accepted: 1,
      acceptedDifficulty: TEST_DIFFICULTY,
      rejected: {},
    });
    expect(stats.totals).toMatchObject({ accepted: 1, rejectedTotal: 0, sessions: 1, connections: 1 });
  });

  it('keeps recent jobs of the same block valid after a new job', async () => {
    const share = findShare(miner);
    pool.newJob();
    const notify = await miner.client.notification('mining.notify');
    expect(notify.params[8]).toBe(false);
    expect(codeOf(await submit(miner, share))).toBeNull();
  });

  it('accepts ntime up to job ntime + 7000 s and version bits inside the granted mask', async () => {
    const rolling = await fx.miner(pool, { worker: 'bob', versionRollingMask: 'ffffffff' });
    const ntime = (Number.parseInt(rolling.job.ntime, 16) + 7000).toString(16).padStart(8, '0');
    expect(codeOf(await submit(rolling, findShare(rolling, { ntime })))).toBeNull();
    const rolled = findShare(rolling, { versionMask: 0x1fffe000, versionBits: 0x00ffe000 });
    expect(codeOf(await submit(rolling, rolled))).toBeNull();
  });
});

describe('rejected shares, each with its code and reason', () => {
  it('21 for a job the pool never sent', async () => {
    const answer = await submit(miner, findShare(miner), 'no-such-job');
    expect(codeOf(answer)).toBe(21);
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ 'job-not-found': 1 });
  });

  it('21 stale for a job from before a new block', async () => {
    const share = findShare(miner);
    pool.newBlock();
    const notify = await miner.client.notification('mining.notify');
    expect(notify.params[8]).toBe(true);
    expect(codeOf(await submit(miner, share))).toBe(21);
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ stale: 1 });
  });

  it('21 stale for a job pushed out of the recent-job window', async () => {
    const share = findShare(miner);
    for (let i = 0; i < pool.options.maxJobs; i += 1) pool.newJob();
    expect(codeOf(await submit(miner, share))).toBe(21);
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ stale: 1 });
  });

  it('22 for a duplicate, even with changed case or dropped leading zeros', async () => {
    const share = findShare(miner, { nonceStride: 256 });
    expect(share.nonce.startsWith('00')).toBe(true);
    expect(codeOf(await submit(miner, share))).toBeNull();
    expect(codeOf(await submit(miner, share))).toBe(22);
    const upper = submitParams(miner.worker, miner.job.jobId, share).map((p, i) =>
      i >= 2 ? p.toUpperCase() : p,
    );
    expect(codeOf(await miner.client.request('mining.submit', upper))).toBe(22);
    const unpadded = submitParams(miner.worker, miner.job.jobId, share);
    unpadded[4] = share.nonce.replace(/^0+/, '');
    expect(codeOf(await miner.client.request('mining.submit', unpadded))).toBe(22);
    expect(pool.stats().workers['alice.rig1']).toMatchObject({ accepted: 1, rejected: { duplicate: 3 } });
  });

  it('23 for a share below the difficulty', async () => {
    const low = findShare(miner, { difficulty: TEST_DIFFICULTY / 100, notDifficulty: TEST_DIFFICULTY });
    expect(codeOf(await submit(miner, low))).toBe(23);
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ 'low-difficulty': 1 });
  });

  it('24 for a worker this connection did not authorize', async () => {
    const answer = await submit(miner, findShare(miner), miner.job.jobId, 'mallory');
    expect(codeOf(answer)).toBe(24);
    expect(pool.stats().workers.mallory?.rejected).toEqual({ unauthorized: 1 });
  });

  it('25 for a submit before subscribe', async () => {
    const client = await fx.client(pool);
    const answer = await client.request('mining.submit', [
      'eve',
      '1',
      '0000000000000000',
      miner.job.ntime,
      '00000000',
    ]);
    expect(codeOf(answer)).toBe(25);
    expect(pool.stats().workers.eve?.rejected).toEqual({ 'not-subscribed': 1 });
  });

  it('20 for an extranonce2 of the wrong length', async () => {
    const share = mineShare(miner.job, {
      extranonce1: miner.extranonce1,
      extranonce2: '0000',
      difficulty: TEST_DIFFICULTY,
    });
    expect(codeOf(await submit(miner, share))).toBe(20);
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ 'extranonce2-size': 1 });
  });

  it('20 for ntime before the job or more than 7000 s after it', async () => {
    const t = Number.parseInt(miner.job.ntime, 16);
    for (const ntime of [t - 1, t + 7001]) {
      const share = findShare(miner, { ntime: ntime.toString(16).padStart(8, '0') });
      expect(codeOf(await submit(miner, share))).toBe(20);
    }
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ 'ntime-out-of-range': 2 });
  });

  it('20 for version bits without negotiation or outside the granted mask', async () => {
    const rolled = findShare(miner, { versionMask: 0x1fffe000, versionBits: 0x00002000 });
    expect(codeOf(await submit(miner, rolled))).toBe(20);
    const rolling = await fx.miner(pool, { worker: 'bob', versionRollingMask: '00ffff00' });
    const outside = findShare(rolling, { versionMask: 0xffffffff, versionBits: 0x00000100 });
    expect(codeOf(await submit(rolling, outside))).toBe(20);
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ 'version-bits': 1 });
    expect(pool.stats().workers.bob?.rejected).toEqual({ 'version-bits': 1 });
  });

  it('20 for non-hex fields and a wrong number of params, each answered once', async () => {
    const share = findShare(miner);
    const good = submitParams(miner.worker, miner.job.jobId, share);
    const bad = [
      [...good.slice(0, 4), 'zz00ff00'],
      [good[0], good[1], 'xyz1', good[3], good[4]],
      [good[0], good[1], good[2], 'not-hex', good[4]],
      good.slice(0, 4),
    ];
    for (const params of bad) {
      const answer = await miner.client.request('mining.submit', params);
      expect(codeOf(answer)).toBe(20);
    }
    expect(pool.stats().workers['alice.rig1']?.rejected).toEqual({ malformed: 4 });
    expect(
      miner.client.received.filter((r) => r.json?.method === undefined && r.json?.id !== null).length,
    ).toBe(6);
  });
});

describe('difficulty changes', () => {
  it('sends set_difficulty right before the notify it applies to and keeps the old difficulty for older jobs', async () => {
    const session = sessionOf(miner);
    const harder = TEST_DIFFICULTY * 10;
    const oldJobShare = findShare(miner, { notDifficulty: harder });
    expect(pool.setDifficulty(harder, { session })).toBe(1);
    const diff = await miner.client.notification('mining.set_difficulty');
    const notify = await miner.client.notification('mining.notify');
    expect(diff.params[0]).toBe(harder);
    const lines = miner.client.received.map((r) => r.json?.method);
    const notifyIndex = lines.lastIndexOf('mining.notify');
    expect(lines[notifyIndex - 1]).toBe('mining.set_difficulty');
    const events: ShareEvent[] = [];
    pool.on('share', (e) => events.push(e));
    expect(codeOf(await submit(miner, oldJobShare))).toBeNull();
    expect(events[0]?.difficulty).toBe(TEST_DIFFICULTY);
    const newJobId = notify.params[0] as string;
    const fresh = { ...miner, job: jobFromNotify(notify.params) };
    const weak = findShare(fresh, { notDifficulty: harder });
    expect(codeOf(await submit(fresh, weak, newJobId))).toBe(23);
    const strong = findShare(fresh, { difficulty: harder });
    expect(codeOf(await submit(fresh, strong, newJobId))).toBeNull();
    expect(events.at(-1)?.difficulty).toBe(harder);
    expect(pool.stats().workers['alice.rig1']?.acceptedDifficulty).toBeCloseTo(TEST_DIFFICULTY + harder, 15);
  });

  it('takes a lower difficulty at once, for older jobs too', async () => {
    const easier = TEST_DIFFICULTY / 10;
    pool.setDifficulty(easier);
    await miner.client.notification('mining.notify');
    const share = findShare(miner, { difficulty: easier, notDifficulty: TEST_DIFFICULTY });
    expect(codeOf(await submit(miner, share))).toBeNull();
  });

  it('uses a unique extranonce1 per session', async () => {
    const others = await Promise.all([1, 2, 3].map((i) => fx.miner(pool, { worker: `w${i}` })));
    const all = new Set([miner, ...others].map((m) => m.extranonce1));
    expect(all.size).toBe(4);
    expect(others.every((o) => o.extranonce2Size === pool.options.extranonce2Size)).toBe(true);
    expect(en2(others[0] as ConnectedMiner)).toHaveLength(pool.options.extranonce2Size * 2);
  });
});
