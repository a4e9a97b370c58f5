import * as crypto from 'node:crypto';
import { sha256dWords, wordsToBytes } from './sha256-words.js';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;

/**
 * crypto.hash (Node >= 20.12) skips the Hash object and is about twice as fast for an 80-byte
 * header as createHash; older Node 20 releases fall back to createHash.
 */
const oneShot: OneShot | undefined = (crypto as unknown as { hash?: OneShot }).hash;

/** Double SHA-256 by node:crypto alone: an oracle independent of the JavaScript path below. */
export const nodeSha256d: (data: Uint8Array) => Buffer = oneShot
  ? (data) => oneShot('sha256', oneShot('sha256', data, 'buffer'), 'buffer')
  : (data) => crypto.createHash('sha256').update(crypto.createHash('sha256').update(data).digest()).digest();

/**
 * Inputs up to this long are hashed in JavaScript (sha256-words.ts: up to four compressions,
 * cheaper than two calls into node:crypto); longer ones by node:crypto, whose per-byte speed wins.
 */
export const JS_SHA256D_MAX_BYTES = 183;
const digest = new Int32Array(8);

/** Bitcoin's double SHA-256. */
export function sha256d(data: Uint8Array): Buffer {
  if (data.length > JS_SHA256D_MAX_BYTES) return nodeSha256d(data);
  sha256dWords(data, digest);
  return wordsToBytes(digest);
}
