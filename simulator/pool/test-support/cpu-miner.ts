import { createHash } from 'node:crypto';

/**
 * A miner written the way pooler's cpuminer builds and hashes work (cpu-miner.c stratum_gen_work,
 * util.c diff_to_target), independently of stratum/share-math.ts, so a share it finds being
 * accepted shows the pool agrees with a real miner and not just with itself.
 */

export interface MinerJob {
  jobId: string;
  prevhash: string;
  coinb1: string;
  coinb2: string;
  branches: string[];
  version: string;
  nbits: string;
  ntime: string;
  clean: boolean;
}

export interface FoundShare {
  extranonce2: string;
  /** As cpuminer sends them: hex of the little-endian encoding of the header words. */
  ntime: string;
  nonce: string;
  versionBits?: string;
  /** The header hash as a 256-bit integer (little-endian bytes). */
  hash: bigint;
  difficulty: number;
}

export interface MineOptions {
  extranonce1: string;
  extranonce2: string;
  /** The share must meet this difficulty (cpuminer's target). */
  difficulty: number;
  /** ...and must NOT meet this one (to build low-difficulty shares). */
  notDifficulty?: number;
  versionMask?: number;
  versionBits?: number;
  /** ntime to put in the header instead of the job's (big-endian hex as in notify). */
  ntime?: string;
  startNonce?: number;
  /** Step between nonces tried; 256 gives nonces whose hex (as cpuminer sends it) starts with 00. */
  nonceStride?: number;
  maxNonces?: number;
}

const DIFF1 = 0xffffn << 208n;

export function jobFromNotify(params: unknown[]): MinerJob {
  const [jobId, prevhash, coinb1, coinb2, branches, version, nbits, ntime, clean] = params;
  return {
    jobId: String(jobId),
    prevhash: String(prevhash),
    coinb1: String(coinb1),
    coinb2: String(coinb2),
    branches: (branches as unknown[]).map(String),
    version: String(version),
    nbits: String(nbits),
    ntime: String(ntime),
    clean: clean === true,
  };
}

/** cpuminer's diff_to_target: m = 0xffff0000 / diff placed at 32-bit word k. */
export function cpuminerTarget(difficulty: number): bigint {
  let diff = difficulty;
  let k = 6;
  while (k > 0 && diff > 1.0) {
    diff /= 4294967296.0;
    k -= 1;
  }
  const m = 4294901760.0 / diff;
  if (m >= 2 ** 64) return (1n << 256n) - 1n;
  return BigInt(Math.floor(m)) << BigInt(32 * k);
}

function sha256d(data: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

function le32dec(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset);
}

/** Words as cpuminer keeps them; the header is their big-endian encoding. */
function workData(job: MinerJob, merkleRoot: Buffer, version: number, ntimeHex: string): Uint32Array {
  const data = new Uint32Array(20);
  data[0] = version;
  const prev = Buffer.from(job.prevhash, 'hex');
  for (let i = 0; i < 8; i += 1) data[1 + i] = le32dec(prev, 4 * i);
  for (let i = 0; i < 8; i += 1) data[9 + i] = merkleRoot.readUInt32BE(4 * i);
  data[17] = le32dec(Buffer.from(ntimeHex, 'hex'), 0);
  data[18] = le32dec(Buffer.from(job.nbits, 'hex'), 0);
  return data;
}

function hashToBigInt(hash: Buffer): bigint {
  return BigInt(`0x${Buffer.from(hash).reverse().toString('hex')}`);
}

/** Searches nonces from startNonce; throws if none fits within maxNonces. */
export function mineShare(job: MinerJob, o: MineOptions): FoundShare {
  const coinbase = Buffer.from(job.coinb1 + o.extranonce1 + o.extranonce2 + job.coinb2, 'hex');
  let root = sha256d(coinbase);
  for (const b of job.branches) root = sha256d(Buffer.concat([root, Buffer.from(b, 'hex')]));
  const jobVersion = le32dec(Buffer.from(job.version, 'hex'), 0);
  let version = jobVersion;
  if (o.versionBits !== undefined) {
    // cpuminer's word is byte-swapped; build the real nVersion and swap it the same way.
    const real = Buffer.from(job.version, 'hex').readUInt32BE(0);
    const mask = o.versionMask ?? 0;
    const rolled = ((real & ~mask) | (o.versionBits & mask)) >>> 0;
    const b = Buffer.alloc(4);
    b.writeUInt32BE(rolled);
    version = le32dec(b, 0);
  }
  const ntimeHex = o.ntime ?? job.ntime;
  const data = workData(job, root, version, ntimeHex);
  const header = Buffer.alloc(80);
  for (let i = 0; i < 19; i += 1) header.writeUInt32BE(data[i] as number, 4 * i);
  const target = cpuminerTarget(o.difficulty);
  const targetTop = target >> 192n;
  const tooGood = o.notDifficulty === undefined ? undefined : cpuminerTarget(o.notDifficulty);
  const start = o.startNonce ?? 0;
  const stride = o.nonceStride ?? 1;
  const tries = o.maxNonces ?? 50_000_000;
  for (let i = 0; i < tries; i += 1) {
    const nonce = (start + i * stride) >>> 0;
    header.writeUInt32BE(nonce >>> 0, 76);
    const digest = sha256d(header);
    // Cheap first look at the top 64 bits (like cpuminer's Htarg check) before the exact compare.
    if (digest.readBigUInt64LE(24) > targetTop) continue;
    const hash = hashToBigInt(digest);
    if (hash > target) continue;
    if (tooGood !== undefined && hash <= tooGood) continue;
    const le = Buffer.alloc(4);
    le.writeUInt32LE(nonce >>> 0);
    const share: FoundShare = {
      extranonce2: o.extranonce2,
      ntime: ntimeHex,
      // cpuminer: le32enc(&nonce, data[19]) then bin2hex.
      nonce: le.toString('hex'),
      hash,
      difficulty: Number(DIFF1) / Number(hash === 0n ? 1n : hash),
    };
    if (o.versionBits !== undefined) share.versionBits = (o.versionBits >>> 0).toString(16).padStart(8, '0');
    return share;
  }
  throw new Error(`no share found in ${tries} nonces`);
}

/** The params of a mining.submit for a found share. */
export function submitParams(worker: string, jobId: string, share: FoundShare): string[] {
  const params = [worker, jobId, share.extranonce2, share.ntime, share.nonce];
  if (share.versionBits !== undefined) params.push(share.versionBits);
  return params;
}
