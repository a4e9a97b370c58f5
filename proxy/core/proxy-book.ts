import type { Clock } from '../../runtime/clock.js';
import { StatsRegistry } from '../stats/index.js';
import type { RegistrySnapshot } from '../stats/index.js';
import type { LocalShareResult, PoolShareResult } from './share-desk.js';

/**
 * Per-worker books, kept twice: what the proxy answered its miners (at their vardiff difficulty)
 * and what the pool answered for the shares forwarded to it (at the pool's difficulty; the second
 * must match the pool's own ground truth).
 */
export class ProxyBook {
  readonly local = new StatsRegistry();
  readonly pool = new StatsRegistry();
  private readonly forwarded = new Map<string, number>();
  private forwardedTotal = 0;
  private readonly blocks = new Map<string, number>();
  private blocksTotal = 0;

  constructor(private readonly clock: Clock) {}

  recordLocal(result: LocalShareResult): void {
    const at = this.clock.now();
    this.local.recordSubmit(result.worker, at);
    this.local.recordResult(result.worker, {
      at,
      accepted: result.accepted,
      ...(result.reason ? { reason: result.reason } : {}),
      difficulty: result.difficulty,
      ...(result.shareDifficulty === undefined ? {} : { shareDifficulty: result.shareDifficulty }),
      stale: result.reason === 'job-not-found',
      duplicate: result.reason === 'duplicate',
    });
    if (result.blockCandidate) {
      this.blocks.set(result.worker, (this.blocks.get(result.worker) ?? 0) + 1);
      this.blocksTotal += 1;
    }
    if (result.forwarded) {
      this.forwarded.set(result.worker, (this.forwarded.get(result.worker) ?? 0) + 1);
      this.forwardedTotal += 1;
      this.pool.recordSubmit(result.worker, at);
    }
  }

  recordPool(result: PoolShareResult): void {
    this.pool.recordResult(result.worker, {
      at: this.clock.now(),
      accepted: result.accepted,
      ...(result.reason ? { reason: result.reason } : {}),
      difficulty: result.difficulty,
      latencyMs: result.latencyMs,
      stale: result.reason === 'stale',
      duplicate: result.reason === 'duplicate',
    });
  }

  recordDifficulty(worker: string, difficulty: number): void {
    this.local.recordDifficulty(worker, this.clock.now(), difficulty);
  }

  forwardedByWorker(): Record<string, number> {
    return Object.fromEntries(this.forwarded);
  }

  /** Block candidates found, per worker. */
  blockCandidatesByWorker(): Record<string, number> {
    return Object.fromEntries(this.blocks);
  }

  get totalBlockCandidates(): number {
    return this.blocksTotal;
  }

  forwardedBy(worker: string): number {
    return this.forwarded.get(worker) ?? 0;
  }

  get totalForwarded(): number {
    return this.forwardedTotal;
  }

  snapshot(): { local: RegistrySnapshot; pool: RegistrySnapshot } {
    const now = this.clock.now();
    return { local: this.local.snapshot(now), pool: this.pool.snapshot(now) };
  }
}
