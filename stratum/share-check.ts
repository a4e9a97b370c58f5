import { StratumError } from './errors.js';
import { u32FromHex } from './hex.js';
import type { SubmitParams } from './messages.js';
import type { AssembledShare, MerkleMemo, PreparedJob } from './share-math.js';
import { assembleShare } from './share-math.js';
import { meetsDifficultyKnowing } from './difficulty.js';
import { VersionBitsOutsideMaskError } from './version-rolling.js';

/** ckpool accepts ntime from the job's up to 7000 s later (stratifier.c); so does Karoo. */
export const NTIME_MAX_AHEAD_SECONDS = 7000;

export interface ShareContext {
  /** The job the share names, or undefined when unknown or already forgotten (stale). */
  job: PreparedJob | undefined;
  extranonce1: string;
  extranonce2Size: number;
  /** Negotiated version-rolling mask; 0 when the session did not negotiate rolling. */
  versionMask: number;
  /** The difficulty this share must meet (the one in force when the job was sent to the miner). */
  difficulty: number;
  seen: ShareMemory;
  /** The miner's merkle memo: its last share's merkle root, reused while job and extranonces match. */
  memo?: MerkleMemo;
}

/** Where accepted shares are remembered by header hash, so a twin is a duplicate (22). */
export interface ShareMemory {
  has(jobId: string, hashHex: string): boolean;
  add(jobId: string, hashHex: string): void;
}

/** Why a share was refused, finer than the wire code (20 covers several). */
export type RejectReason =
  | 'job-not-found'
  | 'extranonce2-size'
  | 'ntime-out-of-range'
  | 'version-bits'
  | 'duplicate'
  | 'low-difficulty';

export type ShareVerdict =
  | { ok: true; share: AssembledShare; hashHex: string }
  | { ok: false; reason: RejectReason; error: StratumError; share?: AssembledShare; hashHex?: string };

/**
 * Judges one submit in the order that costs least first: job known (21), extranonce2 length (20),
 * ntime window (20), version bits within the mask (20), duplicate by header hash (22), then the
 * hash against the difficulty (23). Params are already normalised by the parser. A share that
 * passes is remembered, so its twin is a duplicate.
 */
export function checkShare(submit: SubmitParams, ctx: ShareContext): ShareVerdict {
  const { job } = ctx;
  if (job === undefined)
    return fail('job-not-found', 'JOB_NOT_FOUND', `job ${JSON.stringify(submit.jobId)} is unknown or stale`);
  if (submit.extranonce2.length !== ctx.extranonce2Size * 2) {
    return fail(
      'extranonce2-size',
      'OTHER',
      `extranonce2 must be ${ctx.extranonce2Size} bytes, got ${submit.extranonce2.length / 2}`,
    );
  }
  const ntime = u32FromHex(submit.ntime);
  if (ntime < job.ntime || ntime > job.ntime + NTIME_MAX_AHEAD_SECONDS) {
    return fail(
      'ntime-out-of-range',
      'OTHER',
      `ntime ${submit.ntime} outside [job ntime, +${NTIME_MAX_AHEAD_SECONDS} s]`,
    );
  }
  let share: AssembledShare;
  try {
    share = assembleShare(
      { job, extranonce1: ctx.extranonce1, submit, versionMask: ctx.versionMask },
      ctx.memo,
    );
  } catch (err) {
    if (err instanceof VersionBitsOutsideMaskError) return { ok: false, reason: 'version-bits', error: err };
    throw err;
  }
  const hashHex = share.hash.toString('hex');
  if (ctx.seen.has(job.job.jobId, hashHex))
    return { ok: false, reason: 'duplicate', error: StratumError.verdict('DUPLICATE_SHARE'), share, hashHex };
  if (!meetsDifficultyKnowing(share.hash, share.difficulty, ctx.difficulty)) {
    const detail = `share difficulty ${share.difficulty.toPrecision(6)} below ${ctx.difficulty}`;
    const error = StratumError.verdict('LOW_DIFFICULTY', detail);
    return { ok: false, reason: 'low-difficulty', error, share, hashHex };
  }
  ctx.seen.add(job.job.jobId, hashHex);
  return { ok: true, share, hashHex };
}

function fail(
  reason: RejectReason,
  name: ConstructorParameters<typeof StratumError>[0],
  detail?: string,
): { ok: false; reason: RejectReason; error: StratumError } {
  return { ok: false, reason, error: StratumError.verdict(name, detail) };
}

/**
 * Header hashes of accepted shares, per job. Judging by the hash (not the submitted hex) means a
 * resubmit with changed case or padding is still a duplicate. Bounded: the oldest job's hashes go
 * first when `maxEntries` is reached, and forgetting a job frees its set.
 */
export class SeenShares implements ShareMemory {
  private readonly byJob = new Map<string, Set<string>>();
  private count = 0;

  constructor(private readonly maxEntries = 1_000_000) {}

  has(jobId: string, hashHex: string): boolean {
    return this.byJob.get(jobId)?.has(hashHex) ?? false;
  }

  add(jobId: string, hashHex: string): void {
    if (this.has(jobId, hashHex)) return;
    while (this.count >= this.maxEntries && this.byJob.size > 0) {
      const oldest = this.byJob.keys().next().value as string;
      this.forgetJob(oldest);
    }
    let set = this.byJob.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.byJob.set(jobId, set);
    }
    set.add(hashHex);
    this.count += 1;
  }

  forgetJob(jobId: string): void {
    const set = this.byJob.get(jobId);
    if (set === undefined) return;
    this.count -= set.size;
    this.byJob.delete(jobId);
  }

  get size(): number {
    return this.count;
  }
}
