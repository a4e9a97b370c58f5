/** How often, roughly, the pool should get a share from the whole rack. */
export const POOL_SHARE_SECONDS = 5;

/** A new suggestion goes to the pool only when what the rack wants moved by more than this factor. */
export const RESUGGEST_FACTOR = 4;

/** What the proxy asks the pool for: "auto" from the rack's rate, a fixed difficulty, or nothing. */
export type UpstreamSuggest = 'auto' | 'off' | number;

/**
 * The pool difficulty at which a rack finding `rate` difficulty per second (the sum of what its
 * miners find) sends the pool about one share every `shareSeconds`; 3 significant digits.
 */
export function poolDifficultyFor(rate: number, shareSeconds = POOL_SHARE_SECONDS): number | undefined {
  const d = rate * shareSeconds;
  return Number.isFinite(d) && d > 0 ? Number(d.toPrecision(3)) : undefined;
}

/**
 * ckpool takes mining.suggest_difficulty only as an integer >= 1 (it ignores anything else,
 * /work/shared/reference/pools.md); the second try after a pool ignored a fractional one.
 */
export function asPoolInteger(difficulty: number): number {
  return Math.max(1, Math.round(difficulty));
}

/** Whether the wanted difficulty moved far enough from the last suggestion to tell the pool again. */
export function worthResuggesting(last: number, wanted: number, factor = RESUGGEST_FACTOR): boolean {
  return wanted > last * factor || wanted < last / factor;
}
