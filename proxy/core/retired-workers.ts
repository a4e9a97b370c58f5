import type { MinerSession } from './miner-session.js';
import type { RetiredWorker } from './snapshot.js';

/** Workers remembered after their connection has gone, at most. */
export const MAX_RETIRED_WORKERS = 1000;
/** And for at most this long (a day: a rack rebooted overnight still shows what it was). */
export const RETIRED_WORKER_TTL_MS = 24 * 3600_000;

/**
 * What the books keep of each worker whose connection has gone: its kind, user agent, address and
 * difficulty history, so /status and the dashboard still say what it was. Bounded in number
 * (oldest forgotten first) and in age; a worker that comes back replaces its entry when it goes again.
 */
export class RetiredWorkers {
  private readonly byName = new Map<string, RetiredWorker>();

  constructor(
    private readonly max = MAX_RETIRED_WORKERS,
    private readonly ttlMs = RETIRED_WORKER_TTL_MS,
  ) {}

  remember(session: MinerSession, nowMs: number): void {
    if (!session.authorized) return;
    for (const worker of session.workers) {
      this.byName.delete(worker);
      this.byName.set(worker, {
        worker,
        kind: session.kind,
        userAgent: session.userAgent ?? null,
        remote: session.remoteAddress,
        disconnectedAt: nowMs,
        difficulty: session.sentDifficulty > 0 ? session.sentDifficulty : null,
        history: session.sentHistory.toArray().map((h) => ({ ...h })),
      });
    }
    while (this.byName.size > this.max) this.byName.delete(this.byName.keys().next().value as string);
    this.prune(nowMs);
  }

  /** The workers remembered now, oldest first. */
  list(nowMs: number): RetiredWorker[] {
    this.prune(nowMs);
    return [...this.byName.values()].map((w) => ({ ...w, history: w.history.map((h) => ({ ...h })) }));
  }

  private prune(nowMs: number): void {
    for (const [name, w] of this.byName) {
      if (nowMs - w.disconnectedAt <= this.ttlMs) break;
      this.byName.delete(name);
    }
  }
}
