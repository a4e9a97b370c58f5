import { Ring, TimeWindowSum } from '../stats/index.js';

/** Defaults for what the config file does not set. */
export const DEFAULT_VARDIFF_WINDOW_MS = 300_000;
export const DEFAULT_VARDIFF_BUCKET_MS = 15_000;
/** Leave the difficulty alone while the share rate is within ±30% of the target. */
export const DEFAULT_VARDIFF_BAND = 0.3;
/** Once settled, one retarget moves the difficulty by at most x4 or /4. */
export const DEFAULT_VARDIFF_MAX_STEP = 4;
export const DEFAULT_VARDIFF_HISTORY = 64;
/** Shares in the window needed before an unsettled miner may jump straight to its estimate (±25%). */
export const VARDIFF_JUMP_MIN_SHARES = 16;
/** Standard deviations of Poisson noise a measured share rate must be off by before the difficulty moves. */
export const VARDIFF_SIGNIFICANCE = 2.5;
/** A share flood triggers an early retarget, but never sooner than this after the previous one. */
export const VARDIFF_MIN_EARLY_RETARGET_MS = 1000;

export interface VardiffOptions {
  /** Aim: one share per this many seconds. */
  targetSecondsPerShare: number;
  minDiff: number;
  maxDiff: number;
  /** Reconsider the difficulty this often (sooner when shares flood in). */
  retargetEveryMs: number;
  /** The share rate is averaged over this much time (default 5 min)... */
  windowMs?: number;
  /** ...in buckets this long (default 15 s). */
  bucketMs?: number;
  /** Difficulty before anything is known; clamped to [minDiff, maxDiff]. */
  initialDifficulty: number;
  /** When the miner started work; defaults to the first recordShare/retarget call. */
  startMs?: number;
  band?: number;
  maxStep?: number;
  historyLimit?: number;
}

/**
 * The last value given, frozen: an equal one (every key's value ===) gets that same copy back, so
 * every miner of a proxy on the same numbers shares one object.
 */
function sharedCopy<T extends object>(): (value: T) => T {
  let last: T | undefined;
  return (value) => {
    const held = last;
    if (held && (Object.keys(value) as (keyof T)[]).every((key) => held[key] === value[key])) return held;
    last = Object.freeze(value);
    return last;
  };
}

/** The sizes of a Vardiff's rate window and history (fixed for its life). */
export interface VardiffShape {
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly historyLimit: number;
}

const sharedShape = sharedCopy<VardiffShape>();

/** Checks the sizes (as the window and ring made later on first use would) and shares equal ones. */
export function resolveShape(
  o: Pick<VardiffOptions, 'windowMs' | 'bucketMs' | 'historyLimit'>,
): VardiffShape {
  const s: VardiffShape = {
    windowMs: o.windowMs ?? DEFAULT_VARDIFF_WINDOW_MS,
    bucketMs: o.bucketMs ?? DEFAULT_VARDIFF_BUCKET_MS,
    historyLimit: o.historyLimit ?? DEFAULT_VARDIFF_HISTORY,
  };
  TimeWindowSum.checkSizes(s.windowMs, s.bucketMs);
  Ring.checkCapacity(s.historyLimit);
  return sharedShape(s);
}

/** What may change on a live reload. */
export type VardiffSettings = Pick<
  VardiffOptions,
  'targetSecondsPerShare' | 'minDiff' | 'maxDiff' | 'retargetEveryMs' | 'band' | 'maxStep'
>;

export interface ResolvedSettings {
  readonly targetSecondsPerShare: number;
  readonly minDiff: number;
  readonly maxDiff: number;
  readonly retargetEveryMs: number;
  readonly band: number;
  readonly maxStep: number;
}

const sharedSettings = sharedCopy<ResolvedSettings>();

/** Checks the numbers a Vardiff runs on; a bad one is a programming error (TypeError/RangeError). */
export function resolveSettings(o: Partial<VardiffSettings>, base?: ResolvedSettings): ResolvedSettings {
  const s: ResolvedSettings = {
    targetSecondsPerShare: o.targetSecondsPerShare ?? base?.targetSecondsPerShare ?? Number.NaN,
    minDiff: o.minDiff ?? base?.minDiff ?? Number.NaN,
    maxDiff: o.maxDiff ?? base?.maxDiff ?? Number.NaN,
    retargetEveryMs: o.retargetEveryMs ?? base?.retargetEveryMs ?? Number.NaN,
    band: o.band ?? base?.band ?? DEFAULT_VARDIFF_BAND,
    maxStep: o.maxStep ?? base?.maxStep ?? DEFAULT_VARDIFF_MAX_STEP,
  };
  positive('targetSecondsPerShare', s.targetSecondsPerShare);
  positive('minDiff', s.minDiff);
  positive('maxDiff', s.maxDiff);
  positive('retargetEveryMs', s.retargetEveryMs);
  positive('band', s.band);
  if (s.maxDiff < s.minDiff) throw new RangeError(`maxDiff (${s.maxDiff}) must be >= minDiff (${s.minDiff})`);
  if (!(s.maxStep > 1) || !Number.isFinite(s.maxStep))
    throw new RangeError(`maxStep must be > 1, got ${s.maxStep}`);
  return sharedSettings(s);
}

function positive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`vardiff ${name} must be a finite number above 0, got ${value}`);
  }
}
