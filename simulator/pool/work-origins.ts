/** Why a job exists: the pool announced new work to everyone, or it was made for some sessions. */
export type WorkOrigin = 'new-job' | 'new-block' | 'session' | 'unknown';

/** Broadcast job ids remembered; older ones read as `session` (still known to the job book) or `unknown`. */
export const DEFAULT_ORIGIN_MEMORY = 4096;

/**
 * Which job ids the pool broadcast as new work (`newJob()`, `newBlock()`, by timer or on request),
 * so a recorder can mark them and a replay can ask a pool for the same work at the same point.
 * Bounded: the oldest ids are forgotten first.
 */
export class WorkOrigins {
  private readonly origins = new Map<string, 'new-job' | 'new-block'>();

  constructor(private readonly memory = DEFAULT_ORIGIN_MEMORY) {}

  remember(jobId: string, origin: 'new-job' | 'new-block'): void {
    this.origins.set(jobId, origin);
    while (this.origins.size > this.memory) this.origins.delete(this.origins.keys().next().value as string);
  }

  /** The origin of `jobId`; `known` says whether the pool made it at all. */
  of(jobId: string, known: boolean): WorkOrigin {
    return this.origins.get(jobId) ?? (known ? 'session' : 'unknown');
  }
}
