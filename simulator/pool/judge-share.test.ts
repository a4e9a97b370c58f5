import { describe, expect, it } from 'vitest';
import type { JobParams, SubmitParams } from '../../stratum/index.js';
import { SeenShares, paramsToWire, prepareJob, request } from '../../stratum/index.js';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { JobFactory } from './job-factory.js';
import type { ShareJudgeContext } from './judge-share.js';
import { judgeShare } from './judge-share.js';
import { nbitsForDifficulty } from './network-target.js';
import { DEFAULT_PAYOUT_SCRIPT } from './pool-options.js';
import type { PoolProfile } from './profiles/index.js';
import { poolProfile } from './profiles/index.js';
import type { FoundShare, MineOptions } from './test-support/cpu-miner.js';
import { jobFromNotify, mineShare } from './test-support/cpu-miner.js';

const EN1 = 'aabbccdd';
const MASK = 0x1fffe000;

function makeJob(o: { version?: string; networkDifficulty?: number } = {}): JobParams {
  const factory = new JobFactory({
    extranonceSize: 8,
    transactions: 4,
    nbits: nbitsForDifficulty(o.networkDifficulty ?? 1.1e14),
    version: o.version ?? '20000000',
    startHeight: 900_000,
    payoutScript: DEFAULT_PAYOUT_SCRIPT,
    coinbaseTag: '/test/',
    clock: new ManualClock(1_767_225_600_000),
  });
  return factory.makeJob('1a', true);
}

function mine(job: JobParams, o: Partial<MineOptions> & { headerVersion?: number } = {}): FoundShare {
  const { headerVersion, ...rest } = o;
  const params = paramsToWire(request('mining.notify', { ...job, cleanJobs: true }));
  return mineShare(jobFromNotify(params), {
    extranonce1: EN1,
    extranonce2: '00000001',
    difficulty: 1e-6,
    ...(headerVersion === undefined ? {} : { versionMask: 0xffffffff, versionBits: headerVersion }),
    ...rest,
  });
}

function submitOf(job: JobParams, share: FoundShare, versionBits?: string): SubmitParams {
  return {
    worker: 'w',
    jobId: job.jobId,
    extranonce2: share.extranonce2,
    ntime: share.ntime,
    nonce: share.nonce,
    ...(versionBits === undefined ? {} : { versionBits }),
  };
}

function judge(
  profile: PoolProfile,
  job: JobParams,
  submit: SubmitParams,
  o: Partial<ShareJudgeContext> = {},
) {
  return judgeShare(submit, {
    profile,
    job: prepareJob(job),
    extranonce1: EN1,
    extranonce2Size: 4,
    sessionMask: MASK,
    poolMask: MASK,
    difficulty: 1e-6,
    seen: new SeenShares(),
    ...o,
  });
}

const standard = poolProfile('default');
const publicPool = poolProfile('public-pool');
const ckpool = poolProfile('ckpool');

describe('version bits by profile', () => {
  // A job whose version already has a bit inside the mask: the three rules part ways.
  const job = makeJob({ version: '20002000' });

  it('public-pool XORs the bits into the job version', () => {
    const share = mine(job, { headerVersion: 0x20000000 });
    expect(judge(publicPool, job, submitOf(job, share, '00002000')).verdict.ok).toBe(true);
    expect(judge(ckpool, job, submitOf(job, share, '00002000')).verdict).toMatchObject({
      reason: 'low-difficulty',
    });
    expect(judge(standard, job, submitOf(job, share, '00002000')).verdict).toMatchObject({
      reason: 'low-difficulty',
    });
  });

  it('ckpool ORs them; BIP310 (the default) replaces the masked bits', () => {
    const ored = mine(job, { headerVersion: 0x20006000 });
    expect(judge(ckpool, job, submitOf(job, ored, '00004000')).verdict.ok).toBe(true);
    expect(judge(standard, job, submitOf(job, ored, '00004000')).verdict).toMatchObject({
      reason: 'low-difficulty',
    });
    const replaced = mine(job, { headerVersion: 0x20004000 });
    expect(judge(standard, job, submitOf(job, replaced, '00004000')).verdict.ok).toBe(true);
  });

  it('public-pool takes bits outside the mask; ckpool holds them to its own mask, the default to the negotiated one', () => {
    const share = mine(job, { headerVersion: 0x20002001 });
    expect(judge(publicPool, job, submitOf(job, share, '00000001')).verdict.ok).toBe(true);
    expect(judge(ckpool, job, submitOf(job, share, '00000001')).verdict).toMatchObject({
      reason: 'version-bits',
    });
    expect(judge(standard, job, submitOf(job, share, '00000001')).verdict).toMatchObject({
      reason: 'version-bits',
    });
    // No configure: the default allows no bits, ckpool still its mask's.
    const inMask = mine(job, { headerVersion: 0x20006000 });
    const noConfigure = { sessionMask: 0 };
    expect(judge(ckpool, job, submitOf(job, inMask, '00004000'), noConfigure).verdict.ok).toBe(true);
    expect(judge(standard, job, submitOf(job, inMask, '00004000'), noConfigure).verdict).toMatchObject({
      reason: 'version-bits',
    });
  });
});

