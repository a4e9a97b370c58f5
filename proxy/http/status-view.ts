import type { CoreSnapshot, MinerSnapshot, RetiredWorker } from '../core/index.js';
import type { ProxyStatus, WorkerStatus } from '../api/status-contract.js';
import type { WorkerSnapshot } from '../stats/index.js';

/** The JSON of GET /status (schema in the README), from the core's snapshot. */
export function buildStatus(snap: CoreSnapshot): ProxyStatus {
  const { local, pool } = snap.books;
  const up = snap.upstream;
  const conn = up.session;
  const minersByWorker = new Map<string, MinerSnapshot>();
  for (const m of snap.miners) for (const w of m.workers) minersByWorker.set(w, m);
  const retired = new Map(snap.retiredWorkers.map((r) => [r.worker, r]));
  const names = new Set([...Object.keys(local.workers), ...minersByWorker.keys()]);
  const workers = [...names]
    .sort()
    .map((name) =>
      workerStatus(
        name,
        local.workers[name],
        pool.workers[name],
        minersByWorker.get(name),
        retired.get(name),
        snap.books,
      ),
    );
  return {
    upstream: {
      url: up.url,
      host: up.endpoint.host,
      port: up.endpoint.port,
      state: up.state,
      connected: conn !== null,
      since: up.since,
      endpoint_index: up.endpointIndex,
      extranonce1: conn?.extranonce1 ?? null,
      extranonce2_size: conn?.extranonce2Size ?? null,
      difficulty: conn?.difficulty ?? null,
      version_mask: conn ? conn.versionMask.toString(16).padStart(8, '0') : null,
      last_notify_at: conn?.lastNotifyAt ?? null,
      last_error: up.splitError ?? up.lastError,
      suggested_difficulty: up.suggestedDifficulty,
      last_share_at: pool.totals.lastSubmitAt,
    },
    totals: {
      miners: snap.minerCount,
      workers: workers.length,
      accepted: local.totals.accepted,
      rejected: local.totals.rejected,
      forwarded: snap.books.forwardedTotal,
      pool_accepted: pool.totals.accepted,
      pool_rejected: pool.totals.rejected,
      pool_accepted_difficulty: pool.totals.acceptedDifficulty,
      hashrate: local.totals.hashrate,
      hashrate_warming_up: local.totals.hashrateWarmingUp,
      block_candidates: snap.books.blockCandidatesTotal,
    },
    workers,
  };
}

function workerStatus(
  name: string,
  local: WorkerSnapshot | undefined,
  pool: WorkerSnapshot | undefined,
  miner: MinerSnapshot | undefined,
  retired: RetiredWorker | undefined,
  books: CoreSnapshot['books'],
): WorkerStatus {
  // A worker whose connection has gone keeps what it was (kind, agent, history) in the books.
  const seen = miner ?? retired;
  return {
    name,
    kind: seen?.kind ?? 'other',
    user_agent: seen?.userAgent ?? null,
    remote: miner?.remote ?? retired?.remote ?? null,
    connected: miner !== undefined,
    connected_at: miner?.connectedAt ?? null,
    extranonce1: miner?.extranonce1 ?? null,
    difficulty: miner?.difficulty ?? local?.difficulty ?? null,
    accepted: local?.accepted ?? 0,
    rejected: local?.rejected ?? 0,
    rejected_by_reason: local?.rejectedByReason ?? {},
    stale: local?.stale ?? 0,
    duplicates: local?.duplicate ?? 0,
    accepted_difficulty: local?.acceptedDifficulty ?? 0,
    best_share_difficulty: local?.bestShareDifficulty ?? null,
    hashrate: local?.hashrate ?? 0,
    hashrate_warming_up: local?.hashrateWarmingUp ?? true,
    last_share_at: local?.lastShareAt ?? null,
    latency_ms: { p50: pool?.latencyMs.p50 ?? null, p95: pool?.latencyMs.p95 ?? null },
    share_spacing_ms: {
      mean: local?.shareSpacingMs.mean ?? null,
      p50: local?.shareSpacingMs.p50 ?? null,
      last: local?.shareSpacingMs.last ?? null,
    },
    vardiff_history: miner?.vardiff?.history ?? retired?.history ?? [],
    pool: {
      forwarded: books.forwarded[name] ?? 0,
      accepted: pool?.accepted ?? 0,
      rejected: pool?.rejected ?? 0,
      accepted_difficulty: pool?.acceptedDifficulty ?? 0,
    },
    block_candidates: books.blockCandidates[name] ?? 0,
  };
}
