import {
  WorkerStats,
  type ShareResult,
  type WorkerSnapshot,
  type WorkerStatsOptions,
} from './worker-stats.js';

export const DEFAULT_MAX_WORKERS = 10_000;

export interface StatsRegistryOptions {
  /** Workers tracked by name; events for further names are added to one shared "other" bucket. */
  maxWorkers?: number;
  /** Options for every WorkerStats (and the totals). */
  worker?: WorkerStatsOptions;
}

export interface RegistrySnapshot {
  workers: Record<string, WorkerSnapshot>;
  /** Everything from names beyond maxWorkers; null while no name has overflowed. */
  other: WorkerSnapshot | null;
  /** Every event of every worker, including removed ones and "other". */
  totals: WorkerSnapshot;
  /** Workers tracked by name now. */
  workerCount: number;
}

/** WorkerStats by worker name, bounded, with running totals. */
export class StatsRegistry {
  readonly maxWorkers: number;
  private readonly workers = new Map<string, WorkerStats>();
  private readonly workerOptions: WorkerStatsOptions;
  private readonly totals: WorkerStats;
  private other: WorkerStats | null = null;

  constructor(options: StatsRegistryOptions = {}) {
    const maxWorkers = options.maxWorkers ?? DEFAULT_MAX_WORKERS;
    if (!Number.isInteger(maxWorkers) || maxWorkers < 0) {
      throw new RangeError(`maxWorkers must be a non-negative integer, got ${maxWorkers}`);
    }
    this.maxWorkers = maxWorkers;
    this.workerOptions = options.worker ?? {};
    this.totals = new WorkerStats(this.workerOptions);
  }

  get size(): number {
    return this.workers.size;
  }

  has(name: string): boolean {
    return this.workers.has(name);
  }

  /**
   * The stats of `name`, created on first use (starting at `nowMs` if given). Beyond maxWorkers the
   * shared "other" bucket is returned. Reading through it does not update the totals: record
   * events through the registry's own methods.
   */
  worker(name: string, nowMs?: number): WorkerStats {
    const known = this.workers.get(name);
    if (known) return known;
    if (this.workers.size >= this.maxWorkers) {
      this.other ??= new WorkerStats(this.workerOptions, nowMs);
      return this.other;
    }
    const created = new WorkerStats(this.workerOptions, nowMs);
    this.workers.set(name, created);
    return created;
  }

  recordSubmit(name: string, at: number): void {
    this.worker(name, at).recordSubmit(at);
    this.totals.recordSubmit(at);
  }

  recordResult(name: string, result: ShareResult): void {
    this.worker(name, result.at).recordResult(result);
    this.totals.recordResult(result);
  }

  recordDifficulty(name: string, at: number, difficulty: number): void {
    this.worker(name, at).recordDifficulty(at, difficulty);
  }

  /** Forget a worker (its events stay in the totals); frees its slot. */
  delete(name: string): boolean {
    return this.workers.delete(name);
  }

  /** Worker names tracked now, in the order they were first seen. */
  names(): IterableIterator<string> {
    return this.workers.keys();
  }

  /** Every event of every worker (as `snapshot().totals`), without snapshotting each worker. */
  snapshotTotals(nowMs: number): WorkerSnapshot {
    return this.totals.snapshot(nowMs);
  }

  snapshotWorker(name: string, nowMs: number): WorkerSnapshot | null {
    return this.workers.get(name)?.snapshot(nowMs) ?? null;
  }

  snapshot(nowMs: number): RegistrySnapshot {
    const workers: Record<string, WorkerSnapshot> = {};
    for (const [name, stats] of this.workers) {
      Object.defineProperty(workers, name, {
        value: stats.snapshot(nowMs),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return {
      workers,
      other: this.other?.snapshot(nowMs) ?? null,
      totals: this.snapshotTotals(nowMs),
      workerCount: this.workers.size,
    };
  }
}