describe('checks public-pool skips', () => {
  const job = makeJob();

  it('an extranonce2 of the wrong length is hashed as sent', () => {
    const share = mine(job, { extranonce2: '0001' });
    expect(judge(publicPool, job, submitOf(job, share)).verdict.ok).toBe(true);
    expect(judge(standard, job, submitOf(job, share)).verdict).toMatchObject({ reason: 'extranonce2-size' });
  });

  it('an ntime past the 7000 s window is hashed as sent', () => {
    const late = (Number.parseInt(job.ntime, 16) + 8000).toString(16).padStart(8, '0');
    const share = mine(job, { ntime: late });
    expect(judge(publicPool, job, submitOf(job, share)).verdict.ok).toBe(true);
    expect(judge(ckpool, job, submitOf(job, share)).verdict).toMatchObject({ reason: 'ntime-out-of-range' });
  });
});

describe('blocks', () => {
  const job = makeJob({ networkDifficulty: 1e-7 });
  const session = { difficulty: 1e-6 };

  it('a share meeting the network target and the session difficulty is an accepted block everywhere', () => {
    const share = mine(job, { difficulty: 1e-6 });
    for (const profile of [standard, publicPool, ckpool]) {
      expect(judge(profile, job, submitOf(job, share), session)).toMatchObject({
        verdict: { ok: true },
        credited: 1e-6,
        block: true,
      });
    }
  });

  it('below the session difficulty: accepted (default), refused but found (ckpool), refused and lost (public-pool)', () => {
    const share = mine(job, { difficulty: 1e-7, notDifficulty: 1e-6 });
    const accepted = judge(standard, job, submitOf(job, share), session);
    expect(accepted).toMatchObject({ verdict: { ok: true }, block: true });
    // Credited the network difficulty the nbits encode: what it had to meet.
    expect(accepted.credited / 1e-7).toBeGreaterThanOrEqual(1);
    expect(accepted.credited / 1e-7).toBeLessThan(1.0001);
    expect(judge(ckpool, job, submitOf(job, share), session)).toMatchObject({
      verdict: { ok: false, reason: 'low-difficulty' },
      block: true,
    });
    expect(judge(publicPool, job, submitOf(job, share), session)).toMatchObject({
      verdict: { ok: false, reason: 'low-difficulty' },
      block: false,
    });
  });

  it('a block is found once: its resubmit is a duplicate, even where the share was refused (ckpool)', () => {
    const share = mine(job, { difficulty: 1e-7, notDifficulty: 1e-6 });
    const seen = new SeenShares();
    expect(judge(ckpool, job, submitOf(job, share), { ...session, seen }).block).toBe(true);
    const again = judge(ckpool, job, submitOf(job, share), { ...session, seen });
    expect(again).toMatchObject({ verdict: { reason: 'duplicate' }, block: false });
  });

  it('mainnet nbits: no block', () => {
    const mainnet = makeJob();
    expect(judge(standard, mainnet, submitOf(mainnet, mine(mainnet))).block).toBe(false);
  });
});
