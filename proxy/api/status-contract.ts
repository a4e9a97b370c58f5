/**
 * The body of GET /status: the contract between the proxy (proxy/http/status-view.ts builds it)
 * and its readers (the dashboard, karoo hil, the container tests, through proxy/api's client).
 * Field by field in proxy/OPERATIONS.md.
 */
export interface WorkerStatus {
  name: string;
  kind: string;
  user_agent: string | null;
  remote: string | null;
  connected: boolean;
  connected_at: number | null;
  extranonce1: string | null;
  difficulty: number | null;
  accepted: number;
  rejected: number;
  rejected_by_reason: Record<string, number>;
  stale: number;
  duplicates: number;
  accepted_difficulty: number;
  /** The highest own difficulty of an accepted share ("best difficulty"). */
  best_share_difficulty: number | null;
  hashrate: number;
  /** The hashrate window is still too short to estimate (hashrate reads 0 until it is not). */
  hashrate_warming_up: boolean;
  last_share_at: number | null;
  latency_ms: { p50: number | null; p95: number | null };
  share_spacing_ms: { mean: number | null; p50: number | null; last: number | null };
  vardiff_history: { at: number; from: number; to: number; reason: string }[];
  pool: { forwarded: number; accepted: number; rejected: number; accepted_difficulty: number };
  block_candidates: number;
}

export interface ProxyStatus {
  upstream: {
    url: string;
    host: string;
    port: number;
    state: string;
    connected: boolean;
    since: number;
    endpoint_index: number;
    extranonce1: string | null;
    extranonce2_size: number | null;
    difficulty: number | null;
    version_mask: string | null;
    last_notify_at: number | null;
    last_error: string | null;
    /** The share difficulty Karoo last asked of the pool (upstream.suggest_difficulty). */
    suggested_difficulty: number | null;
    /** When the pool last got a share from the proxy (how long it has gone without one). */
    last_share_at: number | null;
  };
  totals: {
    miners: number;
    workers: number;
    accepted: number;
    rejected: number;
    forwarded: number;
    pool_accepted: number;
    pool_rejected: number;
    pool_accepted_difficulty: number;
    hashrate: number;
    hashrate_warming_up: boolean;
    /** Shares that met the network target, each sent to the pool as a block. */
    block_candidates: number;
  };
  workers: WorkerStatus[];
}
