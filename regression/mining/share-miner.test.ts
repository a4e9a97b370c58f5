import { describe, expect, it } from 'vitest';
import { SeenShares, checkShare, prepareJob } from '../../stratum/index.js';
import type { JobParams } from '../../stratum/index.js';
import { mineShare, rolledVersion, shareDifficulty } from './share-miner.js';

/** Mainnet block 881423's header fields, with a made-up coinbase around the extranonces. */
const JOB: JobParams = {
  jobId: 'j1',
  prevhash: '8a6ac9e3f13d5f1c2f84c0b5bd01f2b57ef3b0a40001d0e40000000000000000',
  coinb1: '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20',
  coinb2: 'ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000',
  merkleBranches: ['4282357a1e2c4c0ef4f4e1fd3a2ad2e1e6a1d4b1d0f3c5e7a9b2c4d6e8f0a1b2'],
  version: '20000000',
  nbits: '17029a8a',
  ntime: '679ac169',
  cleanJobs: true,
};
const EN1 = 'f1ad9a67';

function judge(
  share: { nonce: string; ntime: string },
  extranonce2: string,
  difficulty: number,
  o: { versionBits?: string; mask?: number } = {},
) {
  return checkShare(
    {
      worker: 'w',
      jobId: JOB.jobId,
      extranonce2,
      ntime: share.ntime,
      nonce: share.nonce,
      ...(o.versionBits ? { versionBits: o.versionBits } : {}),
    },
    {
      job: prepareJob(JOB),
      extranonce1: EN1,
      extranonce2Size: 4,
      versionMask: o.mask ?? 0,
      difficulty,
      seen: new SeenShares(),
    },
  );
}

describe('mineShare (real sha256d, judged by the stratum core)', () => {
  it('finds a share that meets the difficulty', async () => {
    const share = await mineShare({
      job: JOB,
      extranonce1: EN1,
      extranonce2: '00000001',
      goal: { atLeast: 2e-6 },
    });
    expect(share).toBeDefined();
    if (share === undefined) return;
    expect(share.difficulty).toBeGreaterThanOrEqual(2e-6);
    expect(share.nonce).toMatch(/^[0-9a-f]{8}$/);
    const verdict = judge(share, '00000001', 2e-6);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.hashHex).toBe(share.hashHex);
    expect(
      shareDifficulty({ job: JOB, extranonce1: EN1, extranonce2: '00000001', nonce: share.nonce }).hashHex,
    ).toBe(share.hashHex);
  });

  it('finds one that falls short, which the core refuses as low (23)', async () => {
    const share = await mineShare({
      job: JOB,
      extranonce1: EN1,
      extranonce2: '00000002',
      goal: { below: 1e-6 },
    });
    expect(share?.hashes).toBe(1);
    const verdict = judge(share as { nonce: string; ntime: string }, '00000002', 1e-6);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.error.code).toBe(23);
  });

  it('mines with another ntime and rolled version bits, as the core rebuilds them', async () => {
    const mask = 0x1fffe000;
    const version = rolledVersion(0x20000000, 0x4000, mask);
    expect(version).toBe(0x20004000);
    const share = await mineShare({
      job: JOB,
      extranonce1: EN1,
      extranonce2: '0000000a',
      ntime: '679ac200',
      version,
      goal: { atLeast: 2e-6 },
    });
    expect(share?.ntime).toBe('679ac200');
    expect(
      judge(share as { nonce: string; ntime: string }, '0000000a', 2e-6, { versionBits: '00004000', mask })
        .ok,
    ).toBe(true);
  });

  it('bits outside the mask are OR-ed into the header (how a lax pool would read them)', () => {
    expect(rolledVersion(0x20000000, 0x1, 0x1fffe000)).toBe(0x20000001);
    expect(rolledVersion(0x3fffe000, 0x2000, 0x1fffe000)).toBe(0x20002000);
  });

  it('gives up after the budget and says so with undefined', async () => {
    expect(
      await mineShare({
        job: JOB,
        extranonce1: EN1,
        extranonce2: '00000003',
        goal: { atLeast: 1e6 },
        budget: 500,
      }),
    ).toBeUndefined();
  });

  it('yields to the event loop between slices', async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    await mineShare(
      { job: JOB, extranonce1: EN1, extranonce2: '00000004', goal: { atLeast: 1e6 }, budget: 2000 },
      100,
    );
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});
