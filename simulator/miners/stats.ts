import type { MinerProfile, MinerStats } from './types.js';

/** Counters behind SimulatedMiner.stats(); every session of a miner reports here. */
export class StatsTracker {
  sent = 0;
  accepted = 0;
  rejected = 0;
  unanswered = 0;
  hashes = 0;
  connects = 0;
  disconnects = 0;
  jobs = 0;
  difficulty: number | null = null;
  private latencyTotal = 0;
  private latencyCount = 0;
  private readonly reasons = new Map<string, number>();
  private readonly startedAt: number;

  constructor(
    private readonly profile: MinerProfile,
    private readonly worker: string,
    private readonly hashrateCap: number,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  answered(latencyMs: number): void {
    this.latencyTotal += latencyMs;
    this.latencyCount += 1;
  }

  reject(code: number | null, message: string): void {
    this.rejected += 1;
    const key = rejectReasonKey(code, message);
    this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }

  snapshot(): MinerStats {
    const elapsedS = Math.max(0.001, (this.now() - this.startedAt) / 1000);
    return {
      profile: this.profile,
      worker: this.worker,
      sent: this.sent,
      accepted: this.accepted,
      rejected: this.rejected,
      rejectedByReason: Object.fromEntries(this.reasons),
      unanswered: this.unanswered,
      meanLatencyMs: this.latencyCount === 0 ? null : this.latencyTotal / this.latencyCount,
      hashes: this.hashes,
      hashrate: this.hashes / elapsedS,
      hashrateCap: this.hashrateCap,
      connects: this.connects,
      disconnects: this.disconnects,
      jobs: this.jobs,
      difficulty: this.difficulty,
    };
  }
}

/** `"23 Low difficulty share"`: the code and the message up to its first colon (details dropped). */
export function rejectReasonKey(code: number | null, message: string): string {
  const head = message.split(':')[0]?.trim() ?? '';
  return `${code ?? '-'} ${head}`.trim();
}
