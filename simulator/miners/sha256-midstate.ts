/**
 * SHA-256 for 80-byte block headers with the first 64 bytes precomputed (the "midstate"), the
 * way mining firmware does it: each nonce then costs two compressions instead of three and no
 * allocation. Node's createHash costs a few microseconds per call in object churn; this loop runs
 * about six times faster, which is what lets a laptop simulate a rack. Every share it finds is
 * re-checked with node:crypto (stratum/sha256d.ts) before it is sent.
 */

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const IV = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** Message schedule shared by every call (single-threaded, never re-entered). */
const W = new Uint32Array(64);

/** One SHA-256 compression of the block in W[0..15] onto `state`, result in `out` (may alias state). */
function compress(state: Uint32Array, out: Uint32Array): void {
  for (let i = 16; i < 64; i += 1) {
    const x = W[i - 15] as number;
    const y = W[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (s0 + s1 + (W[i - 7] as number) + (W[i - 16] as number)) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i += 1) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (K[i] as number) + (W[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  out[0] = ((state[0] as number) + a) | 0;
  out[1] = ((state[1] as number) + b) | 0;
  out[2] = ((state[2] as number) + c) | 0;
  out[3] = ((state[3] as number) + d) | 0;
  out[4] = ((state[4] as number) + e) | 0;
  out[5] = ((state[5] as number) + f) | 0;
  out[6] = ((state[6] as number) + g) | 0;
  out[7] = ((state[7] as number) + h) | 0;
}

function bswap32(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

/**
 * sha256d over one header whose first 76 bytes are fixed (the version may be swapped in), for any
 * nonce. `hash()` leaves the digest as eight big-endian words: digest byte i is
 * `(words[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff`, the same bytes sha256d() returns.
 */
export class HeaderHasher {
  private readonly head = Buffer.alloc(64);
  private readonly midstate = new Uint32Array(8);
  private readonly tail = new Uint32Array(3);
  private readonly inner = new Uint32Array(8);

  /** Loads the header (80 bytes, or 76 without the nonce). */
  load(header: Uint8Array): void {
    if (header.length < 76) throw new RangeError(`header must be at least 76 bytes, got ${header.length}`);
    const buf = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
    buf.copy(this.head, 0, 0, 64);
    this.tail[0] = buf.readUInt32BE(64);
    this.tail[1] = buf.readUInt32BE(68);
    this.tail[2] = buf.readUInt32BE(72);
    this.updateMidstate();
  }

  /** Replaces the header's nVersion (bytes 0..3, little-endian), as version rolling does. */
  setVersion(version: number): void {
    this.head.writeUInt32LE(version >>> 0, 0);
    this.updateMidstate();
  }

  /** sha256d(header with `nonce`) into `out` (8 big-endian words). */
  hash(nonce: number, out: Uint32Array): void {
    const t = this.tail;
    W[0] = t[0] as number;
    W[1] = t[1] as number;
    W[2] = t[2] as number;
    W[3] = bswap32(nonce);
    W[4] = 0x80000000;
    for (let i = 5; i < 15; i += 1) W[i] = 0;
    W[15] = 640;
    compress(this.midstate, this.inner);
    for (let i = 0; i < 8; i += 1) W[i] = this.inner[i] as number;
    W[8] = 0x80000000;
    for (let i = 9; i < 15; i += 1) W[i] = 0;
    W[15] = 256;
    compress(IV, out);
  }

  private updateMidstate(): void {
    for (let i = 0; i < 16; i += 1) W[i] = this.head.readUInt32BE(i * 4);
    compress(IV, this.midstate);
  }
}

/** The digest words as the 32 bytes sha256d() would return. */
export function digestBytes(words: Uint32Array): Buffer {
  const out = Buffer.allocUnsafe(32);
  for (let i = 0; i < 8; i += 1) out.writeUInt32BE((words[i] as number) >>> 0, i * 4);
  return out;
}

/**
 * 32-bit limbs of the hash read as a little-endian 256-bit integer, most significant first:
 * limb k is digest bytes 31-4k..28-4k, i.e. the byte-swapped word 7-k.
 */
export function hashLimb(words: Uint32Array, k: number): number {
  return bswap32(words[7 - k] as number);
}

/** A target as eight 32-bit limbs, most significant first, for a fast exact comparison. */
export function targetLimbs(target: bigint): Uint32Array {
  const limbs = new Uint32Array(8);
  for (let k = 0; k < 8; k += 1) limbs[k] = Number((target >> BigInt(32 * (7 - k))) & 0xffffffffn);
  return limbs;
}

/** True when the hash (as a 256-bit little-endian integer) is at most the target. */
export function meetsTargetLimbs(words: Uint32Array, limbs: Uint32Array): boolean {
  for (let k = 0; k < 8; k += 1) {
    const h = hashLimb(words, k);
    const t = limbs[k] as number;
    if (h !== t) return h < t;
  }
  return true;
}

/** True when the top 16 bits of the hash are zero (digest bytes 31 and 30), NerdMiner's prefilter. */
export function top16Zero(words: Uint32Array): boolean {
  return ((words[7] as number) & 0xffff) === 0;
}
