import { createHash, randomBytes } from 'node:crypto';
import type { JobParams } from '../stratum/messages.js';

/**
 * The scripted pool's jobs: coinbase-shaped bytes that pool and miner only need to hash alike.
 * Deterministic ones (for recorded fixtures) come from a fixed seed and a fixed ntime; the others
 * have a random prevhash and the wall clock's ntime.
 */
export class PoolJobs {
  private count = 0;
  private prevhash: string;

  constructor(private readonly deterministic: boolean) {
    this.prevhash = this.bytes32('prevhash');
  }

  /** A new job; a clean one starts a new block (a new prevhash). */
  next(cleanJobs: boolean): JobParams {
    this.count += 1;
    const n = this.count;
    if (cleanJobs) this.prevhash = this.bytes32(`prevhash-${n}`);
    const height = (800_000 + n).toString(16).padStart(6, '0');
    return {
      jobId: n.toString(16),
      prevhash: this.prevhash,
      coinb1: `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff1103${height.slice(4)}${height.slice(2, 4)}${height.slice(0, 2)}`,
      coinb2:
        '0a6b61726f6f2d74657374ffffffff0100f2052a010000001976a914000000000000000000000000000000000000000088ac00000000',
      merkleBranches: [this.bytes32(`a-${n}`), this.bytes32(`b-${n}`)],
      version: '20000000',
      nbits: '1703a30c',
      ntime: (this.deterministic ? 0x68000000 : Math.floor(Date.now() / 1000)).toString(16).padStart(8, '0'),
      cleanJobs,
    };
  }

  private bytes32(label: string): string {
    if (!this.deterministic) return randomBytes(32).toString('hex');
    return createHash('sha256').update(`karoo scripted pool ${label}`).digest('hex');
  }
}
