/**
 * Difficulty 1 target as pools define it ("pdiff"): 0x00000000FFFF0000...0 (bdiff's nbits 0x1d00ffff).
 * difficulty = DIFF1_TARGET / hash, where the hash is the sha256d of the header read as a
 * little-endian 256-bit integer.
 */
export const DIFF1_TARGET = 0xffffn << 208n;
const DIFF1_FLOAT = Number(DIFF1_TARGET);
const MAX_TARGET = (1n << 256n) - 1n;

/** The difficulty of a sha256d hash (32 bytes, internal byte order as sha256d returns it). */
export function hashToDifficulty(hash: Uint8Array): number {
  if (hash.length !== 32) throw new RangeError(`hash must be 32 bytes, got ${hash.length}`);
  // Most significant byte is the last one (little-endian integer). Accumulating in a double
  // keeps ~16 significant digits whatever the magnitude, so 1e-5 and 1e15 are both exact enough.
  let value = 0;
  for (let i = 31; i >= 0; i -= 1) value = value * 256 + (hash[i] as number);
  return value === 0 ? Number.POSITIVE_INFINITY : DIFF1_FLOAT / value;
}

/** The largest hash (as an integer) that meets difficulty `d`: floor(DIFF1 / d), exact for any double d > 0. */
export function difficultyToTarget(difficulty: number): bigint {
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) {
    throw new RangeError(`difficulty must be a finite number above 0, got ${difficulty}`);
  }
  const { mantissa, exponent } = decompose(difficulty);
  const target =
    exponent >= 0
      ? DIFF1_TARGET / (mantissa << BigInt(exponent))
      : (DIFF1_TARGET << BigInt(-exponent)) / mantissa;
  return target > MAX_TARGET ? MAX_TARGET : target;
}

export function targetToDifficulty(target: bigint): number {
  if (target <= 0n) throw new RangeError('target must be above 0');
  return DIFF1_FLOAT / Number(target);
}

/** 64 hex characters, big-endian, as NerdMiner prints `target:`. */
export function targetToHex(target: bigint): string {
  return target.toString(16).padStart(64, '0');
}

/** The hash as a 256-bit integer (little-endian bytes). */
export function hashToBigInt(hash: Uint8Array): bigint {
  const b = Buffer.isBuffer(hash) ? hash : Buffer.from(hash);
  return (
    (b.readBigUInt64LE(24) << 192n) |
    (b.readBigUInt64LE(16) << 128n) |
    (b.readBigUInt64LE(8) << 64n) |
    b.readBigUInt64LE(0)
  );
}

/** True when the hash meets the difficulty, judged exactly on integers. */
export function meetsDifficulty(hash: Uint8Array, difficulty: number): boolean {
  return hashToBigInt(hash) <= cachedTarget(difficulty);
}

/**
 * How far apart a hash's difficulty (hashToDifficulty, a double: ~1e-14 relative error) and a
 * difficulty must be for the double alone to judge; closer than this the integers decide.
 */
const FLOAT_MARGIN = 1e-9;

/**
 * meetsDifficulty for a hash whose difficulty is already known (hashToDifficulty of the same
 * hash): the same answer, exactly, without building 256-bit integers for all but the hashes
 * within a billionth of the target.
 */
export function meetsDifficultyKnowing(
  hash: Uint8Array,
  hashDifficulty: number,
  difficulty: number,
): boolean {
  if (hashDifficulty > difficulty * (1 + FLOAT_MARGIN)) return true;
  if (hashDifficulty < difficulty * (1 - FLOAT_MARGIN)) return false;
  return meetsDifficulty(hash, difficulty);
}

const targetCache = new Map<number, bigint>();
const TARGET_CACHE_LIMIT = 1024;

/** Sessions share a handful of difficulties; computing each target once keeps share checks cheap. */
function cachedTarget(difficulty: number): bigint {
  let target = targetCache.get(difficulty);
  if (target === undefined) {
    target = difficultyToTarget(difficulty);
    if (targetCache.size >= TARGET_CACHE_LIMIT) targetCache.clear();
    targetCache.set(difficulty, target);
  }
  return target;
}

/** An exact decomposition value = mantissa * 2^exponent with an integer mantissa. */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa, exponent };
}

/**
 * The network target a block header's compact `nbits` encodes (Bitcoin's SetCompact: a 3-byte
 * mantissa times 256^(exponent - 3); a set sign bit or a zero mantissa means no valid target, 0n).
 */
export function nbitsToTarget(nbits: number): bigint {
  const exponent = (nbits >>> 24) & 0xff;
  const mantissa = nbits & 0x007fffff;
  if (mantissa === 0 || (nbits & 0x00800000) !== 0) return 0n;
  const target =
    exponent <= 3
      ? BigInt(mantissa) >> BigInt(8 * (3 - exponent))
      : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  return target > MAX_TARGET ? MAX_TARGET : target;
}

/** True when the hash meets the network target `nbits` encodes: the share is a block. */
export function meetsNetworkTarget(hash: Uint8Array, nbits: number): boolean {
  const target = nbitsToTarget(nbits);
  return target > 0n && hashToBigInt(hash) <= target;
}
