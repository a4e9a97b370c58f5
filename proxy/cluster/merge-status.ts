import type { ProxyStatus, WorkerStatus } from '../api/index.js';
import type { Health } from '../http/http-server.js';
import type { LimitsSnapshot } from '../limits/index.js';
import { MAX_LISTED_BANS } from '../limits/index.js';

type Upstream = ProxyStatus['upstream'];

/** States of an upstream session that leave its miners without work. */
const TROUBLED = new Set(['connecting', 'backoff', 'stopped']);

/**
 * One /status from the workers' own (`karoo proxy --workers N`), in the same schema, so the
 * dashboard and every reader work unchanged: totals summed; a worker name seen in several processes
 * (a rack whose miners share one name) merged into one entry, its counts summed; `upstream` the
 * first troubled session (else the first), with every process's in `upstreams`.
 */
export function mergeStatuses(parts: ProxyStatus[]): ProxyStatus & { upstreams: Upstream[] } {
  const first = parts[0];
  if (!first) throw new Error('mergeStatuses needs at least one status');
  const upstreams = parts.map((p) => p.upstream);
  const shown = upstreams.find((u) => TROUBLED.has(u.state)) ?? first.upstream;
  const byName = new Map<string, WorkerStatus[]>();
  for (const p of parts)
    for (const w of p.workers) {
      const same = byName.get(w.name);
      if (same) same.push(w);
      else byName.set(w.name, [w]);
    }
  const workers = [...byName.keys()].sort().map((name) => mergeWorker(byName.get(name) as WorkerStatus[]));
  const sum = (pick: (t: ProxyStatus['totals']) => number): number =>
    parts.reduce((acc, p) => acc + pick(p.totals), 0);
  return {
    upstream: { ...shown, last_share_at: maxOf(upstreams.map((u) => u.last_share_at)) },
    upstreams,
    totals: {
      miners: sum((t) => t.miners),
      workers: workers.length,
      accepted: sum((t) => t.accepted),
      rejected: sum((t) => t.rejected),
      forwarded: sum((t) => t.forwarded),
      pool_accepted: sum((t) => t.pool_accepted),
      pool_rejected: sum((t) => t.pool_rejected),
      pool_accepted_difficulty: sum((t) => t.pool_accepted_difficulty),
      hashrate: sum((t) => t.hashrate),
      hashrate_warming_up: parts.some((p) => p.totals.hashrate_warming_up),
      block_candidates: sum((t) => t.block_candidates),
    },
    workers,
  };
}

/**
 * One worker name's entries from several processes. Counts add up; the share streams are
 * independent, so their rates add: the merged mean (and median) spacing is 1 / sum(1 / spacing).
 * Latency is the slowest process's; the vardiff history is every change in time order, as long as
 * the longest one kept.
 */
