import { difficultyToTarget } from '../../stratum/index.js';

/**
 * The compact `nbits` (Bitcoin's GetCompact) of the target a network difficulty stands for, so a
 * job can say "a share meeting difficulty D is a block". The compact form keeps 3 significant
 * bytes, so the target it encodes is at most the exact one (a block meets D at least).
 */
export function nbitsForDifficulty(difficulty: number): string {
  return compactFromTarget(difficultyToTarget(difficulty)).toString(16).padStart(8, '0');
}

export function compactFromTarget(target: bigint): number {
  let size = 0;
  for (let t = target; t > 0n; t >>= 8n) size += 1;
  let mantissa = Number(size <= 3 ? target << BigInt(8 * (3 - size)) : target >> BigInt(8 * (size - 3)));
  // The mantissa's top bit is a sign bit: move one byte over rather than encode a negative target.
  if ((mantissa & 0x00800000) !== 0) {
    mantissa >>>= 8;
    size += 1;
  }
  return ((size << 24) | mantissa) >>> 0;
}
