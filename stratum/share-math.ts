import { hashToDifficulty } from './difficulty.js';
import { reverseBytes, u32FromHex } from './hex.js';
import type { JobParams, SubmitParams } from './messages.js';
import { sha256d } from './sha256d.js';
import { merkleFoldWords, wordsToBytes } from './sha256-words.js';
import { applyVersionBits } from './version-rolling.js';

/** A job with its byte fields decoded once, so each share costs only the hashing. */
export interface PreparedJob {
  readonly job: JobParams;
  readonly coinb1: Buffer;
  readonly coinb2: Buffer;
  readonly branches: readonly Buffer[];
  /** Previous block hash in header (internal) byte order. */
  readonly prevhash: Buffer;
  readonly version: number;
  readonly nbits: number;
  readonly ntime: number;
}

export interface AssembledShare {
  coinbase: Buffer;
  /** Merkle root in header (internal) byte order. */
  merkleRoot: Buffer;
  version: number;
  header: Buffer;
  /** sha256d(header), internal byte order. */
  hash: Buffer;
  difficulty: number;
}

export function prepareJob(job: JobParams): PreparedJob {
  return {
    job,
    coinb1: Buffer.from(job.coinb1, 'hex'),
    coinb2: Buffer.from(job.coinb2, 'hex'),
    branches: job.merkleBranches.map((b) => Buffer.from(b, 'hex')),
    prevhash: prevhashFromStratum(job.prevhash),
    version: u32FromHex(job.version),
    nbits: u32FromHex(job.nbits),
    ntime: u32FromHex(job.ntime),
  };
}

/**
 * Stratum sends the previous block hash as eight 4-byte words, each byte-swapped relative to the
 * header's order (a quirk inherited from getwork). Swapping each word back gives header order.
 */
export function prevhashFromStratum(hex: string): Buffer {
  const out = Buffer.from(hex, 'hex');
  if (out.length !== 32) throw new RangeError(`prevhash must be 32 bytes, got ${out.length}`);
  return out.swap32();
}

/** The inverse: header-order prevhash to Stratum's word-swapped hex. */
export function prevhashToStratum(internal: Buffer): string {
  return Buffer.from(internal).swap32().toString('hex');
}

/** The block hash in display order (as explorers print it) to Stratum's notify form. */
export function displayHashToStratumPrevhash(displayHex: string): string {
  return prevhashToStratum(reverseBytes(Buffer.from(displayHex, 'hex')));
}

export function buildCoinbase(
  coinb1: Buffer,
  extranonce1: Buffer,
  extranonce2: Buffer,
  coinb2: Buffer,
): Buffer {
  return Buffer.concat([coinb1, extranonce1, extranonce2, coinb2]);
}

const rootWords = new Int32Array(8);

/**
 * Folds the coinbase hash up the branches: root = sha256d(root || branch), internal byte order,
 * on words (sha256-words.ts): three compressions a step, nothing allocated until the root.
 */
export function merkleRootFromBranches(coinbaseHash: Buffer, branches: readonly Buffer[]): Buffer {
  if (branches.length === 0) return coinbaseHash;
  for (let i = 0; i < 8; i += 1) rootWords[i] = coinbaseHash.readInt32BE(4 * i);
  merkleFoldWords(rootWords, branches);
  return wordsToBytes(rootWords);
}

/** Merkle branches for the coinbase (index 0) from the txids of the other transactions (internal order). */
export function merkleBranchesFor(txHashes: readonly Buffer[]): Buffer[] {
  const branches: Buffer[] = [];
  let level: Buffer[] = [Buffer.alloc(32), ...txHashes];
  while (level.length > 1) {
    branches.push(level[1] as Buffer);
    if (level.length % 2 === 1) level.push(level[level.length - 1] as Buffer);
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      next.push(
        i === 0 ? Buffer.alloc(32) : sha256d(Buffer.concat([level[i] as Buffer, level[i + 1] as Buffer])),
      );
    }
    level = next;
  }
  return branches;
}

