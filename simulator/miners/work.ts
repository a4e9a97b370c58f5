import { hashToDifficulty } from '../../stratum/difficulty.js';
import type { JobParams } from '../../stratum/messages.js';
import { nodeSha256d, sha256d } from '../../stratum/sha256d.js';
import {
  buildCoinbase,
  buildHeader,
  merkleRootFromBranches,
  prepareJob,
  type PreparedJob,
} from '../../stratum/share-math.js';
import { HeaderHasher } from './sha256-midstate.js';
import { wordsToBytes } from '../../stratum/sha256-words.js';

/** A mining.notify as a miner keeps it. */
export interface MinerJob {
  params: JobParams;
  prepared: PreparedJob;
}

export function toMinerJob(params: JobParams): MinerJob {
  return { params, prepared: prepareJob(params) };
}

/**
 * One header template (job + extranonce1 + extranonce2) ready for the nonce loop. The merkle root
 * is built with the protocol core's own functions, so the miner hashes exactly what a pool rebuilds.
 */
export class HeaderWork {
  readonly job: MinerJob;
  readonly extranonce2: string;
  readonly ntime: number;
  private readonly template: Buffer;
  private readonly hasher = new HeaderHasher();
  private version: number;

  constructor(job: MinerJob, extranonce1: string, extranonce2: string) {
    this.job = job;
    this.extranonce2 = extranonce2;
    const p = job.prepared;
    const coinbase = buildCoinbase(
      p.coinb1,
      Buffer.from(extranonce1, 'hex'),
      Buffer.from(extranonce2, 'hex'),
      p.coinb2,
    );
    const merkleRoot = merkleRootFromBranches(sha256d(coinbase), p.branches);
    this.ntime = p.ntime;
    this.version = p.version;
    this.template = buildHeader({
      version: p.version,
      prevhash: p.prevhash,
      merkleRoot,
      ntime: p.ntime,
      nbits: p.nbits,
      nonce: 0,
    });
    this.hasher.load(this.template);
  }

  get currentVersion(): number {
    return this.version;
  }

  setVersion(version: number): void {
    if (version >>> 0 === this.version) return;
    this.version = version >>> 0;
    this.template.writeUInt32LE(this.version, 0);
    this.hasher.setVersion(this.version);
  }

  hash(nonce: number, out: Int32Array): void {
    this.hasher.hash(nonce, out);
  }

  header(nonce: number): Buffer {
    const h = Buffer.from(this.template);
    h.writeUInt32LE(nonce >>> 0, 76);
    return h;
  }
}

export interface ConfirmedHash {
  header: Buffer;
  hash: Buffer;
  difficulty: number;
}

/**
 * Re-hashes a found nonce with node:crypto and checks it against the fast loop's digest. A
 * mismatch means a bug in the simulator, never a share to send.
 */
export function confirmHash(work: HeaderWork, nonce: number, words: Int32Array): ConfirmedHash {
  const header = work.header(nonce);
  // node:crypto, not stratum's sha256d: for 80 bytes that is the same JavaScript compression the
  // fast loop runs, and the point of this check is a second, independent opinion.
  const hash = nodeSha256d(header);
  if (!hash.equals(wordsToBytes(words))) {
    throw new Error(`simulated miner: fast sha256d disagrees with node:crypto for nonce ${nonce}`);
  }
  return { header, hash, difficulty: hashToDifficulty(hash) };
}

/** The block target encoded by compact nbits, as 64 hex characters (NerdMiner's "target:" line). */
export function nbitsTargetHex(nbits: number): string {
  const exponent = nbits >>> 24;
  const mantissa = BigInt(nbits & 0x007fffff);
  const target =
    exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
  return target.toString(16).padStart(64, '0').slice(-64);
}
