import type { UpstreamJob } from '../upstream/upstream-connection.js';

export const DEFAULT_MAX_JOBS = 16;

/**
 * The pool's recent jobs, so late shares for an older job of the same block are still judged
 * (against the difficulty in force when that job came). A clean job forgets everything before it:
 * shares for those are stale (21).
 */
export class JobBook {
  private readonly jobs = new Map<string, UpstreamJob>();
  latest: UpstreamJob | undefined;

  constructor(private readonly maxJobs = DEFAULT_MAX_JOBS) {}

  /** Adds a job; returns the ids it made stale, for callers that key state by job. */
  add(job: UpstreamJob): string[] {
    const dropped: string[] = [];
    if (job.prepared.job.cleanJobs) {
      dropped.push(...this.jobs.keys());
      this.jobs.clear();
    }
    this.jobs.delete(job.prepared.job.jobId);
    this.jobs.set(job.prepared.job.jobId, job);
    while (this.jobs.size > this.maxJobs) {
      const oldest = this.jobs.keys().next().value as string;
      this.jobs.delete(oldest);
      dropped.push(oldest);
    }
    this.latest = job;
    return dropped;
  }

  get(jobId: string): UpstreamJob | undefined {
    return this.jobs.get(jobId);
  }

  /** After an upstream redial the old session's jobs are worthless. */
  clear(): string[] {
    const dropped = [...this.jobs.keys()];
    this.jobs.clear();
    this.latest = undefined;
    return dropped;
  }

  get size(): number {
    return this.jobs.size;
  }
}