export interface HeaderFields {
  version: number;
  prevhash: Buffer;
  merkleRoot: Buffer;
  ntime: number;
  nbits: number;
  nonce: number;
}

/** The 80-byte block header: integers little-endian, hashes in internal order. */
export function buildHeader(f: HeaderFields): Buffer {
  const header = Buffer.allocUnsafe(80);
  header.writeUInt32LE(f.version >>> 0, 0);
  f.prevhash.copy(header, 4);
  f.merkleRoot.copy(header, 36);
  header.writeUInt32LE(f.ntime >>> 0, 68);
  header.writeUInt32LE(f.nbits >>> 0, 72);
  header.writeUInt32LE(f.nonce >>> 0, 76);
  return header;
}

export interface ShareInput {
  job: PreparedJob;
  /** The extranonce1 the miner was given (hex). */
  extranonce1: string;
  submit: Pick<SubmitParams, 'extranonce2' | 'ntime' | 'nonce' | 'versionBits'>;
  /** Negotiated version-rolling mask; 0 (the default) means no rolling allowed. */
  versionMask?: number;
}

/**
 * The coinbase and merkle root of one miner's last share. A miner rolls the nonce (and ntime) far
 * more often than its extranonce2 (NerdMiner never does: "00000001" for every job, see
 * calculateMiningData in NerdMiner_v2's src/utils.cpp; cpuminer moves it once per batch of work),
 * so its next share of the same job usually needs only its header hashed: 3 compressions instead
 * of about 44 with 12 branches. Keyed by the job object itself (a redialled pool may reuse job ids)
 * and both extranonces.
 */
export interface MerkleMemo {
  job: PreparedJob | undefined;
  extranonce1: string;
  extranonce2: string;
  coinbase: Buffer;
  merkleRoot: Buffer;
}

const NO_BYTES = Buffer.alloc(0);

/** An empty memo (it remembers the first share it sees). */
export function merkleMemo(): MerkleMemo {
  return { job: undefined, extranonce1: '', extranonce2: '', coinbase: NO_BYTES, merkleRoot: NO_BYTES };
}

/**
 * Rebuilds the block header a miner hashed for this share and judges it. Hex fields must already
 * be normalised (lowercase, padded) as the message parser leaves them. With `memo` (one per
 * miner), a share on the same job and extranonces as the one before reuses its merkle root.
 */
export function assembleShare(input: ShareInput, memo?: MerkleMemo): AssembledShare {
  const { job, submit } = input;
  let coinbase: Buffer;
  let merkleRoot: Buffer;
  if (
    memo !== undefined &&
    memo.job === job &&
    memo.extranonce2 === submit.extranonce2 &&
    memo.extranonce1 === input.extranonce1
  ) {
    coinbase = memo.coinbase;
    merkleRoot = memo.merkleRoot;
  } else {
    coinbase = buildCoinbase(
      job.coinb1,
      Buffer.from(input.extranonce1, 'hex'),
      Buffer.from(submit.extranonce2, 'hex'),
      job.coinb2,
    );
    merkleRoot = merkleRootFromBranches(sha256d(coinbase), job.branches);
    if (memo !== undefined) {
      memo.job = job;
      memo.extranonce1 = input.extranonce1;
      memo.extranonce2 = submit.extranonce2;
      memo.coinbase = coinbase;
      memo.merkleRoot = merkleRoot;
    }
  }
  const version =
    submit.versionBits === undefined
      ? job.version
      : applyVersionBits(job.version, u32FromHex(submit.versionBits), input.versionMask ?? 0);
  const header = buildHeader({
    version,
    prevhash: job.prevhash,
    merkleRoot,
    ntime: u32FromHex(submit.ntime),
    nbits: job.nbits,
    nonce: u32FromHex(submit.nonce),
  });
  const hash = sha256d(header);
  return { coinbase, merkleRoot, version, header, hash, difficulty: hashToDifficulty(hash) };
}

/** Display byte order (reversed), as block explorers print hashes and merkle roots. */
export function toDisplayHex(internal: Buffer): string {
  return reverseBytes(internal).toString('hex');
}
