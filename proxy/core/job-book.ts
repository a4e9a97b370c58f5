import { encodeMessage, request } from '../../stratum/index.js';
import type { UpstreamJob } from './upstream/upstream-connection.js';

export const DEFAULT_MAX_JOBS = 16;

/** A pool job as the proxy keeps it: the notify is encoded once per clean flag, for every miner. */
export interface BookedJob extends UpstreamJob {
  readonly jobId: string;
  /** The word-swapped prevhash as the pool sent it: which block this job builds on. */
  readonly block: string;
  notifyLine(clean: boolean): string;
  /** The same line and its newline as bytes, one buffer written to every miner's socket. */
  notifyBytes(clean: boolean): Buffer;
}

export function bookJob(job: UpstreamJob): BookedJob {
  const lines: [string | undefined, string | undefined] = [undefined, undefined];
  const bytes: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];
  const notifyLine = (clean: boolean): string =>
    (lines[clean ? 1 : 0] ??= encodeMessage(
      request('mining.notify', { ...job.prepared.job, cleanJobs: clean }),
    ));
  return {
    ...job,
    jobId: job.prepared.job.jobId,
    block: job.prepared.job.prevhash,
    notifyLine,
    notifyBytes: (clean) => (bytes[clean ? 1 : 0] ??= Buffer.from(`${notifyLine(clean)}\n`, 'utf8')),
  };
}

/**
 * The pool's recent jobs, so late shares for an older job of the same block are still judged
 * (against the difficulty in force when that job came). A clean job forgets everything before it:
 * shares for those are stale (21).
 */
export class JobBook {
  private readonly jobs = new Map<string, BookedJob>();
  latest: BookedJob | undefined;

  constructor(private readonly maxJobs = DEFAULT_MAX_JOBS) {}

  /** Adds a job; returns the ids it made stale, for callers that key state by job. */
  add(job: BookedJob): string[] {
    const dropped: string[] = [];
    if (job.prepared.job.cleanJobs) {
      for (const id of this.jobs.keys()) if (id !== job.jobId) dropped.push(id);
      this.jobs.clear();
    }
    this.jobs.delete(job.jobId);
    this.jobs.set(job.jobId, job);
    while (this.jobs.size > this.maxJobs) {
      const oldest = this.jobs.keys().next().value as string;
      this.jobs.delete(oldest);
      dropped.push(oldest);
    }
    this.latest = job;
    return dropped;
  }

  get(jobId: string): BookedJob | undefined {
    return this.jobs.get(jobId);
  }

  /** After an upstream redial the old session's jobs are no longer the pool's. */
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
