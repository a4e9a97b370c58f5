/** Why a share was refused, as the books count it. */
export type RejectReason =
  | 'job-not-found'
  | 'stale'
  | 'duplicate'
  | 'low-difficulty'
  | 'unauthorized'
  | 'not-subscribed'
  | 'extranonce2-size'
  | 'ntime-out-of-range'
  | 'version-bits'
  | 'malformed'
  | 'injected'
  | 'other';

export interface WorkerStats {
  accepted: number;
  /** Rejected shares by reason. */
  rejected: Partial<Record<RejectReason, number>>;
  /** Sum of the difficulty each accepted share was credited (the target it met, not its luck). */
  acceptedDifficulty: number;
  /** Shares that met the network target: blocks found (--network-difficulty makes them possible). */
  blocksFound: number;
  /** Epoch milliseconds of the last share, accepted or not. */
  lastShareAt?: number;
}

export interface PoolTotals extends WorkerStats {
  rejectedTotal: number;
  /** Live sessions. */
  sessions: number;
  /** Connections accepted since the pool started. */
  connections: number;
  jobs: number;
  /** New blocks: the chain moved on (the block timer, `newBlock()`, or a block found here). */
  blocks: number;
  height: number;
}

export interface PoolStats {
  startedAt: number;
  workers: Record<string, WorkerStats>;
  totals: PoolTotals;
}

export interface ShareOutcome {
  worker: string;
  accepted: boolean;
  reason?: RejectReason;
  /** The difficulty the share had to meet (credited when accepted). */
  difficulty: number;
  /** It met the network target (whether or not the share itself was accepted). */
  block?: boolean;
  at: number;
}

/** Past this many worker names, new names are counted under OVERFLOW_WORKER. */
export const DEFAULT_MAX_WORKERS = 10_000;
export const OVERFLOW_WORKER = '(other workers)';

/**
 * The pool's ground truth: what it accepted is what really got mined. Counts per worker name and
 * in total; bounded in the number of names it keeps.
 */
export class PoolBooks {
  private readonly workers = new Map<string, WorkerStats>();
  private readonly totals: WorkerStats = emptyStats();

  constructor(private readonly maxWorkers = DEFAULT_MAX_WORKERS) {}

  record(outcome: ShareOutcome): void {
    for (const stats of [this.entry(outcome.worker), this.totals]) {
      stats.lastShareAt = outcome.at;
      if (outcome.block === true) stats.blocksFound += 1;
      if (outcome.accepted) {
        stats.accepted += 1;
        stats.acceptedDifficulty += outcome.difficulty;
      } else {
        const reason = outcome.reason ?? 'other';
        stats.rejected[reason] = (stats.rejected[reason] ?? 0) + 1;
      }
    }
  }

  worker(name: string): WorkerStats | undefined {
    const stats = this.workers.get(name);
    return stats === undefined ? undefined : copy(stats);
  }

  snapshot(): { workers: Record<string, WorkerStats>; totals: WorkerStats & { rejectedTotal: number } } {
    const workers: Record<string, WorkerStats> = {};
    for (const [name, stats] of this.workers) workers[name] = copy(stats);
    const rejectedTotal = Object.values(this.totals.rejected).reduce((a, b) => a + (b ?? 0), 0);
    return { workers, totals: { ...copy(this.totals), rejectedTotal } };
  }

  private entry(name: string): WorkerStats {
    let stats = this.workers.get(name);
    if (stats === undefined) {
      if (this.workers.size >= this.maxWorkers && name !== OVERFLOW_WORKER)
        return this.entry(OVERFLOW_WORKER);
      stats = emptyStats();
      this.workers.set(name, stats);
    }
    return stats;
  }
}

function emptyStats(): WorkerStats {
  return { accepted: 0, rejected: {}, acceptedDifficulty: 0, blocksFound: 0 };
}

function copy(stats: WorkerStats): WorkerStats {
  const out: WorkerStats = {
    accepted: stats.accepted,
    rejected: { ...stats.rejected },
    acceptedDifficulty: stats.acceptedDifficulty,
    blocksFound: stats.blocksFound,
  };
  if (stats.lastShareAt !== undefined) out.lastShareAt = stats.lastShareAt;
  return out;
}
