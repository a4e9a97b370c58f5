import type { PreparedJob, ShareMemory, ShareVerdict, SubmitParams } from '../../stratum/index.js';
import {
  checkShare,
  meetsNetworkTarget,
  nbitsToTarget,
  targetToDifficulty,
  u32FromHex,
  u32ToHex,
} from '../../stratum/index.js';
import type { PoolProfile, VersionRule } from './profiles/index.js';

export interface ShareJudgeContext {
  profile: PoolProfile;
  job: PreparedJob | undefined;
  extranonce1: string;
  extranonce2Size: number;
  /** The mask negotiated with mining.configure (0 when none). */
  sessionMask: number;
  /** The most the pool grants (`versionMask`). */
  poolMask: number;
  /** The session's share difficulty for this job. */
  difficulty: number;
  seen: ShareMemory;
}

export interface Judgement {
  verdict: ShareVerdict;
  /** The difficulty credited when accepted: the session's, or the network's for a block below it. */
  credited: number;
  /** The share met the network target. */
  block: boolean;
}

/**
 * stratum's checkShare, with the profile's rules put in front of it: how version bits make the
 * header's nVersion and which mask they are held to, which checks the pool skips (a skipped
 * check is given what passes it), and what a share below the session's difficulty that meets
 * the network target is worth.
 */
export function judgeShare(submit: SubmitParams, ctx: ShareJudgeContext): Judgement {
  const rules = ctx.profile.shares;
  const job =
    ctx.job === undefined || rules.ntimeChecked ? ctx.job : { ...ctx.job, ntime: u32FromHex(submit.ntime) };
  const extranonce2Size = rules.extranonce2SizeChecked ? ctx.extranonce2Size : submit.extranonce2.length / 2;
  const version = versionInput(submit, job, ctx);
  const verdict = checkShare(version.submit, {
    job,
    extranonce1: ctx.extranonce1,
    extranonce2Size,
    versionMask: version.mask,
    difficulty: ctx.difficulty,
    seen: ctx.seen,
  });
  const share = verdict.share;
  const block = share !== undefined && job !== undefined && meetsNetworkTarget(share.hash, job.nbits);
  if (verdict.ok || !block || verdict.reason !== 'low-difficulty') {
    return { verdict, credited: ctx.difficulty, block: block && verdict.ok };
  }
  // A block below the session's difficulty.
  const hashHex = verdict.hashHex as string;
  switch (rules.blockBelowShareDifficulty) {
    case 'accept':
      ctx.seen.add(job.job.jobId, hashHex);
      return {
        verdict: { ok: true, share, hashHex },
        credited: targetToDifficulty(nbitsToTarget(job.nbits)),
        block: true,
      };
    case 'refuse-share-keep-block':
      ctx.seen.add(job.job.jobId, hashHex);
      return { verdict, credited: ctx.difficulty, block: true };
    case 'refuse':
      return { verdict, credited: ctx.difficulty, block: false };
  }
}

/**
 * checkShare builds nVersion by BIP310. For the XOR and OR rules the submit is handed the whole
 * nVersion under a full mask, which BIP310 then takes as it is; a mask check the pool makes comes
 * first (bits outside it go to checkShare as sent, which refuses them in its order).
 */
function versionInput(
  submit: SubmitParams,
  job: PreparedJob | undefined,
  ctx: ShareJudgeContext,
): { submit: SubmitParams; mask: number } {
  const rules = ctx.profile.shares;
  if (submit.versionBits === undefined || job === undefined)
    return { submit, mask: rules.versionBits === 'pool-mask' ? ctx.poolMask : ctx.sessionMask };
  const bits = u32FromHex(submit.versionBits);
  if (rules.versionBits === 'negotiated-mask' && rules.versionRule === 'bip310')
    return { submit, mask: ctx.sessionMask };
  const held = rules.versionBits === 'pool-mask' ? ctx.poolMask : ctx.sessionMask;
  if (rules.versionBits !== 'unchecked' && (bits & ~held) >>> 0 !== 0) return { submit, mask: held };
  const version = applyRule(rules.versionRule, job.version, bits, held);
  return { submit: { ...submit, versionBits: u32ToHex(version) }, mask: 0xffffffff };
}

export function applyRule(rule: VersionRule, jobVersion: number, bits: number, mask: number): number {
  switch (rule) {
    case 'bip310':
      return ((jobVersion & ~mask) | (bits & mask)) >>> 0;
    case 'xor':
      return (jobVersion ^ bits) >>> 0;
    case 'or':
      return (jobVersion | bits) >>> 0;
  }
}
