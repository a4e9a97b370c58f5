import type { ProxyStatus, WorkerStatus } from '../../proxy/api/index.js';
import { blankWorker } from '../../proxy/api/blank-worker.js';
import type { ProxyEvent, ProxyEventOf } from '../../proxy/api/proxy-event.js';
import { describeEvent } from './event-text.js';
import type { FeedKind } from './event-text.js';

/** Recent events kept for the feed. */
export const DEFAULT_FEED_SIZE = 200;
/** Accepted-share timestamps kept per worker (for the share sparkline). */
export const DEFAULT_SHARE_TIMES = 512;
/** Pool latencies kept per worker (for the latency sparkline). */
export const DEFAULT_LATENCIES = 128;
/** Vardiff changes kept per worker between /status refreshes. */
export const DEFAULT_VARDIFF_HISTORY = 64;

/**
 * Where the dashboard stands with the proxy: `live` = /status answered and /events streaming;
 * `polling` = /status answers but /events does not (older proxy, or the stream dropped);
 * `down` = /status failed, retrying at `retryAt`.
 */
export type LinkPhase = 'connecting' | 'live' | 'polling' | 'down';

export interface LinkState {
  phase: LinkPhase;
  since: number;
  error: string | null;
  retryAt: number | null;
}

export type DashAction =
  | { type: 'status'; at: number; status: ProxyStatus }
  | { type: 'event'; event: ProxyEvent }
  | { type: 'link'; at: number; phase: LinkPhase; error?: string | null; retryAt?: number | null };

export interface FeedEntry {
  at: number;
  kind: FeedKind;
  worker: string | null;
  text: string;
}

export interface WorkerSeries {
  /** When accepted shares came (event time, or the /status refresh that revealed them). */
  shareTimes: number[];
  /** Pool answer latencies in ms, oldest first. */
  latencies: number[];
}

export interface DashState {
  /** The last /status picture with every event since merged in; null before the first. */
  status: ProxyStatus | null;
  statusAt: number | null;
  link: LinkState;
  series: Record<string, WorkerSeries>;
  /** Newest last. */
  feed: FeedEntry[];
  eventCount: number;
  limits: DashLimits;
}

export interface DashLimits {
  feed: number;
  shareTimes: number;
  latencies: number;
  vardiffHistory: number;
}

export const DEFAULT_LIMITS: DashLimits = {
  feed: DEFAULT_FEED_SIZE,
  shareTimes: DEFAULT_SHARE_TIMES,
  latencies: DEFAULT_LATENCIES,
  vardiffHistory: DEFAULT_VARDIFF_HISTORY,
};

export function initialState(now: number, limits: Partial<DashLimits> = {}): DashState {
  return {
    status: null,
    statusAt: null,
    link: { phase: 'connecting', since: now, error: null, retryAt: null },
    series: {},
    feed: [],
    eventCount: 0,
    limits: { ...DEFAULT_LIMITS, ...limits },
  };
}

/** The next state. Pure: the input is never modified. */
export function reduce(state: DashState, action: DashAction): DashState {
  switch (action.type) {
    case 'status':
      return applyStatus(state, action.status, action.at);
    case 'event':
      return applyEvent(state, action.event);
    case 'link':
      return applyLink(state, action);
  }
}

function applyStatus(state: DashState, status: ProxyStatus, at: number): DashState {
  const previous = new Map((state.status?.workers ?? []).map((w) => [w.name, w]));
  const series: Record<string, WorkerSeries> = {};
  for (const w of status.workers) {
    let s = state.series[w.name] ?? { shareTimes: [], latencies: [] };
    const before = previous.get(w.name);
    if (before) {
      // Shares this refresh reveals that no event showed (polling, or events missed).
      const unseen = Math.min(w.accepted - before.accepted, state.limits.shareTimes);
      if (unseen > 0)
        s = {
          ...s,
          shareTimes: capped(
            [...s.shareTimes, ...new Array<number>(unseen).fill(at)],
            state.limits.shareTimes,
          ),
        };
      const answers = w.pool.accepted + w.pool.rejected - before.pool.accepted - before.pool.rejected;
      if (answers > 0 && w.latency_ms.p50 !== null)
        s = { ...s, latencies: capped([...s.latencies, w.latency_ms.p50], state.limits.latencies) };
    }
    series[w.name] = s;
  }
  return { ...state, status, statusAt: at, series };
}

function applyEvent(state: DashState, e: ProxyEvent): DashState {
  let next: DashState = { ...state, eventCount: state.eventCount + 1 };
  switch (e.type) {
    case 'share':
      next = onShare(next, e);
      break;
    case 'pool-share':
      next = onPoolShare(next, e);
      break;
    case 'vardiff':
      next = withWorker(next, e.worker, (w) => ({
        ...w,
        difficulty: e.to,
        vardiff_history: capped(
          [...w.vardiff_history, { at: e.at, from: e.from, to: e.to, reason: e.reason ?? '' }],
          state.limits.vardiffHistory,
        ),
      }));
      break;
    case 'disconnect':
      if (e.worker !== null) next = withWorker(next, e.worker, (w) => ({ ...w, connected: false }), false);
      break;
    case 'upstream':
      if (next.status) {
        const up = next.status.upstream;
        next = {
          ...next,
          status: {
            ...next.status,
            upstream: {
              ...up,
              state: e.state,
              url: e.url ?? up.url,
              connected: e.state === 'ready',
              since: e.at,
              last_error: e.last_error,
            },
          },
        };
      }
      break;
    case 'connect':
    case 'hello':
      break;
  }
  const line = describeEvent(e);
  return line ? addFeed(next, { at: e.at, ...line }) : next;
}

