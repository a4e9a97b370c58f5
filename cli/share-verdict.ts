import { SeenShares, checkShare, prepareJob } from '../stratum/index.js';
import type { JobParams, SubmitParams } from '../stratum/index.js';

/** The difficulty a share is judged against when neither --difficulty nor the file names one. */
export const DEFAULT_VERDICT_DIFFICULTY = 1;

export interface ShareVerdictInput {
  notify: JobParams;
  submit: SubmitParams;
  extranonce1: string;
  /** The session's extranonce2 size; the submitted extranonce2's own length when not given. */
  extranonce2Size?: number;
  versionMask: number;
  difficulty: number;
}

/** What a pool would answer: accepted, or the Stratum code and the check that refused it. */
export interface ExplainedVerdict {
  accepted: boolean;
  /** The difficulty the share was judged against. */
  against: number;
  /** Stratum error code when refused (20 other, 21 job, 22 duplicate, 23 low difficulty). */
  code?: number;
  /** The check that refused it, as the pool's books name it (e.g. `low-difficulty`). */
  reason?: string;
  message: string;
}

/**
 * Judges one share with the protocol core's checkShare, the code Karoo and the pool simulator both
 * judge with: job, extranonce2 length, ntime window, version bits, then the hash against `difficulty`.
 */
export function judgeShare(input: ShareVerdictInput): ExplainedVerdict {
  const verdict = checkShare(input.submit, {
    job: prepareJob(input.notify),
    extranonce1: input.extranonce1,
    extranonce2Size: input.extranonce2Size ?? input.submit.extranonce2.length / 2,
    versionMask: input.versionMask,
    difficulty: input.difficulty,
    seen: new SeenShares(1),
  });
  if (verdict.ok) {
    return {
      accepted: true,
      against: input.difficulty,
      message: `accepted at difficulty ${input.difficulty} (share difficulty ${verdict.share.difficulty.toPrecision(6)})`,
    };
  }
  return {
    accepted: false,
    against: input.difficulty,
    code: verdict.error.code,
    reason: verdict.reason,
    message: `rejected, error ${verdict.error.code} (${verdict.reason}): ${verdict.error.message}`,
  };
}
