import { describe, expect, it } from 'vitest';
import type { LocalShareResult, PoolShareResult } from './index.js';
import { buildStatus } from '../http/status-view.js';
import { coreBench } from './test-support/core-bench.js';

/** The share desk through the core, in memory: every verdict, and what goes upstream. */
function desk(o: Parameters<typeof coreBench>[0] = {}) {
  const b = coreBench(o);
  const local: LocalShareResult[] = [];
  const pool: PoolShareResult[] = [];
  b.core.on('share', (_m, r) => local.push(r));
  b.core.on('pool-share', (_m, r) => pool.push(r));
  return { b, local, pool };
}

describe('share desk: verdicts', () => {
  it('accepts a valid share, forwards it once under the upstream user with the prefix, and books the pool’s verdict', async () => {
    const { b, local, pool } = desk();
    const m = await b.miner('rig.one');
    const id = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(id)).toMatchObject({ result: true, error: null });
    expect(local).toMatchObject([{ worker: 'rig.one', accepted: true, forwarded: true }]);
    expect(pool).toMatchObject([{ worker: 'rig.one', accepted: true }]);
    const conn = b.pool.live[0];
    expect(conn?.user).toBe('rack.upstream');
    expect(b.pool.received).toMatchObject([{ verdict: 'accepted' }]);
    expect(b.core.snapshot().books.pool.totals.accepted).toBe(1);
  });

  it('checks each share of a miner that never moves its extranonce2 (NerdMiner) on its own header: same job, next job, a new extranonce1', async () => {
    const { b, local } = desk();
    const m = await b.miner('rig.nerd', { extranonceSubscribe: true });
    m.fixedExtranonce2 = true;
    const extranonce1 = m.extranonce1;
    const ids = [m.submit('valid'), m.submit('valid')];
    await b.settle();
    b.pool.newJob({ clean: false });
    await b.settle();
    ids.push(m.submit('valid'));
    await b.settle();
    // A new extranonce1 from the pool: the miner's work on earlier jobs is stale, the next job is on it.
    b.pool.setExtranonce();
    await b.settle();
    b.pool.newJob({ clean: true });
    await b.settle();
    expect(m.extranonce1).not.toBe(extranonce1);
    ids.push(m.submit('valid'), m.submit('valid'));
    await b.settle();
    const own = ids.map((id) => m.requests.get(id as number)?.share?.hash);
    expect(own.every((h) => typeof h === 'string')).toBe(true);
    expect(new Set(own).size).toBe(own.length);
    expect(local.map((r) => [r.accepted, r.hash])).toEqual(own.map((h) => [true, h]));
  });

  it('refuses with the right code, one answer each: duplicate in any hex case, stale, bad sizes, bad ntime', async () => {
    const { b, local } = desk();
    const m = await b.miner();
    const ok = m.submit('valid') as number;
    const dup = m.submit('duplicate') as number;
    const upper = m.submit('other-case') as number;
    const en2 = m.submit('bad-extranonce2') as number;
    const ntime = m.submit('bad-ntime') as number;
    const unauthorized = m.submit('valid', 'someone.else') as number;
    await b.settle();
    expect(m.answer(ok)?.result).toBe(true);
    expect(m.answer(dup)?.error).toEqual([22, 'Duplicate share', null]);
    expect(m.answer(upper)?.error).toEqual([22, 'Duplicate share', null]);
    expect((m.answer(en2)?.error as unknown[])[0]).toBe(20);
    expect((m.answer(ntime)?.error as unknown[])[0]).toBe(20);
    expect((m.answer(unauthorized)?.error as unknown[])[0]).toBe(24);
    b.pool.newJob({ clean: true, newBlock: true });
    await b.settle();
    const stale = m.submit('stale') as number;
    await b.settle();
    expect((m.answer(stale)?.error as unknown[])[0]).toBe(21);
    expect(local.map((r) => r.reason ?? 'ok')).toEqual([
      'ok',
      'duplicate',
      'duplicate',
      'extranonce2-size',
      'ntime-out-of-range',
      'unauthorized',
      'job-not-found',
    ]);
    expect(b.pool.received).toHaveLength(1);
  });

  it('answers 25 before subscribe and 20 while the upstream is down, and counts both', async () => {
    const { b, local } = desk();
    const early = b.connect('rig.early');
    const before = early.send('mining.submit', ['rig.early', '1', '00000000', '66000000', '00000000']);
    await b.settle();
    expect((early.answer(before)?.error as unknown[])[0]).toBe(25);
    const m = await b.miner('rig.down');
    b.pool.mode = 'refuse';
    b.pool.dropAll();
    await b.settle();
    const down = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(down)?.error).toEqual([20, 'Other/Unknown: upstream pool unavailable', null]);
    expect(local.map((r) => r.reason)).toEqual(['not-subscribed', 'upstream-down']);
  });

  it('judges at the miner’s difficulty, forwards only what meets the pool’s', async () => {
    const { b, local } = desk({ pool: { difficulty: 4 }, core: { vardiff: { startDiff: 1e-11 } } });
    const m = await b.miner();
    expect(m.difficulty).toBe(1e-11);
    const id = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(id)?.result).toBe(true);
    expect(local).toMatchObject([{ accepted: true, forwarded: false }]);
    expect(b.pool.received).toEqual([]);
  });

  it('refuses work below the miner’s difficulty (23)', async () => {
    const { b, local } = desk({ pool: { difficulty: 1 }, core: { vardiff: { startDiff: 1 } } });
    const m = await b.miner();
    expect(m.difficulty).toBe(1);
    const id = m.submit('valid') as number;
    await b.settle();
    expect((m.answer(id)?.error as unknown[])[0]).toBe(23);
    expect(local).toMatchObject([{ accepted: false, reason: 'low-difficulty', difficulty: 1 }]);
  });

  it('takes only jobs this miner was sent under its current extranonce', async () => {
    const { b } = desk();
    const m = await b.miner('rig.axe', { extranonceSubscribe: true });
    const jobBefore = m.latestJob?.jobId as string;
    b.pool.setExtranonce();
    await b.settle();
    expect(m.notifications.some((n) => n.method === 'mining.set_extranonce')).toBe(true);
    // The old job's work is on the old extranonce: stale, even though the pool job is still live.
    const id = m.send('mining.submit', [m.name, jobBefore, '00000001', '66000000', '00000001']);
    await b.settle();
    expect((m.answer(id)?.error as unknown[])[0]).toBe(21);
    b.pool.newJob({ clean: false });
    await b.settle();
    const fresh = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(fresh)?.result).toBe(true);
    expect(b.pool.received.at(-1)?.verdict).toBe('accepted');
  });
});

