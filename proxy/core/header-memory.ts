/** Blocks whose shares are remembered at once: the current one and a few before a reorg settles. */
const MAX_BLOCKS = 4;

/**
 * The header hashes of the shares the proxy accepted, kept per block (the job's prevhash), so a
 * resubmitted share is a duplicate for as long as its job could ever be valid: across upstream
 * redials and session resumes, and across a pool that sends the same job again. A header hash
 * covers the whole header (coinbase with the miner's extranonce, ntime, nonce, version), so two
 * equal hashes are the same share whatever the job id or hex spelling. Forgotten when the pool
 * moves to another block (a clean job on a new prevhash), oldest block first at the bound.
 */
export class HeaderMemory {
  private readonly byBlock = new Map<string, Set<string>>();
  private count = 0;

  constructor(
    /** The block of a job id, from the job book. */
    private readonly blockOf: (jobId: string) => string | undefined,
    private readonly maxEntries = 1_000_000,
  ) {}

  has(_jobId: string, hashHex: string): boolean {
    for (const set of this.byBlock.values()) if (set.has(hashHex)) return true;
    return false;
  }

  add(jobId: string, hashHex: string): void {
    if (this.has(jobId, hashHex)) return;
    const block = this.blockOf(jobId) ?? '';
    let set = this.byBlock.get(block);
    if (set === undefined) {
      while (this.byBlock.size >= MAX_BLOCKS) this.forgetOldest();
      set = new Set();
      this.byBlock.set(block, set);
    }
    while (this.count >= this.maxEntries && this.byBlock.size > 1) this.forgetOldest();
    if (this.count >= this.maxEntries) {
      this.count -= set.size;
      set.clear();
    }
    set.add(hashHex);
    this.count += 1;
  }

  /** A clean job on `block`: shares of every other block can never be valid again. */
  onCleanJob(block: string): void {
    for (const [b, set] of this.byBlock) {
      if (b === block) continue;
      this.count -= set.size;
      this.byBlock.delete(b);
    }
  }

  get size(): number {
    return this.count;
  }

  private forgetOldest(): void {
    const oldest = this.byBlock.keys().next();
    if (oldest.done) return;
    this.count -= this.byBlock.get(oldest.value)?.size ?? 0;
    this.byBlock.delete(oldest.value);
  }
}
