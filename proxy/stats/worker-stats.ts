import { hashrateFromWork } from './hashrate.js';
import { mean, percentile } from './percentile.js';
import { Ring } from './ring.js';
import { TimeWindowSum } from './time-window.js';

export const DEFAULT_LATENCY_SAMPLES = 256;
export const DEFAULT_SPACING_SAMPLES = 256;
/** Ten minutes: ~60 shares at one per 10 s, so the estimate is within ~15%. */
export const DEFAULT_HASHRATE_WINDOW_MS = 600_000;
export const DEFAULT_HASHRATE_BUCKET_MS = 15_000;
export const DEFAULT_DIFFICULTY_HISTORY = 64;
/** Distinct reject reasons kept per worker; further ones are counted under "other". */
export const DEFAULT_MAX_REJECT_REASONS = 32;
const MAX_REASON_LENGTH = 80;
/**
 * A hashrate is estimated only once its window covers this long: over less, one lucky share right
 * after a (re)start reads as a rate several times the miner's. Until then it is 0 and said to be
 * warming up.
 */
export const HASHRATE_SOUND_AFTER_MS = 60_000;

export interface WorkerStatsOptions {
  latencySamples?: number;
  spacingSamples?: number;
  hashrateWindowMs?: number;
  hashrateBucketMs?: number;
  difficultyHistory?: number;
  maxRejectReasons?: number;
  /** When the worker started (connected); the hashrate of a young worker is averaged from here. Defaults to its first event. */
  startedAtMs?: number;
}

/** The outcome of one submitted share. */
export interface ShareResult {
  /** When the answer was known (ms). */
  at: number;
  accepted: boolean;
  /** Why it was rejected ("low difficulty", "duplicate", the pool's message...); "unknown" if absent. */
  reason?: string;
  /** The difficulty the share was judged at (the miner's difficulty). */
  difficulty: number;
  /** The share's own difficulty (from its hash), when known. */
  shareDifficulty?: number;
  /** Miner submit to answer, ms. */
  latencyMs?: number;
  stale?: boolean;
  duplicate?: boolean;
}

export interface DifficultyChange {
  at: number;
  difficulty: number;
}

/** A plain, JSON-able picture of one worker; null where there is nothing to report yet. */
export interface WorkerSnapshot {
  submitted: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  stale: number;
  duplicate: number;
  /** Sum of the difficulty of accepted shares: the work done. */
  acceptedDifficulty: number;
  /** The highest own difficulty of an accepted share ("best difficulty" on a NerdMiner's screen). */
  bestShareDifficulty: number | null;
  /** Estimated hashes per second over the window (0 while warming up). */
  hashrate: number;
  /** The window does not yet cover HASHRATE_SOUND_AFTER_MS: no estimate yet. */
  hashrateWarmingUp: boolean;
  hashrateWindowMs: number;
  latencyMs: { p50: number | null; p95: number | null; samples: number };
  shareSpacingMs: { mean: number | null; p50: number | null; last: number | null; samples: number };
  lastSubmitAt: number | null;
  lastShareAt: number | null;
  difficulty: number | null;
  difficultyHistory: DifficultyChange[];
}

/** The sizes of what a worker's stats make on first use: its options, the defaults filled in. */
function lazySizes(o: WorkerStatsOptions) {
  return {
    latencySamples: o.latencySamples ?? DEFAULT_LATENCY_SAMPLES,
    spacingSamples: o.spacingSamples ?? DEFAULT_SPACING_SAMPLES,
    hashrateWindowMs: o.hashrateWindowMs ?? DEFAULT_HASHRATE_WINDOW_MS,
    hashrateBucketMs: o.hashrateBucketMs ?? DEFAULT_HASHRATE_BUCKET_MS,
  };
}

/** Per-worker share accounting. Pure: time comes in as numbers, memory is bounded. */
export class WorkerStats {
  private submitted = 0;
  private accepted = 0;
  private rejected = 0;
  /** Made at the first rejection: most workers never have one. */
  private rejectedByReason: Map<string, number> | undefined;
  private stale = 0;
  private duplicate = 0;
  private acceptedDifficulty = 0;
  private bestShareDifficulty: number | null = null;
  /** Made at the first sample (an idle miner has none): see latencyRing(), spacingRing(), workWindow(). */
  private latency: Ring<number> | undefined;
  private spacing: Ring<number> | undefined;
  private work: TimeWindowSum | undefined;
  /** Shared by every worker of a registry: sizes for what is made lazily. */
  private readonly options: WorkerStatsOptions;
  private readonly difficulties: Ring<DifficultyChange>;
  private readonly maxRejectReasons: number;
  private startedAt: number | null;
  private lastSubmitAt: number | null = null;
  private lastShareAt: number | null = null;
  private lastSpacing: number | null = null;
  private difficulty: number | null = null;