describe('share desk: pool verdicts', () => {
  it('books exactly one verdict per forwarded share, whatever the pool does with its answers', async () => {
    const { b, pool } = desk();
    const m = await b.miner();
    b.pool.verdicts = 'double';
    m.submit('valid');
    await b.settle();
    b.pool.verdicts = 'hold';
    m.submit('valid');
    m.submit('valid');
    await b.settle();
    b.pool.releaseHeld(true);
    await b.settle();
    b.pool.verdicts = 'lose';
    m.submit('valid');
    await b.settle();
    await b.tick(b.options.upstream.requestTimeoutMs);
    expect(pool.map((r) => r.accepted)).toEqual([true, true, true, false]);
    expect(pool.at(-1)).toMatchObject({ code: 20 });
    const { books } = b.core.snapshot();
    expect(books.forwardedTotal).toBe(4);
    expect(books.pool.totals).toMatchObject({ accepted: 3, rejected: 1 });
    expect(b.pool.acceptedInTime).toBe(3);
  });
});

describe('share desk: the difficulty a pool share is booked at', () => {
  it('the lower of the job’s and the pool’s when it answers (a pool that lowered its difficulty credits the lower)', async () => {
    const { b, pool } = desk({ core: { vardiff: { startDiff: 1e-11 } } });
    const m = await b.miner('rig.low');
    const jobDifficulty = b.pool.difficulty;
    b.pool.verdicts = 'hold';
    m.submit('valid');
    await b.settle();
    b.pool.setDifficulty(jobDifficulty / 4);
    await b.settle();
    b.pool.releaseHeld();
    await b.settle();
    expect(pool).toMatchObject([{ accepted: true, difficulty: jobDifficulty / 4 }]);
    // A raise after the job does not raise what the share was sent for.
    b.pool.verdicts = 'hold';
    m.submit('valid');
    await b.settle();
    b.pool.setDifficulty(jobDifficulty * 4);
    b.pool.releaseHeld();
    await b.settle();
    expect(pool[1]).toMatchObject({ accepted: true, difficulty: jobDifficulty });
  });
});

describe('share desk: never a lost block', () => {
  it('forwards a share that meets the network target even far below the pool’s difficulty, booked as a block', async () => {
    // regtest's nbits (207fffff: about every other hash is a block); a pool share difficulty no share meets.
    const { b, local, pool } = desk({
      pool: { difficulty: 1e9, nbits: '207fffff' },
      core: { vardiff: { startDiff: 1e-11 } },
    });
    const m = await b.miner('rack.solo');
    const ids = Array.from({ length: 8 }, () => m.submit('valid') as number);
    await b.settle();
    expect(ids.every((id) => m.answer(id)?.result === true)).toBe(true);
    const blocks = local.filter((r) => r.blockCandidate === true);
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.length).toBeLessThan(8);
    // Exactly the block candidates went up, and the pool got every one of them.
    expect(local.filter((r) => r.forwarded)).toEqual(blocks);
    expect(b.pool.blocks).toHaveLength(blocks.length);
    expect(pool.every((r) => r.accepted && r.blockCandidate === true)).toBe(true);
    const status = buildStatus(b.core.snapshot());
    expect(status.totals.block_candidates).toBe(blocks.length);
    expect(status.workers[0]?.block_candidates).toBe(blocks.length);
  });
});