export function mergeWorker(entries: WorkerStatus[]): WorkerStatus {
  const [first] = entries;
  if (!first) throw new Error('mergeWorker needs at least one entry');
  if (entries.length === 1) return first;
  const live = entries.find((w) => w.connected) ?? first;
  const latest = entries.reduce((a, b) => ((b.last_share_at ?? -1) > (a.last_share_at ?? -1) ? b : a));
  const add = (pick: (w: WorkerStatus) => number): number => entries.reduce((acc, w) => acc + pick(w), 0);
  const reasons: Record<string, number> = {};
  for (const w of entries)
    for (const [reason, n] of Object.entries(w.rejected_by_reason))
      reasons[reason] = (reasons[reason] ?? 0) + n;
  const keep = Math.max(...entries.map((w) => w.vardiff_history.length));
  const history = entries
    .flatMap((w) => w.vardiff_history)
    .sort((a, b) => a.at - b.at)
    .slice(-keep || undefined);
  return {
    name: first.name,
    kind: live.kind,
    user_agent: live.user_agent,
    remote: live.remote,
    connected: entries.some((w) => w.connected),
    connected_at: minOf(entries.filter((w) => w.connected).map((w) => w.connected_at)),
    extranonce1: live.extranonce1,
    difficulty: live.difficulty ?? entries.find((w) => w.difficulty !== null)?.difficulty ?? null,
    accepted: add((w) => w.accepted),
    rejected: add((w) => w.rejected),
    rejected_by_reason: reasons,
    stale: add((w) => w.stale),
    duplicates: add((w) => w.duplicates),
    accepted_difficulty: add((w) => w.accepted_difficulty),
    best_share_difficulty: maxOf(entries.map((w) => w.best_share_difficulty)),
    hashrate: add((w) => w.hashrate),
    hashrate_warming_up: entries.every((w) => w.hashrate_warming_up),
    last_share_at: maxOf(entries.map((w) => w.last_share_at)),
    latency_ms: {
      p50: maxOf(entries.map((w) => w.latency_ms.p50)),
      p95: maxOf(entries.map((w) => w.latency_ms.p95)),
    },
    share_spacing_ms: {
      mean: combinedSpacing(entries.map((w) => w.share_spacing_ms.mean)),
      p50: combinedSpacing(entries.map((w) => w.share_spacing_ms.p50)),
      last: latest.share_spacing_ms.last,
    },
    vardiff_history: history,
    pool: {
      forwarded: add((w) => w.pool.forwarded),
      accepted: add((w) => w.pool.accepted),
      rejected: add((w) => w.pool.rejected),
      accepted_difficulty: add((w) => w.pool.accepted_difficulty),
    },
    block_candidates: add((w) => w.block_candidates),
  };
}

/** The limits section: the settings (the same file in every process), counts summed, bans listed once. */
export function mergeLimits(parts: LimitsSnapshot[]): LimitsSnapshot {
  const first = parts[0];
  if (!first) throw new Error('mergeLimits needs at least one snapshot');
  const refused: Record<string, number> = {};
  for (const p of parts)
    for (const [reason, n] of Object.entries(p.refused)) refused[reason] = (refused[reason] ?? 0) + n;
  const bans = new Map<string, LimitsSnapshot['banned'][number]>();
  for (const b of parts.flatMap((p) => p.banned)) {
    const seen = bans.get(b.ip);
    if (!seen || b.until > seen.until) bans.set(b.ip, b);
  }
  return {
    ...first,
    tracked_ips: parts.reduce((acc, p) => acc + p.tracked_ips, 0),
    refused,
    auth_failures: parts.reduce((acc, p) => acc + p.auth_failures, 0),
    bans_total: parts.reduce((acc, p) => acc + p.bans_total, 0),
    banned: [...bans.values()].sort((a, b) => a.until - b.until).slice(-MAX_LISTED_BANS),
  };
}

/**
 * /healthz over the workers: healthy while every worker that is up is healthy and at least one is
 * up (round robin hands new miners only to live workers, so one restarting is named but does not
 * take the whole proxy out of a load balancer). `answers[i]` is worker i + 1's: its health,
 * undefined when it is up but did not answer (it still gets miners: unhealthy), null while it is
 * down.
 */
export function mergeHealth(answers: (Health | undefined | null)[]): Health {
  const bad: string[] = [];
  const restarting: string[] = [];
  answers.forEach((h, i) => {
    if (h === null) restarting.push(`worker ${i + 1}: restarting`);
    else if (h === undefined) bad.push(`worker ${i + 1}: not answering`);
    else if (!h.ok) bad.push(`worker ${i + 1}: ${h.reason}`);
  });
  const live = answers.filter((h): h is Health => h !== null && h !== undefined);
  if (bad.length > 0 || live.length === 0)
    return { ok: false, reason: [...bad, ...restarting].join('; ') || 'no worker is up' };
  const reasons = [...new Set(live.map((h) => h.reason))];
  return { ok: true, reason: [`${live.length} workers: ${reasons.join('; ')}`, ...restarting].join('; ') };
}

function maxOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}

function minOf(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.min(...known);
}

function combinedSpacing(values: (number | null)[]): number | null {
  const rates = values.filter((v): v is number => v !== null && v > 0).map((v) => 1 / v);
  return rates.length === 0 ? null : 1 / rates.reduce((a, b) => a + b, 0);
}
