import { parseConfigureResult, parseSubscribeResult } from '../../stratum/index.js';
import type { JobParams, JsonValue, StratumMessage } from '../../stratum/index.js';

/** Stratum's difficulty before any mining.set_difficulty. */
export const STRATUM_DEFAULT_DIFFICULTY = 1;

export interface TrackedJob {
  params: JobParams;
  /** The difficulty in force when the job arrived. */
  difficulty: number;
  /** 1 for the session's first notify, 2 for the next, ... */
  seq: number;
  /** How many clean_jobs notifies (the session's first included) came up to this one. */
  epoch: number;
}

/** What a share for a job must meet to be accepted, and fall short of to be refused as low. */
export interface ShareRequirement {
  /** Meets every difficulty a pool may judge it by (the job's and the current one). */
  accept: number;
  /** Below every difficulty a pool may judge it by. */
  refuse: number;
}

/**
 * A session's mining state as the pool announced it: extranonce, difficulty, version mask and
 * jobs. Fed every parsed line from the pool (and told which method each answer answers).
 */
export class WorkTracker {
  extranonce1: string | undefined;
  extranonce2Size: number | undefined;
  /** The granted version-rolling mask (0 when none was negotiated). */
  versionMask = 0;
  difficulty = STRATUM_DEFAULT_DIFFICULTY;
  difficultyAnnounced = false;
  readonly jobs = new Map<string, TrackedJob>();
  latest: TrackedJob | undefined;
  private seq = 0;
  private epoch = 0;

  constructor(private readonly maxJobs = 256) {}

  /** A line from the pool; `answers` is the method of the request a response answers. */
  onPoolMessage(msg: StratumMessage, answers?: string): void {
    if (msg.type === 'response') {
      if (msg.error !== null) return;
      if (answers === 'mining.subscribe') this.onSubscribe(msg.result);
      else if (answers === 'mining.configure') this.versionMask = parseConfigureResult(msg.result) ?? 0;
      return;
    }
    if (msg.type !== 'request') return;
    switch (msg.method) {
      case 'mining.set_difficulty':
        this.difficulty = msg.params.difficulty;
        this.difficultyAnnounced = true;
        return;
      case 'mining.notify':
        this.onNotify(msg.params);
        return;
      case 'mining.set_extranonce':
        this.extranonce1 = msg.params.extranonce1;
        this.extranonce2Size = msg.params.extranonce2Size;
        return;
      case 'mining.set_version_mask':
        this.versionMask = Number.parseInt(msg.params.mask, 16) >>> 0;
        return;
      default:
        return;
    }
  }

  requirement(jobId: string): ShareRequirement {
    const atJob = this.jobs.get(jobId)?.difficulty ?? this.difficulty;
    return { accept: Math.max(atJob, this.difficulty), refuse: Math.min(atJob, this.difficulty) };
  }

  private onSubscribe(result: JsonValue): void {
    try {
      const r = parseSubscribeResult(result);
      this.extranonce1 = r.extranonce1;
      this.extranonce2Size = r.extranonce2Size;
    } catch {
      // A malformed answer leaves the session without an extranonce; callers report it.
    }
  }

  private onNotify(params: JobParams): void {
    this.seq += 1;
    if (params.cleanJobs || this.epoch === 0) this.epoch += 1;
    const job: TrackedJob = { params, difficulty: this.difficulty, seq: this.seq, epoch: this.epoch };
    // A job sent again (a proxy re-sends it after a difficulty change) is judged at the newer difficulty.
    this.jobs.delete(params.jobId);
    this.jobs.set(params.jobId, job);
    this.latest = job;
    while (this.jobs.size > this.maxJobs) this.jobs.delete(this.jobs.keys().next().value as string);
  }
}
