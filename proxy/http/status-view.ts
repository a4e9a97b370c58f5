import type { WorkerSnapshot } from '../stats/index.js';
import type { KarooProxy } from '../karoo-proxy.js';
import type { MinerSession } from '../session/miner-session.js';
import { endpointLabel } from '../upstream/upstream-endpoint.js';

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
  hashrate: number;
  last_share_at: number | null;
  latency_ms: { p50: number | null; p95: number | null };
  share_spacing_ms: { mean: number | null; p50: number | null; last: number | null };
  vardiff_history: { at: number; from: number; to: number; reason: string }[];
  pool: { forwarded: number; accepted: number; rejected: number; accepted_difficulty: number };
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
  };
  workers: WorkerStatus[];
}

/** The JSON of GET /status (schema in the README). */
export function buildStatus(proxy: KarooProxy): ProxyStatus {
  const { local, pool } = proxy.book.snapshot();
  const up = proxy.upstream;
  const conn = up.current;
  const endpoint = up.endpoint;
  const sessionsByWorker = new Map<string, MinerSession>();
  for (const s of proxy.sessions) for (const w of s.workers) sessionsByWorker.set(w, s);
  const names = new Set([...Object.keys(local.workers), ...sessionsByWorker.keys()]);
  const workers = [...names]
    .sort()
    .map((name) =>
      workerStatus(name, local.workers[name], pool.workers[name], sessionsByWorker.get(name), proxy),
    );
  return {
    upstream: {
      url: endpointLabel(endpoint),
      host: endpoint.host,
      port: endpoint.port,
      state: up.state,
      connected: conn !== undefined,
      since: up.stateSince,
      endpoint_index: up.endpointIndex,
      extranonce1: conn?.extranonce1 ?? null,
      extranonce2_size: conn?.extranonce2Size ?? null,
      difficulty: conn?.difficulty ?? null,
      version_mask: conn ? conn.versionMask.toString(16).padStart(8, '0') : null,
      last_notify_at: conn?.lastNotifyAt ?? null,
      last_error: up.lastError ?? null,
    },
    totals: {
      miners: proxy.sessions.size,
      workers: workers.length,
      accepted: local.totals.accepted,
      rejected: local.totals.rejected,
      forwarded: proxy.book.totalForwarded,
      pool_accepted: pool.totals.accepted,
      pool_rejected: pool.totals.rejected,
      pool_accepted_difficulty: pool.totals.acceptedDifficulty,
      hashrate: local.totals.hashrate,
    },
    workers,
  };
}

function workerStatus(
  name: string,
  local: WorkerSnapshot | undefined,
  pool: WorkerSnapshot | undefined,
  session: MinerSession | undefined,
  proxy: KarooProxy,
): WorkerStatus {
  const vardiff = session ? proxy.vardiffOf(session) : undefined;
  return {
    name,
    kind: session?.kind ?? 'other',
    user_agent: session?.userAgent ?? null,
    remote: session?.remoteAddress ?? null,
    connected: session !== undefined,
    connected_at: session?.connectedAt ?? null,
    extranonce1: session?.extranonce?.extranonce1 ?? null,
    difficulty: session && session.sentDifficulty > 0 ? session.sentDifficulty : (local?.difficulty ?? null),
    accepted: local?.accepted ?? 0,
    rejected: local?.rejected ?? 0,
    rejected_by_reason: local?.rejectedByReason ?? {},
    stale: local?.stale ?? 0,
    duplicates: local?.duplicate ?? 0,
    accepted_difficulty: local?.acceptedDifficulty ?? 0,
    hashrate: local?.hashrate ?? 0,
    last_share_at: local?.lastShareAt ?? null,
    latency_ms: { p50: pool?.latencyMs.p50 ?? null, p95: pool?.latencyMs.p95 ?? null },
    share_spacing_ms: {
      mean: local?.shareSpacingMs.mean ?? null,
      p50: local?.shareSpacingMs.p50 ?? null,
      last: local?.shareSpacingMs.last ?? null,
    },
    vardiff_history: vardiff ? vardiff.history.map((h) => ({ ...h })) : [],
    pool: {
      forwarded: proxy.book.forwardedBy(name),
      accepted: pool?.accepted ?? 0,
      rejected: pool?.rejected ?? 0,
      accepted_difficulty: pool?.acceptedDifficulty ?? 0,
    },
  };
}

/** 200 while the proxy can serve: upstream ready, or idle with no miners on demand. */
export function health(proxy: KarooProxy): { ok: boolean; reason: string } {
  const up = proxy.upstream;
  if (up.state === 'ready') return { ok: true, reason: 'upstream connected' };
  if (proxy.options.upstreamMode === 'on-demand' && proxy.sessions.size === 0 && up.state === 'idle') {
    return { ok: true, reason: 'idle: no miners, upstream dialled on demand' };
  }
  return { ok: false, reason: `upstream ${up.state}${up.lastError ? `: ${up.lastError}` : ''}` };
}
