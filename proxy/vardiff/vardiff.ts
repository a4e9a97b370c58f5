import { HASHES_PER_DIFFICULTY, Ring, TimeWindowSum } from '../stats/index.js';
import {
  resolveSettings,
  resolveShape,
  VARDIFF_JUMP_MIN_SHARES,
  VARDIFF_MIN_EARLY_RETARGET_MS,
  VARDIFF_SIGNIFICANCE,
  type ResolvedSettings,
  type VardiffOptions,
  type VardiffShape,
  type VardiffSettings,
} from './vardiff-options.js';

/** Zero-share evidence is judged only over at least this long. */
const ZERO_SHARE_EVIDENCE_MIN_MS = 30_000;

export type VardiffReason = 'suggested' | 'too-fast' | 'too-slow' | 'no-shares' | 'reconfigured';

export interface VardiffChange {
  from: number;
  to: number;
  reason: VardiffReason;
}

export interface VardiffHistoryEntry extends VardiffChange {
  at: number;
}

export interface VardiffEstimate {
  /** Hashes per second implied by the shares in the window. */
  hashrate: number;
  /** Shares in the window. */
  shares: number;
  /** Length of time the window covers. */
  elapsedMs: number;
  /** The difficulty that would give exactly one share per target interval. */
  idealDifficulty: number;
}

/**
 * One miner's variable difficulty. Pure: time comes in as ms numbers, nothing is scheduled.
 *
 * The hashrate is estimated from accepted shares weighted by their difficulty over a moving window
 * (sum of difficulty * 2^32 / elapsed, 5 min in 15 s buckets), so shares found at an older
 * difficulty still count right. The ideal difficulty is hashrate * targetSeconds / 2^32. At each
 * retarget (every retargetEveryMs, or early once a flood of shares arrives):
 *  - no share in the whole window: halve (reason `no-shares`) and forget that it had settled;
 *  - otherwise change only when the rate is off by more than the band (±30%) and by at least 2.5
 *    standard deviations of the share count's Poisson noise, so chance alone rarely moves a
 *    settled miner;
 *  - until the first in-band retarget, with >= 16 shares in the window, jump straight to the
 *    estimate (fast first convergence); otherwise move halfway (the geometric mean of current and
 *    estimate), at most x4 / ÷4;
 *  - results are rounded to 3 significant digits and clamped to [minDiff, maxDiff].
 * The first suggest_difficulty is honoured (clamped); later ones are ignored.
 */
export class Vardiff {
  private settings: ResolvedSettings;
  /** Sizes of the window and history, shared by every miner on the same numbers. */
  private readonly shape: VardiffShape;
  /** Made at the first share (an idle miner has none). */
  private window: TimeWindowSum | undefined;
  /** Made at the first change. */
  private changes: Ring<VardiffHistoryEntry> | undefined;
  private difficulty: number;
  private startMs: number | null;
  private lastRetargetAt: number | null;
  private lastSeenAt: number | null = null;
  private lastShareAt: number | null = null;
  private lastChangeAt: number | null = null;
  private sharesSinceRetarget = 0;
  private settled = false;
  private suggested = false;

  constructor(options: VardiffOptions) {
    this.settings = resolveSettings(options);
    this.shape = resolveShape(options);
    const initial = options.initialDifficulty;
    if (typeof initial !== 'number' || !Number.isFinite(initial) || initial <= 0) {
      throw new RangeError(`vardiff initialDifficulty must be a finite number above 0, got ${initial}`);
    }
    this.difficulty = this.clamp(initial);
    this.startMs = options.startMs ?? null;
    this.lastRetargetAt = this.startMs;
  }

  /** The difficulty the miner should be working at. */
  get current(): number {
    return this.difficulty;
  }

  /** The last changes, oldest first (bounded). */
  get history(): readonly VardiffHistoryEntry[] {
    return this.changes?.toArray() ?? [];
  }

  /** True once a suggest_difficulty has been honoured. */
  get hasSuggestion(): boolean {
    return this.suggested;
  }

  /** An accepted share, at the difficulty it was judged at. Non-finite or non-positive values are ignored. */
  recordShare(nowMs: number, difficulty: number): void {
    this.touch(nowMs);
    this.lastShareAt = nowMs;
    if (!Number.isFinite(difficulty) || difficulty <= 0) return;
    this.window ??= new TimeWindowSum(this.shape.windowMs, this.shape.bucketMs);
    this.window.add(nowMs, difficulty);
    this.sharesSinceRetarget += 1;
  }

  /**
   * The miner's mining.suggest_difficulty. The first valid one is honoured (clamped to the limits)
   * and returns true; later ones return false and change nothing (NerdMiner repeats its suggestion
   * every 30 s as a keepalive). An invalid value (<= 0, NaN) returns false and does not count.
   */
  suggest(difficulty: number, nowMs?: number): boolean {
    if (nowMs !== undefined) this.touch(nowMs);
    if (this.suggested || typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
      return false;
    }
    this.suggested = true;
    this.apply(this.clamp(difficulty), nowMs ?? this.lastSeenAt ?? this.startMs ?? 0, 'suggested');
    return true;
  }

