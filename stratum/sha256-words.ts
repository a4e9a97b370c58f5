/**
 * SHA-256 in plain JavaScript on 32-bit words (FIPS 180-4), for the short inputs of a share check:
 * a coinbase, 64-byte merkle pairs, an 80-byte header. node:crypto's one-shot hash costs ~1.9 µs
 * per sha256d of 64 bytes on this machine, nearly all of it the call into C++; the same three
 * compressions here take ~1.2 µs and allocate nothing. Digests are eight big-endian words in an
 * Int32Array (signed: V8 keeps Int32Array arithmetic on small integers, which is faster than
 * Uint32Array's); byte i of a digest is `(words[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff`.
 * Single-threaded and never re-entered: the message schedule is shared.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** The initial hash value. */
export const SHA256_IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule: a caller puts a block's 16 big-endian words in W[0..15], then compresses. */
export const W = new Int32Array(64);

const state = new Int32Array(8);
const inner = new Int32Array(8);

/** One compression of the block in W[0..15] onto `from`, the result in `to` (which may be `from`). */
export function compress(from: Int32Array, to: Int32Array): void {
  // Locals, not the module's bindings: V8 loads an exported binding through its cell on every use.
  const w = W;
  const k = K;
  for (let i = 16; i < 64; i += 1) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (s0 + s1 + (w[i - 7] as number) + (w[i - 16] as number)) | 0;
  }
  let a = from[0] as number;
  let b = from[1] as number;
  let c = from[2] as number;
  let d = from[3] as number;
  let e = from[4] as number;
  let f = from[5] as number;
  let g = from[6] as number;
  let h = from[7] as number;
  for (let i = 0; i < 64; i += 1) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (k[i] as number) + (w[i] as number)) | 0;
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
  to[0] = ((from[0] as number) + a) | 0;
  to[1] = ((from[1] as number) + b) | 0;
  to[2] = ((from[2] as number) + c) | 0;
  to[3] = ((from[3] as number) + d) | 0;
  to[4] = ((from[4] as number) + e) | 0;
  to[5] = ((from[5] as number) + f) | 0;
  to[6] = ((from[6] as number) + g) | 0;
  to[7] = ((from[7] as number) + h) | 0;
}

/** Big-endian word at `offset` of `bytes`. */
export function wordAt(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) << 24) |
    ((bytes[offset + 1] as number) << 16) |
    ((bytes[offset + 2] as number) << 8) |
    (bytes[offset + 3] as number)
  );
}

/** SHA-256 of `bytes` into `out` (eight words). */
export function sha256Words(bytes: Uint8Array, out: Int32Array): void {
  out.set(SHA256_IV);
  const n = bytes.length;
  let offset = 0;
  for (; offset + 64 <= n; offset += 64) {
    for (let i = 0; i < 16; i += 1) W[i] = wordAt(bytes, offset + 4 * i);
    compress(out, out);
  }
  // The rest, the 0x80 marker, zeros and the length in bits: one block, or two when the rest
  // leaves no room for the 8-byte length.
  const rest = n - offset;
  W.fill(0, 0, 16);
  for (let i = 0; i < rest; i += 1) orByte(i, bytes[offset + i] as number);
  orByte(rest, 0x80);
  if (rest >= 56) {
    compress(out, out);
    W.fill(0, 0, 16);
  }
  // n < 2^29 bytes here (a share's coinbase is at most a few kB), so the bit length fits one word.
  W[14] = Math.floor(n / 0x20000000);
  W[15] = (n * 8) | 0;
  compress(out, out);
}

/** Puts byte `value` at byte `i` of the block in W. */
function orByte(i: number, value: number): void {
  const j = i >> 2;
  W[j] = (W[j] as number) | (value << (24 - 8 * (i & 3)));
}

/** SHA-256 of a digest already in words (32 bytes: one padded block). */
export function sha256OfDigest(digest: Int32Array, out: Int32Array): void {
  for (let i = 0; i < 8; i += 1) W[i] = digest[i] as number;
  W[8] = 0x80000000 | 0;
  W.fill(0, 9, 15);
  W[15] = 256;
  compress(SHA256_IV, out);
}

/** sha256d of `bytes` into `out`. */
export function sha256dWords(bytes: Uint8Array, out: Int32Array): void {
  sha256Words(bytes, inner);
  sha256OfDigest(inner, out);
}

/**
 * Folds a coinbase hash up the merkle branches, all in words: root = sha256d(root || branch) for
 * each branch (32 bytes each, internal byte order), three compressions per step.
 */
export function merkleFoldWords(root: Int32Array, branches: readonly Uint8Array[]): void {
  for (const branch of branches) {
    for (let i = 0; i < 8; i += 1) {
      W[i] = root[i] as number;
      W[8 + i] = wordAt(branch, 4 * i);
    }
    compress(SHA256_IV, state);
    W[0] = 0x80000000 | 0;
    W.fill(0, 1, 15);
    W[15] = 512;
    compress(state, inner);
    sha256OfDigest(inner, root);
  }
}

/** The digest words as the 32 bytes node:crypto would return. */
export function wordsToBytes(words: Int32Array, out: Buffer = Buffer.allocUnsafe(32)): Buffer {
  for (let i = 0; i < 8; i += 1) out.writeInt32BE(words[i] as number, i * 4);
  return out;
}
