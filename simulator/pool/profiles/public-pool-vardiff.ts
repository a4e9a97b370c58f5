/**
 * public-pool's vardiff (src/models/StratumV1ClientStatistics.ts at b971e9c), ported line for
 * line: every 60 s it looks at the last ~31 accepted shares; with fewer than 5 and the session
 * older than a minute it divides the difficulty by 6, else it aims at one share per 10 s when the
 * rate is more than 2x off; either way rounded by its nearestPowerOfTwo (MIN_DIFF 1e-5).
 */
export const PUBLIC_POOL_VARDIFF_INTERVAL_SECONDS = 60;
const CACHE_SIZE = 30;
const TARGET_SUBMISSION_PER_SECOND = 10;
const MIN_DIFF = 0.00001;

export class PublicPoolVardiff {
  private readonly cache: { at: number; difficulty: number }[] = [];

  /** `startedAt`: when the session subscribed (its statistics' submissionCacheStart). */
  constructor(private readonly startedAt: number) {}

  /** An accepted share, credited at the session's difficulty (addShares). */
  recordAccepted(at: number, difficulty: number): void {
    if (this.cache.length > CACHE_SIZE) this.cache.shift();
    this.cache.push({ at, difficulty });
  }

  /** The difficulty to move to, or undefined to stay (getSuggestedDifficulty). */
  suggest(current: number, now: number): number | undefined {
    if (this.cache.length < 5) {
      return (now - this.startedAt) / 1000 > 60 ? nearestPowerOfTwo(current / 6) : undefined;
    }
    const sum = this.cache.reduce((total, share) => total + share.difficulty, 0);
    const first = this.cache[0] as { at: number };
    const last = this.cache[this.cache.length - 1] as { at: number };
    const seconds = (last.at - first.at) / 1000;
    // public-pool divides by zero here (and recurses without end on Infinity); shares that all
    // arrived in one millisecond tell nothing, so the difficulty stays.
    if (seconds <= 0) return undefined;
    const target = (sum / seconds) * TARGET_SUBMISSION_PER_SECOND;
    if (current * 2 < target || current / 2 > target) return nearestPowerOfTwo(target);
    return undefined;
  }
}

/**
 * public-pool's rounding, bit tricks and all: a power of two for values of 1 and above (as int32);
 * below 1 it retries on val*100 and divides by 100, so 0.003 gives 0.0016; MIN_DIFF at least.
 */
export function nearestPowerOfTwo(val: number): number | undefined {
  if (val === 0) return undefined;
  if (val < MIN_DIFF) return MIN_DIFF;
  let x = val | (val >> 1);
  x = x | (x >> 2);
  x = x | (x >> 4);
  x = x | (x >> 8);
  x = x | (x >> 16);
  const res = x - (x >> 1);
  if (res === 0 && val * 100 < MIN_DIFF) return MIN_DIFF;
  if (res === 0) {
    const scaled = nearestPowerOfTwo(val * 100);
    return scaled === undefined ? undefined : scaled / 100;
  }
  return res;
}