  /**
   * Call often (on each share, each job, a timer): acts only when a retarget is due. Returns the
   * change to send the miner (mining.set_difficulty, then a job), or null.
   */
  retarget(nowMs: number): VardiffChange | null {
    this.touch(nowMs);
    const evidence = this.zeroShareEvidence(nowMs);
    if (evidence) return evidence;
    const last = this.lastRetargetAt ?? nowMs;
    const since = nowMs - last;
    const flood = this.sharesSinceRetarget >= this.earlyShares() && since >= VARDIFF_MIN_EARLY_RETARGET_MS;
    if (since < this.settings.retargetEveryMs && !flood) return null;
    this.lastRetargetAt = nowMs;
    this.sharesSinceRetarget = 0;

    const from = this.difficulty;
    const { shares, idealDifficulty, elapsedMs } = this.estimate(nowMs);
    if (shares === 0) {
      // Nothing known any more: when shares come back, allow a jump to the new estimate.
      this.settled = false;
      return this.apply(this.clamp(from / 2), nowMs, 'no-shares');
    }
    if (!(idealDifficulty > 0)) return null;
    let ratio = idealDifficulty / from;
    const deviation = Math.abs(ratio - 1);
    if (deviation <= this.settings.band) {
      this.settled = true;
      return null;
    }
    // Shares the window would hold at the current difficulty if it were right; a real change
    // must stand out of that count's Poisson noise.
    const expected = elapsedMs / 1000 / this.settings.targetSecondsPerShare;
    if (deviation * Math.sqrt(expected) < VARDIFF_SIGNIFICANCE) return null;
    const jump = !this.settled && shares >= VARDIFF_JUMP_MIN_SHARES;
    // Otherwise go halfway (geometric mean of current and estimate): noise is not chased in full.
    if (!jump) ratio = Math.sqrt(ratio);
    if (!jump) ratio = Math.min(this.settings.maxStep, Math.max(1 / this.settings.maxStep, ratio));
    return this.apply(this.clamp(roundSignificant(from * ratio)), nowMs, ratio > 1 ? 'too-fast' : 'too-slow');
  }

  /** The hashrate and ideal difficulty the shares in the window imply. */
  estimate(nowMs: number): VardiffEstimate {
    const { sum, count, sinceMs } =
      this.window?.total(nowMs) ?? TimeWindowSum.emptyTotal(nowMs, this.shape.windowMs, this.shape.bucketMs);
    const elapsedMs = Math.max(0, nowMs - Math.max(sinceMs, this.startMs ?? nowMs));
    if (elapsedMs === 0 || count === 0) return { hashrate: 0, shares: count, elapsedMs, idealDifficulty: 0 };
    const perSecond = (sum * 1000) / elapsedMs; // difficulty found per second
    const hashrate = perSecond * HASHES_PER_DIFFICULTY;
    const idealDifficulty = perSecond * this.settings.targetSecondsPerShare;
    if (!Number.isFinite(hashrate) || !Number.isFinite(idealDifficulty)) {
      return { hashrate: 0, shares: count, elapsedMs, idealDifficulty: 0 };
    }
    return { hashrate, shares: count, elapsedMs, idealDifficulty };
  }

  /** Live reload: new limits and targets; the current difficulty is clamped into the new limits. */
  reconfigure(settings: Partial<VardiffSettings>, nowMs: number): VardiffChange | null {
    this.settings = resolveSettings(settings, this.settings);
    this.touch(nowMs);
    return this.apply(this.clamp(this.difficulty), nowMs, 'reconfigured');
  }

  private apply(to: number, at: number, reason: VardiffReason): VardiffChange | null {
    const from = this.difficulty;
    if (to === from) return null;
    this.difficulty = to;
    this.lastChangeAt = at;
    this.changes ??= new Ring(this.shape.historyLimit);
    this.changes.push({ at, from, to, reason });
    return { from, to, reason };
  }

  /**
   * No share for `quiet` ms at difficulty D bounds a new miner's rate: were it 1 share per
   * `quiet`, its ideal difficulty would be D x target / quiet. After 3 target periods without its
   * first share (at least 30 s) go there at once, rather than halving once a retarget period (a
   * 6 MH/s CPU miner started at difficulty 1 would wait minutes for its first share).
   */
  private zeroShareEvidence(nowMs: number): VardiffChange | null {
    // Only before the first share: a miner that has found shares is judged on them (a silence of a
    // few target periods is ordinary luck at the right difficulty: 5% of gaps exceed 3 periods).
    if (this.lastShareAt !== null) return null;
    const since = this.lastChangeAt ?? this.startMs ?? nowMs;
    const quiet = nowMs - since;
    const targetMs = this.settings.targetSecondsPerShare * 1000;
    if (quiet < Math.max(3 * targetMs, ZERO_SHARE_EVIDENCE_MIN_MS)) return null;
    const bound = roundSignificant((this.difficulty * targetMs) / quiet);
    if (!(bound < this.difficulty / 2)) return null;
    this.settled = false;
    this.lastRetargetAt = nowMs;
    this.sharesSinceRetarget = 0;
    return this.apply(this.clamp(bound), nowMs, 'no-shares');
  }

  /** A flood: 4x the shares a period should bring (at least 32). */
  private earlyShares(): number {
    const expected = this.settings.retargetEveryMs / 1000 / this.settings.targetSecondsPerShare;
    return Math.max(32, Math.ceil(4 * expected));
  }

  private touch(nowMs: number): void {
    if (!Number.isFinite(nowMs)) throw new RangeError(`vardiff time must be a finite number, got ${nowMs}`);
    if (this.startMs === null) {
      this.startMs = nowMs;
      this.lastRetargetAt = nowMs;
    }
    this.lastSeenAt = nowMs;
  }

  private clamp(difficulty: number): number {
    const { minDiff, maxDiff } = this.settings;
    if (Number.isNaN(difficulty) || difficulty <= minDiff) return minDiff;
    return difficulty >= maxDiff ? maxDiff : difficulty;
  }
}

/** 3 significant digits: 0.000814937 -> 0.000815 (tidy in logs and on the wire). */
export function roundSignificant(value: number, digits = 3): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}
