/**
 * The npm package stratum-client, a third-party Stratum client (peers/stratum-client-package.ts),
 * against the pool.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PoolSimulator } from './pool-server.js';
import { jobFromNotify, mineShare } from './test-support/cpu-miner.js';
import { startTestPool } from './test-support/pool-harness.js';
import { startStratumClientPackage } from '../../peers/stratum-client-package.js';
import type { StratumClientHandle, StratumClientWork } from '../../peers/stratum-client-package.js';

let pool: PoolSimulator | undefined;
let handle: StratumClientHandle | undefined;

afterEach(async () => {
  handle?.shutdown();
  await pool?.close();
});

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('a third-party client (npm stratum-client)', () => {
  it('subscribes, authorizes, gets difficulty and work, and has a real share accepted', async () => {
    pool = await startTestPool();
    const subscribed = deferred<{ extraNonce1: string; extraNonce2Size: number }>();
    const authorized = deferred<boolean>();
    const difficulty = deferred<number>();
    const work = deferred<StratumClientWork>();
    const submitted = deferred<{ ok: boolean; error: unknown }>();
    handle = startStratumClientPackage({
      server: '127.0.0.1',
      port: pool.port,
      worker: 'third.party',
      password: 'x',
      autoReconnectOnError: false,
      onError: () => authorized.resolve(false),
      onSubscribe: (data) => subscribed.resolve(data),
      onAuthorizeSuccess: () => authorized.resolve(true),
      onAuthorizeFail: () => authorized.resolve(false),
      onNewDifficulty: (d) => difficulty.resolve(d),
      onNewMiningWork: (w) => work.resolve(w),
      onSubmitWorkSuccess: (error) => submitted.resolve({ ok: true, error }),
      onSubmitWorkFail: (error) => submitted.resolve({ ok: false, error }),
    });
    const sub = await subscribed.promise;
    expect(sub.extraNonce1).toBe(pool.sessions()[0]?.extranonce1);
    expect(sub.extraNonce2Size).toBe(pool.options.extranonce2Size);
    expect(await authorized.promise).toBe(true);
    expect(await difficulty.promise).toBe(pool.options.difficulty);
    const w = await work.promise;
    expect(w.jobId).toBe(pool.currentJob().jobId);
    const job = jobFromNotify([
      w.jobId,
      w.prevhash,
      w.coinb1,
      w.coinb2,
      w.merkle_branch,
      w.version,
      w.nbits,
      w.ntime,
      w.clean_jobs,
    ]);
    const share = mineShare(job, {
      extranonce1: sub.extraNonce1,
      extranonce2: '00'.repeat(sub.extraNonce2Size),
      difficulty: await difficulty.promise,
    });
    handle.submit({
      worker_name: 'third.party',
      job_id: w.jobId,
      extranonce2: share.extranonce2,
      ntime: share.ntime,
      nonce: share.nonce,
    });
    expect(await submitted.promise).toEqual({ ok: true, error: null });
    expect(pool.stats().workers['third.party']?.accepted).toBe(1);
  });
});
