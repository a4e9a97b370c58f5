import { createHash } from 'node:crypto';

/** Bitcoin's double SHA-256. */
export function sha256d(data: Uint8Array): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}