function onShare(state: DashState, e: ProxyEventOf<'share'>): DashState {
  let next = withWorker(state, e.worker, (w) => {
    const stale = e.reason === 'job-not-found';
    const duplicate = e.reason === 'duplicate';
    const reason = e.reason ?? 'unknown';
    return {
      ...w,
      accepted: w.accepted + (e.accepted ? 1 : 0),
      accepted_difficulty: w.accepted_difficulty + (e.accepted ? e.difficulty : 0),
      rejected: w.rejected + (e.accepted ? 0 : 1),
      rejected_by_reason: e.accepted
        ? w.rejected_by_reason
        : { ...w.rejected_by_reason, [reason]: (w.rejected_by_reason[reason] ?? 0) + 1 },
      stale: w.stale + (stale ? 1 : 0),
      duplicates: w.duplicates + (duplicate ? 1 : 0),
      last_share_at: e.accepted ? e.at : w.last_share_at,
      share_spacing_ms:
        e.accepted && w.last_share_at !== null
          ? { ...w.share_spacing_ms, last: Math.max(0, e.at - w.last_share_at) }
          : w.share_spacing_ms,
      pool: e.forwarded ? { ...w.pool, forwarded: w.pool.forwarded + 1 } : w.pool,
    };
  });
  if (next.status) {
    const t = next.status.totals;
    next = {
      ...next,
      status: {
        ...next.status,
        totals: {
          ...t,
          accepted: t.accepted + (e.accepted ? 1 : 0),
          rejected: t.rejected + (e.accepted ? 0 : 1),
          forwarded: t.forwarded + (e.forwarded ? 1 : 0),
        },
      },
    };
  }
  if (!e.accepted) return next;
  const s = seriesOf(next, e.worker);
  return withSeries(next, e.worker, {
    ...s,
    shareTimes: capped([...s.shareTimes, e.at], state.limits.shareTimes),
  });
}

function onPoolShare(state: DashState, e: ProxyEventOf<'pool-share'>): DashState {
  let next = withWorker(state, e.worker, (w) => ({
    ...w,
    pool: {
      ...w.pool,
      accepted: w.pool.accepted + (e.accepted ? 1 : 0),
      rejected: w.pool.rejected + (e.accepted ? 0 : 1),
      accepted_difficulty: w.pool.accepted_difficulty + (e.accepted ? e.difficulty : 0),
    },
  }));
  if (next.status) {
    const t = next.status.totals;
    next = {
      ...next,
      status: {
        ...next.status,
        totals: {
          ...t,
          pool_accepted: t.pool_accepted + (e.accepted ? 1 : 0),
          pool_rejected: t.pool_rejected + (e.accepted ? 0 : 1),
          pool_accepted_difficulty: t.pool_accepted_difficulty + (e.accepted ? e.difficulty : 0),
        },
      },
    };
  }
  if (e.latency_ms === null) return next;
  const s = seriesOf(next, e.worker);
  return withSeries(next, e.worker, {
    ...s,
    latencies: capped([...s.latencies, e.latency_ms], state.limits.latencies),
  });
}

function applyLink(state: DashState, a: Extract<DashAction, { type: 'link' }>): DashState {
  const prev = state.link;
  const link: LinkState = {
    phase: a.phase,
    since: a.phase === prev.phase ? prev.since : a.at,
    error: a.error ?? null,
    retryAt: a.retryAt ?? null,
  };
  const next = { ...state, link };
  const note = linkNote(prev, link);
  return note ? addFeed(next, { at: a.at, kind: 'proxy', worker: null, text: note }) : next;
}

/** A feed line when the link changes phase (repeated failures do not add lines). */
function linkNote(prev: LinkState, next: LinkState): string | undefined {
  if (prev.phase === next.phase) return undefined;
  switch (next.phase) {
    case 'down':
      return `proxy unreachable${next.error ? `: ${next.error}` : ''}; reconnecting`;
    case 'live':
      return prev.phase === 'down' ? 'proxy back; live events' : 'live events';
    case 'polling':
      return `${prev.phase === 'down' ? 'proxy back; ' : ''}no live events${next.error ? ` (${next.error})` : ''}; polling /status`;
    case 'connecting':
      return prev.phase === 'down' ? 'proxy back' : undefined;
  }
}

function addFeed(state: DashState, entry: FeedEntry): DashState {
  return { ...state, feed: capped([...state.feed, entry], state.limits.feed) };
}

/** Applies `fn` to the named worker, adding it first (as connected, kind unknown) when `create`. */
function withWorker(
  state: DashState,
  name: string,
  fn: (w: WorkerStatus) => WorkerStatus,
  create = true,
): DashState {
  if (!state.status) return state;
  const workers = state.status.workers;
  const index = workers.findIndex((w) => w.name === name);
  if (index < 0 && !create) return state;
  const nextWorkers =
    index < 0 ? [...workers, fn(blankWorker(name))] : workers.map((w, i) => (i === index ? fn(w) : w));
  return {
    ...state,
    status: {
      ...state.status,
      workers: nextWorkers,
      totals: { ...state.status.totals, workers: nextWorkers.length },
    },
  };
}

function seriesOf(state: DashState, name: string): WorkerSeries {
  return state.series[name] ?? { shareTimes: [], latencies: [] };
}

function withSeries(state: DashState, name: string, s: WorkerSeries): DashState {
  return { ...state, series: { ...state.series, [name]: s } };
}

function capped<T>(items: T[], cap: number): T[] {
  return items.length > cap ? items.slice(items.length - cap) : items;
}
