/**
 * The proxy's /metrics series the Grafana dashboard reads (names as the proxy's metrics module
 * exports them). The dashboard test checks every query uses only these, and that a running proxy
 * exports every one of them.
 */
export const KAROO_METRICS = {
  karoo_info: { type: 'gauge', labels: ['version'] },
  karoo_shares_total: { type: 'counter', labels: ['result', 'reason'] },
  karoo_pool_shares_total: { type: 'counter', labels: ['result', 'reason'] },
  karoo_accepted_difficulty_total: { type: 'counter', labels: [] },
  karoo_pool_accepted_difficulty_total: { type: 'counter', labels: [] },
  karoo_submit_latency_seconds: { type: 'histogram', labels: ['le'] },
  karoo_worker_shares_total: { type: 'counter', labels: ['worker', 'result'] },
  karoo_worker_difficulty: { type: 'gauge', labels: ['worker'] },
  karoo_worker_hashrate: { type: 'gauge', labels: ['worker'] },
  karoo_hashrate: { type: 'gauge', labels: [] },
  karoo_vardiff_changes_total: { type: 'counter', labels: ['reason'] },
  karoo_clients_active_count: { type: 'gauge', labels: [] },
  karoo_connections_rejected_total: { type: 'counter', labels: ['reason'] },
  karoo_upstream_connected: { type: 'gauge', labels: [] },
  karoo_upstream_difficulty: { type: 'gauge', labels: [] },
  karoo_last_notify_timestamp_seconds: { type: 'gauge', labels: [] },
  karoo_upstream_reconnects_total: { type: 'counter', labels: [] },
} as const satisfies Record<string, { type: 'counter' | 'gauge' | 'histogram'; labels: readonly string[] }>;

export type KarooMetricName = keyof typeof KAROO_METRICS;
export const KAROO_METRIC_NAMES = Object.keys(KAROO_METRICS) as KarooMetricName[];

/** The series a histogram adds to its name. */
export const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;
