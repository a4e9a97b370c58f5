import type { WorkerStatus } from './status-contract.js';

/** A worker the proxy has not described yet (seen first in an event). */
export function blankWorker(name: string): WorkerStatus {
  return {
    name,
    kind: 'other',
    user_agent: null,
    remote: null,
    connected: true,
    connected_at: null,
    extranonce1: null,
    difficulty: null,
    accepted: 0,
    rejected: 0,
    rejected_by_reason: {},
    stale: 0,
    duplicates: 0,
    accepted_difficulty: 0,
    best_share_difficulty: null,
    hashrate: 0,
    hashrate_warming_up: true,
    last_share_at: null,
    latency_ms: { p50: null, p95: null },
    share_spacing_ms: { mean: null, p50: null, last: null },
    vardiff_history: [],
    pool: { forwarded: 0, accepted: 0, rejected: 0, accepted_difficulty: 0 },
    block_candidates: 0,
  };
}
