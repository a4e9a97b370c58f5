import * as crypto from 'node:crypto';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;

/**
 * crypto.hash (Node >= 20.12) skips the Hash object and is about twice as fast for an 80-byte
 * header as createHash; older Node 20 releases fall back to createHash.
 */
const oneShot: OneShot | undefined = (crypto as unknown as { hash?: OneShot }).hash;

/** Bitcoin's double SHA-256. */
export const sha256d: (data: Uint8Array) => Buffer = oneShot
  ? (data) => oneShot('sha256', oneShot('sha256', data, 'buffer'), 'buffer')
  : (data) => crypto.createHash('sha256').update(crypto.createHash('sha256').update(data).digest()).digest();
