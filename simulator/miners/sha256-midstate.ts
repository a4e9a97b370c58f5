import { SHA256_IV, W, compress, sha256OfDigest } from '../../stratum/sha256-words.js';

/**
 * SHA-256 for 80-byte block headers with the first 64 bytes precomputed (the "midstate"), the
 * way mining firmware does it: each nonce then costs two compressions instead of three and no
 * allocation. Node's createHash costs a few microseconds per call in object churn; this loop runs
 * about six times faster, which is what lets a laptop simulate a rack. The compression function is
 * the share check's own (stratum/sha256-words.ts).
 */

function bswap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/**
 * sha256d over one header whose first 76 bytes are fixed (the version may be swapped in), for any
 * nonce. `hash()` leaves the digest as eight big-endian words (signed, as stratum/sha256-words.ts
 * keeps them): digest byte i is
 * `(words[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff`, the same bytes sha256d() returns (wordsToBytes in
 * stratum/sha256-words.ts turns them into those bytes).
 */
export class HeaderHasher {
  private readonly head = Buffer.alloc(64);
  private readonly midstate = new Int32Array(8);
  private readonly tail = new Int32Array(3);
  private readonly inner = new Int32Array(8);

  /** Loads the header (80 bytes, or 76 without the nonce). */
  load(header: Uint8Array): void {
    if (header.length < 76) throw new RangeError(`header must be at least 76 bytes, got ${header.length}`);
    const buf = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
    buf.copy(this.head, 0, 0, 64);
    this.tail[0] = buf.readInt32BE(64);
    this.tail[1] = buf.readInt32BE(68);
    this.tail[2] = buf.readInt32BE(72);
    this.updateMidstate();
  }

  /** Replaces the header's nVersion (bytes 0..3, little-endian), as version rolling does. */
  setVersion(version: number): void {
    this.head.writeUInt32LE(version >>> 0, 0);
    this.updateMidstate();
  }

  /** sha256d(header with `nonce`) into `out` (8 big-endian words, signed). */
  hash(nonce: number, out: Int32Array): void {
    const t = this.tail;
    W[0] = t[0] as number;
    W[1] = t[1] as number;
    W[2] = t[2] as number;
    W[3] = bswap32(nonce) | 0;
    W[4] = 0x80000000 | 0;
    for (let i = 5; i < 15; i += 1) W[i] = 0;
    W[15] = 640;
    compress(this.midstate, this.inner);
    sha256OfDigest(this.inner, out);
  }

  private updateMidstate(): void {
    for (let i = 0; i < 16; i += 1) W[i] = this.head.readInt32BE(i * 4);
    compress(SHA256_IV, this.midstate);
  }
}

/**
 * 32-bit limbs of the hash read as a little-endian 256-bit integer, most significant first:
 * limb k is digest bytes 31-4k..28-4k, i.e. the byte-swapped word 7-k.
 */
export function hashLimb(words: Int32Array, k: number): number {
  return bswap32(words[7 - k] as number);
}

/** A target as eight 32-bit limbs, most significant first, for a fast exact comparison. */
export function targetLimbs(target: bigint): Uint32Array {
  const limbs = new Uint32Array(8);
  for (let k = 0; k < 8; k += 1) limbs[k] = Number((target >> BigInt(32 * (7 - k))) & 0xffffffffn);
  return limbs;
}

/** True when the hash (as a 256-bit little-endian integer) is at most the target. */
export function meetsTargetLimbs(words: Int32Array, limbs: Uint32Array): boolean {
  for (let k = 0; k < 8; k += 1) {
    const h = hashLimb(words, k);
    const t = limbs[k] as number;
    if (h !== t) return h < t;
  }
  return true;
}

/** True when the top 16 bits of the hash are zero (digest bytes 31 and 30), NerdMiner's prefilter. */
export function top16Zero(words: Int32Array): boolean {
  return ((words[7] as number) & 0xffff) === 0;
}
