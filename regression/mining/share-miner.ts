import {
  buildCoinbase,
  buildHeader,
  difficultyToTarget,
  hashToBigInt,
  hashToDifficulty,
  merkleRootFromBranches,
  prepareJob,
  sha256d,
  u32FromHex,
  u32ToHex,
} from '../../stratum/index.js';
import type { JobParams } from '../../stratum/index.js';

/** Hashes tried per share search before giving up (~30-60 s of one core with Node's sha256d). */
export const DEFAULT_HASH_BUDGET = 16_000_000;
/** Hashes between yields to the event loop, so sockets and timers keep running while mining. */
export const DEFAULT_HASH_SLICE = 4096;

/** What the share must do against a difficulty: meet it, or fall short of it. */
export type ShareGoal = { atLeast: number } | { below: number };

export interface MineRequest {
  job: JobParams;
  extranonce1: string;
  extranonce2: string;
  /** 8 hex, big-endian as in notify; the job's ntime when absent. */
  ntime?: string;
  /** The header's nVersion; the job's when absent. */
  version?: number;
  goal: ShareGoal;
  startNonce?: number;
  budget?: number;
}

export interface MinedShare {
  /** 8 lowercase hex, as the stratum core reads a submit's nonce. */
  nonce: string;
  ntime: string;
  /** sha256d of the header, internal byte order, hex. */
  hashHex: string;
  difficulty: number;
  hashes: number;
}

/**
 * Searches nonces for a share with real sha256d, yielding to the event loop every slice.
 * Resolves undefined when `budget` hashes found none (the difficulty is too high for the budget).
 */
export async function mineShare(
  req: MineRequest,
  slice = DEFAULT_HASH_SLICE,
): Promise<MinedShare | undefined> {
  const job = prepareJob(req.job);
  const coinbase = buildCoinbase(
    job.coinb1,
    Buffer.from(req.extranonce1, 'hex'),
    Buffer.from(req.extranonce2, 'hex'),
    job.coinb2,
  );
  const ntime = req.ntime ?? req.job.ntime;
  const header = buildHeader({
    version: req.version ?? job.version,
    prevhash: job.prevhash,
    merkleRoot: merkleRootFromBranches(sha256d(coinbase), job.branches),
    ntime: u32FromHex(ntime),
    nbits: job.nbits,
    nonce: 0,
  });
  const wantMeet = 'atLeast' in req.goal;
  const target = difficultyToTarget('atLeast' in req.goal ? req.goal.atLeast : req.goal.below);
  // The hash's top 32 bits (bytes 28..31, little-endian) decide almost every comparison cheaply.
  const top = target >> 224n;
  const topLimit = top > 0xffffffffn ? 0xffffffff : Number(top);
  const budget = req.budget ?? DEFAULT_HASH_BUDGET;
  const start = (req.startNonce ?? 0) >>> 0;
  for (let done = 0; done < budget;) {
    const end = Math.min(budget, done + slice);
    for (; done < end; done += 1) {
      const nonce = (start + done) >>> 0;
      header.writeUInt32LE(nonce, 76);
      const hash = sha256d(header);
      const hashTop = hash.readUInt32LE(28);
      let meets: boolean;
      if (hashTop < topLimit) meets = true;
      else if (hashTop > topLimit) meets = false;
      else meets = hashToBigInt(hash) <= target;
      if (meets !== wantMeet) continue;
      return {
        nonce: u32ToHex(nonce),
        ntime,
        hashHex: hash.toString('hex'),
        difficulty: hashToDifficulty(hash),
        hashes: done + 1,
      };
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return undefined;
}

/** Hashes one header as a pool would and tells its difficulty (for recorded shares). */
export function shareDifficulty(
  req: Omit<MineRequest, 'goal' | 'startNonce' | 'budget'> & { nonce: string },
): {
  hashHex: string;
  difficulty: number;
} {
  const job = prepareJob(req.job);
  const coinbase = buildCoinbase(
    job.coinb1,
    Buffer.from(req.extranonce1, 'hex'),
    Buffer.from(req.extranonce2, 'hex'),
    job.coinb2,
  );
  const header = buildHeader({
    version: req.version ?? job.version,
    prevhash: job.prevhash,
    merkleRoot: merkleRootFromBranches(sha256d(coinbase), job.branches),
    ntime: u32FromHex(req.ntime ?? req.job.ntime),
    nbits: job.nbits,
    nonce: u32FromHex(req.nonce),
  });
  const hash = sha256d(header);
  return { hashHex: hash.toString('hex'), difficulty: hashToDifficulty(hash) };
}

/** Header nVersion for version bits: BIP310 inside the mask, or bits simply OR-ed in when outside it. */
export function rolledVersion(jobVersion: number, bits: number, mask: number): number {
  if ((bits & ~mask) >>> 0 === 0) return ((jobVersion & ~mask) | (bits & mask)) >>> 0;
  return ((jobVersion & ~(mask | bits)) | bits) >>> 0;
}
