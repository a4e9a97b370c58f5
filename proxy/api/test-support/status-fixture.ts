import type { ProxyStatus, WorkerStatus } from '../index.js';
import { blankWorker } from '../blank-worker.js';

/** Fixed times for view tests: T0 is when the fixture's status was taken. */
export const T0 = Date.UTC(2025, 0, 2, 12, 0, 0);

export function workerFixture(name: string, o: Partial<WorkerStatus> = {}): WorkerStatus {
  return {
    ...blankWorker(name),
    kind: 'cpuminer',
    user_agent: 'cpuminer/2.5.1',
    remote: '10.0.0.7:40112',
    connected_at: T0 - 600_000,
    extranonce1: '0000000100000002',
    difficulty: 0.001,
    accepted: 10,
    hashrate: 250_000,
    hashrate_warming_up: false,
    last_share_at: T0 - 4000,
    latency_ms: { p50: 12, p95: 40 },
    share_spacing_ms: { mean: 9000, p50: 8000, last: 7000 },
    pool: { forwarded: 3, accepted: 3, rejected: 0, accepted_difficulty: 0.003 },
    block_candidates: 0,
    ...o,
  };
}

export function statusFixture(workers: WorkerStatus[] = [workerFixture('rack.cpu-01')]): ProxyStatus {
  const sum = (f: (w: WorkerStatus) => number): number => workers.reduce((n, w) => n + f(w), 0);
  return {
    upstream: {
      url: 'stratum+tcp://pool.example:3333',
      host: 'pool.example',
      port: 3333,
      state: 'ready',
      connected: true,
      since: T0 - 3_600_000,
      endpoint_index: 0,
      extranonce1: 'abcd0001',
      extranonce2_size: 8,
      difficulty: 1024,
      version_mask: '1fffe000',
      last_notify_at: T0 - 12_000,
      last_error: null,
      suggested_difficulty: null,
      last_share_at: T0 - 4000,
    },
    totals: {
      miners: workers.length,
      workers: workers.length,
      accepted: sum((w) => w.accepted),
      rejected: sum((w) => w.rejected),
      forwarded: sum((w) => w.pool.forwarded),
      pool_accepted: sum((w) => w.pool.accepted),
      pool_rejected: sum((w) => w.pool.rejected),
      pool_accepted_difficulty: sum((w) => w.pool.accepted_difficulty),
      hashrate: sum((w) => w.hashrate),
      hashrate_warming_up: false,
      block_candidates: 0,
    },
    workers,
  };
}
