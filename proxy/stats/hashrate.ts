/**
 * Hashes a miner does, on average, per share of difficulty 1: 2^32 (the usual convention; the exact
 * pdiff figure, 2^48 / 0xFFFF, is 0.0015% more).
 */
export const HASHES_PER_DIFFICULTY = 4_294_967_296;

/** Hashes per second implied by `difficultySum` worth of shares found in `elapsedMs`; 0 if no time passed. */
export function hashrateFromWork(difficultySum: number, elapsedMs: number): number {
  if (!(elapsedMs > 0) || !(difficultySum > 0) || !Number.isFinite(difficultySum)) return 0;
  const rate = (difficultySum * HASHES_PER_DIFFICULTY * 1000) / elapsedMs;
  return Number.isFinite(rate) ? rate : 0;
}
