import { Vardiff } from '../vardiff/index.js';
import type { CoreOptions } from './core-options.js';

export interface VardiffChange {
  from: number;
  to: number;
  reason: string;
}

/** What the proxy needs of a miner's vardiff. */
export interface WorkerVardiff {
  readonly current: number;
  /** The miner's suggest_difficulty; true when honoured (only the first is). */
  suggest(difficulty: number, nowMs?: number): boolean;
  recordShare(nowMs: number, difficulty: number): void;
  retarget(nowMs: number): VardiffChange | null;
  /** New bounds and target (a reload); the difficulty is clamped into them. */
  reconfigure(
    settings: { targetSecondsPerShare: number; minDiff: number; maxDiff: number; retargetEveryMs: number },
    nowMs: number,
  ): VardiffChange | null;
  readonly history: readonly { at: number; from: number; to: number; reason: string }[];
}

export function createWorkerVardiff(
  settings: CoreOptions['vardiff'],
  initialDifficulty: number,
  nowMs: number,
): WorkerVardiff {
  const clamped = Math.min(settings.maxDiff, Math.max(settings.minDiff, initialDifficulty));
  return new Vardiff({
    targetSecondsPerShare: settings.targetSecondsPerShare,
    minDiff: settings.minDiff,
    maxDiff: settings.maxDiff,
    retargetEveryMs: settings.retargetEveryMs,
    // The rate window scales with the retarget period (defaults: 60 s period, 5 min window), and
    // always holds several expected shares, so a quiet stretch of bad luck is not "no shares".
    windowMs: Math.max(settings.retargetEveryMs * 5, settings.targetSecondsPerShare * 8000),
    bucketMs: Math.max(250, settings.retargetEveryMs / 4),
    initialDifficulty: clamped,
    startMs: nowMs,
  });
}
