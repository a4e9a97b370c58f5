import type { JobParams, PreparedJob, SeenShares } from '../../stratum/index.js';
import { prepareJob } from '../../stratum/index.js';

export interface PoolJob {
  readonly id: string;
  /** As first created; `cleanJobs` here says whether it started a new block. */
  readonly params: JobParams;
  readonly prepared: PreparedJob;
  readonly height: number;
  readonly createdAt: number;
}

export type JobLookup = { status: 'live'; job: PoolJob } | { status: 'stale' } | { status: 'unknown' };

/** How many forgotten job ids are remembered so a late share is called stale rather than unknown. */
export const DEFAULT_STALE_MEMORY = 4096;

/**
 * The jobs a share may name. Up to `maxJobs` of the current block stay live; a clean job (new block)
 * makes every earlier job stale at once. Forgotten ids are remembered (bounded) so late shares get
 * "stale" in the books, and their duplicate-detection memory is freed.
 */
export class JobBook {
  private readonly live = new Map<string, PoolJob>();
  private readonly stale = new Set<string>();
  private seq = 0;
  private latest: PoolJob | undefined;
  private total = 0;

  /**
   * `firstId` lets each pool count from its own random start, so a job id from one pool is
   * unknown to another (as with real pools) instead of naming an unrelated job.
   */
  constructor(
    private readonly maxJobs: number,
    private readonly seen: SeenShares,
    private readonly staleMemory = DEFAULT_STALE_MEMORY,
    firstId = 1,
  ) {
    this.seq = firstId - 1;
  }

  /** A fresh job id: a hex counter, unique in this pool. */
  nextId(): string {
    this.seq += 1;
    return this.seq.toString(16);
  }

  add(params: JobParams, height: number, createdAt: number): PoolJob {
    if (this.live.has(params.jobId) || this.stale.has(params.jobId)) {
      throw new Error(`job id ${params.jobId} already used`);
    }
    if (params.cleanJobs) for (const id of [...this.live.keys()]) this.retire(id);
    const job: PoolJob = { id: params.jobId, params, prepared: prepareJob(params), height, createdAt };
    this.live.set(job.id, job);
    while (this.live.size > this.maxJobs) this.retire(this.live.keys().next().value as string);
    this.latest = job;
    this.total += 1;
    return job;
  }

  lookup(jobId: string): JobLookup {
    const job = this.live.get(jobId);
    if (job !== undefined) return { status: 'live', job };
    return this.stale.has(jobId) ? { status: 'stale' } : { status: 'unknown' };
  }

  isLive(jobId: string): boolean {
    return this.live.has(jobId);
  }

  get current(): PoolJob | undefined {
    return this.latest;
  }

  get liveCount(): number {
    return this.live.size;
  }

  /** Jobs created since the pool started. */
  get createdCount(): number {
    return this.total;
  }

  private retire(id: string): void {
    this.live.delete(id);
    this.seen.forgetJob(id);
    this.stale.add(id);
    if (this.stale.size > this.staleMemory) this.stale.delete(this.stale.values().next().value as string);
  }
}