  /** `startedAtMs` beside the options, so one options object serves every worker of a registry. */
  constructor(options: WorkerStatsOptions = {}, startedAtMs?: number) {
    // What is made on first use is checked now: bad sizes fail here, not at some miner's first share.
    const sizes = lazySizes(options);
    Ring.checkCapacity(sizes.latencySamples);
    Ring.checkCapacity(sizes.spacingSamples);
    TimeWindowSum.checkSizes(sizes.hashrateWindowMs, sizes.hashrateBucketMs);
    this.options = options;
    this.difficulties = new Ring(options.difficultyHistory ?? DEFAULT_DIFFICULTY_HISTORY);
    this.maxRejectReasons = options.maxRejectReasons ?? DEFAULT_MAX_REJECT_REASONS;
    this.startedAt = startedAtMs ?? options.startedAtMs ?? null;
  }

  /** A share arrived from the miner (its answer comes later through recordResult). */
  recordSubmit(at: number): void {
    this.started(at);
    this.submitted += 1;
    this.lastSubmitAt = at;
  }

  recordResult(result: ShareResult): void {
    this.started(result.at);
    if (result.stale) this.stale += 1;
    if (result.duplicate) this.duplicate += 1;
    if (result.latencyMs !== undefined && Number.isFinite(result.latencyMs) && result.latencyMs >= 0) {
      this.latencyRing().push(result.latencyMs);
    }
    if (!result.accepted) {
      this.rejected += 1;
      this.countReason(result.reason);
      return;
    }
    this.accepted += 1;
    const own = result.shareDifficulty;
    if (own !== undefined && Number.isFinite(own) && own > (this.bestShareDifficulty ?? 0))
      this.bestShareDifficulty = own;
    if (Number.isFinite(result.difficulty) && result.difficulty > 0) {
      this.acceptedDifficulty += result.difficulty;
      this.workWindow().add(result.at, result.difficulty);
    }
    if (this.lastShareAt !== null) {
      this.lastSpacing = Math.max(0, result.at - this.lastShareAt);
      this.spacingRing().push(this.lastSpacing);
    }
    this.lastShareAt = this.lastShareAt === null ? result.at : Math.max(this.lastShareAt, result.at);
  }

  /** The miner was given a new difficulty. */
  recordDifficulty(at: number, difficulty: number): void {
    if (!Number.isFinite(difficulty) || difficulty <= 0) return;
    this.started(at);
    this.difficulty = difficulty;
    this.difficulties.push({ at, difficulty });
  }

  /** Estimated hashes per second: accepted difficulty in the window * 2^32 / the window's length. */
  hashrate(nowMs: number): number {
    // No accepted share yet: no work in any window.
    if (this.warmingUp(nowMs) || !this.work) return 0;
    const { sum, sinceMs } = this.work.total(nowMs);
    return hashrateFromWork(sum, nowMs - Math.max(sinceMs, this.startedAt ?? nowMs));
  }

  /** True until the estimate's window covers HASHRATE_SOUND_AFTER_MS. */
  warmingUp(nowMs: number): boolean {
    return this.startedAt === null || nowMs - this.startedAt < HASHRATE_SOUND_AFTER_MS;
  }

  snapshot(nowMs: number): WorkerSnapshot {
    const latency = this.latency?.toArray() ?? [];
    const spacing = this.spacing?.toArray() ?? [];
    return {
      submitted: this.submitted,
      accepted: this.accepted,
      rejected: this.rejected,
      rejectedByReason: this.rejectedByReason ? Object.fromEntries(this.rejectedByReason) : {},
      stale: this.stale,
      duplicate: this.duplicate,
      acceptedDifficulty: this.acceptedDifficulty,
      bestShareDifficulty: this.bestShareDifficulty,
      hashrate: this.hashrate(nowMs),
      hashrateWarmingUp: this.warmingUp(nowMs),
      hashrateWindowMs: lazySizes(this.options).hashrateWindowMs,
      latencyMs: { p50: percentile(latency, 50), p95: percentile(latency, 95), samples: latency.length },
      shareSpacingMs: {
        mean: mean(spacing),
        p50: percentile(spacing, 50),
        last: this.lastSpacing,
        samples: spacing.length,
      },
      lastSubmitAt: this.lastSubmitAt,
      lastShareAt: this.lastShareAt,
      difficulty: this.difficulty,
      difficultyHistory: this.difficulties.toArray().map((c) => ({ ...c })),
    };
  }

  private started(at: number): void {
    if (this.startedAt === null && Number.isFinite(at)) this.startedAt = at;
  }

  private latencyRing(): Ring<number> {
    return (this.latency ??= new Ring(lazySizes(this.options).latencySamples));
  }

  private spacingRing(): Ring<number> {
    return (this.spacing ??= new Ring(lazySizes(this.options).spacingSamples));
  }

  private workWindow(): TimeWindowSum {
    if (this.work) return this.work;
    const { hashrateWindowMs, hashrateBucketMs } = lazySizes(this.options);
    return (this.work = new TimeWindowSum(hashrateWindowMs, hashrateBucketMs));
  }

  private countReason(reason: string | undefined): void {
    const counts = (this.rejectedByReason ??= new Map());
    let key = (reason ?? '').trim().slice(0, MAX_REASON_LENGTH) || 'unknown';
    if (!counts.has(key) && counts.size >= this.maxRejectReasons) key = 'other';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}
