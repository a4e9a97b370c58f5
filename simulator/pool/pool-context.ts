import type { SeenShares, StratumError } from '../../stratum/index.js';
import type { Clock } from '../../runtime/clock.js';
import type { JobBook, PoolJob } from './job-book.js';
import type { MakeJobOptions } from './job-factory.js';
import type { RejectReason } from './pool-books.js';
import type { PoolOptions } from './pool-options.js';
import type { PoolSession } from './pool-session.js';
import type { PoolProfile } from './profiles/index.js';

/** What the faults in force do to one session right now. */
export interface SessionEffects {
  /** No jobs and no difficulty changes reach it (a zombie pool). */
  stalled: boolean;
  /** Answers to its requests wait this long. */
  replyDelayMs: number;
}

export const NO_EFFECTS: SessionEffects = { stalled: false, replyDelayMs: 0 };

/** One judged share, as the 'share' event reports it. */
export interface ShareEvent {
  sessionId: string;
  worker: string;
  jobId: string;
  accepted: boolean;
  reason?: RejectReason;
  /** Stratum error code sent back when rejected. */
  code?: number;
  message?: string;
  /** The difficulty the share had to meet; credited to the worker when accepted. */
  difficulty: number;
  /** What the share's hash is actually worth, when it could be computed. */
  shareDifficulty?: number;
  /** The header hash, display order, when it could be computed. */
  hash?: string;
  /** It met the network target: a block found (whether or not the share itself was accepted). */
  block?: boolean;
  at: number;
}

/** The pool as one session sees it: shared state and the services its handlers use. */
export interface PoolContext {
  readonly options: PoolOptions;
  /** The real pool whose habits the handlers follow. */
  readonly profile: PoolProfile;
  readonly clock: Clock;
  readonly jobs: JobBook;
  readonly seen: SeenShares;
  allocateExtranonce1(): string;
  /** The extranonce1 of a session that just closed, given back to a resubscribe that offers it; undefined otherwise. */
  resumeExtranonce1(extranonce1: string): string | undefined;
  releaseExtranonce1(extranonce1: string): void;
  currentJob(): PoolJob;
  /** A new job of the current block, registered but sent to nobody yet. */
  freshJob(options?: MakeJobOptions): PoolJob;
  /** A difficulty as this pool would send it (ckpool: a whole number, at least 1). */
  poolDifficulty(difficulty: number): number;
  /**
   * Sets the difficulty of these sessions (as poolDifficulty makes it) and sends them
   * set_difficulty and a new job (`clean_jobs` as given, default false).
   */
  applyDifficulty(sessions: readonly PoolSession[], difficulty: number, o?: { clean?: boolean }): void;
  workerAllowed(worker: string): boolean;
  effectsFor(session: PoolSession): SessionEffects;
  /** The error to answer a good share with when a reject fault picks it, else undefined. */
  injectedRejection(session: PoolSession): StratumError | undefined;
  /**
   * Books, events and share-triggered faults, after the answer was queued; a share that found a
   * block then starts the next block (a clean job to everyone).
   */
  shareJudged(session: PoolSession, event: ShareEvent): void;
}
