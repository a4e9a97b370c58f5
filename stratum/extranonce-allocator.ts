import { StratumError } from './errors.js';

/** Extranonce2 sizes NerdMiner firmware handles (utils.cpp); others get "Unknown extranonce2". */
export const MINER_EXTRANONCE2_SIZES = [8, 4, 2] as const;

/** Widest prefix: the widest pool extranonce2 the parser accepts (16) minus the narrowest miner share (1). */
const MAX_PREFIX_BYTES = 15;
/** Prefix values are counted in a double; beyond 6 bytes the high bytes stay zero. */
const MAX_COUNTED_BYTES = 6;

export class ExtranonceSpaceFullError extends StratumError {
  constructor(slots: number) {
    super('OTHER', `extranonce space full: all ${slots} prefixes are in use or waiting for a clean job`);
    this.name = 'ExtranonceSpaceFullError';
  }
}

export interface PrefixLayout {
  /** Bytes carved from the pool's extranonce2 for each miner's prefix. */
  prefixBytes: number;
  /** What each miner is told its extranonce2 size is. */
  minerExtranonce2Size: number;
}

/**
 * The widest prefix that still leaves miners an extranonce2 size they handle: the largest of 8, 4, 2
 * below the pool's size (pool 8 -> miners 4, prefix 4; pool 4 -> miners 2, prefix 2). A pool
 * extranonce2 of 2 leaves one byte each; a pool size of 1 cannot be split.
 */
export function choosePrefixLayout(poolExtranonce2Size: number): PrefixLayout {
  if (!Number.isInteger(poolExtranonce2Size) || poolExtranonce2Size < 2) {
    throw new RangeError(
      `pool extranonce2 size ${poolExtranonce2Size} is too small to split (need at least 2)`,
    );
  }
  const miner = MINER_EXTRANONCE2_SIZES.find((s) => s < poolExtranonce2Size) ?? 1;
  return { prefixBytes: poolExtranonce2Size - miner, minerExtranonce2Size: miner };
}

/**
 * Hands out fixed-width extranonce prefixes, unique among live sessions. A released prefix waits in
 * quarantine until the next clean job, so a share for the old session's work can never be credited
 * to a new session that got the same prefix.
 */
export class ExtranoncePrefixAllocator {
  readonly prefixBytes: number;
  readonly slots: number;
  private readonly live = new Set<number>();
  private quarantine = new Set<number>();
  private next = 0;

  constructor(prefixBytes: number) {
    if (!Number.isInteger(prefixBytes) || prefixBytes < 1 || prefixBytes > MAX_PREFIX_BYTES) {
      throw new RangeError(`prefix width must be 1 to ${MAX_PREFIX_BYTES} bytes, got ${prefixBytes}`);
    }
    this.prefixBytes = prefixBytes;
    // A pool extranonce2 of 15 or 16 bytes gives 7- or 8-byte prefixes (choosePrefixLayout); 2^48
    // distinct values are more than any proxy will hand out, and keep every prefix a safe integer.
    this.slots = 2 ** (8 * Math.min(prefixBytes, MAX_COUNTED_BYTES));
  }

  get liveCount(): number {
    return this.live.size;
  }

  get quarantinedCount(): number {
    return this.quarantine.size;
  }

  /** A free prefix as lowercase hex of `prefixBytes` bytes. */
  allocate(): string {
    if (this.live.size + this.quarantine.size >= this.slots) throw new ExtranonceSpaceFullError(this.slots);
    // Sequential scan from the last position: O(1) amortised while the space is sparse.
    for (;;) {
      const candidate = this.next;
      this.next = (this.next + 1) % this.slots;
      if (!this.live.has(candidate) && !this.quarantine.has(candidate)) {
        this.live.add(candidate);
        return candidate.toString(16).padStart(this.prefixBytes * 2, '0');
      }
    }
  }

  /** Gives a prefix back; it becomes free again only after the next clean job. */
  release(prefix: string): void {
    const value = Number.parseInt(prefix, 16);
    if (this.live.delete(value)) this.quarantine.add(value);
  }

  /**
   * Session resume (ckpool's): a miner that reconnects offering the prefix it just released gets
   * it back, as long as it is still waiting in quarantine, so its work stays valid. False when the
   * prefix is live, unknown, or was freed by a clean job since.
   */
  reclaim(prefix: string): boolean {
    if (prefix.length !== this.prefixBytes * 2 || !/^[0-9a-f]+$/i.test(prefix)) return false;
    const value = Number.parseInt(prefix, 16);
    if (!this.quarantine.delete(value)) return false;
    this.live.add(value);
    return true;
  }

  /** A clean job (new block) makes old work worthless, so quarantined prefixes are free again. */
  onCleanJob(): void {
    this.quarantine = new Set();
  }

  isLive(prefix: string): boolean {
    return this.live.has(Number.parseInt(prefix, 16));
  }

  /** The prefixes in use, as allocate() returned them. */
  livePrefixes(): string[] {
    return [...this.live].map((v) => v.toString(16).padStart(this.prefixBytes * 2, '0'));
  }
}
