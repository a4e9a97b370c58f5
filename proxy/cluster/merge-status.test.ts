import { describe, expect, it } from 'vitest';
import { blankWorker } from '../api/index.js';
import type { ProxyStatus, WorkerStatus } from '../api/index.js';
import type { LimitsSnapshot } from '../limits/index.js';
import { mergeHealth, mergeLimits, mergeStatuses, mergeWorker } from './merge-status.js';

function worker(name: string, w: Partial<WorkerStatus>): WorkerStatus {
  return { ...blankWorker(name), connected: false, ...w };
}

function status(
  upstream: Partial<ProxyStatus['upstream']>,
  totals: Partial<ProxyStatus['totals']>,
  workers: WorkerStatus[],
): ProxyStatus {
  return {
    upstream: {
      url: 'stratum+tcp://pool:3333',
      host: 'pool',
      port: 3333,
      state: 'ready',
      connected: true,
      since: 1,
      endpoint_index: 0,
      extranonce1: 'aa',
      extranonce2_size: 4,
      difficulty: 1,
      version_mask: null,
      last_notify_at: 1,
      last_error: null,
      suggested_difficulty: null,
      last_share_at: null,
      ...upstream,
    },
    totals: {
      miners: 0,
      workers: workers.length,
      accepted: 0,
      rejected: 0,
      forwarded: 0,
      pool_accepted: 0,
      pool_rejected: 0,
      pool_accepted_difficulty: 0,
      hashrate: 0,
      hashrate_warming_up: false,
      block_candidates: 0,
      ...totals,
    },
    workers,
  };
}

describe("mergeStatuses: one /status from the workers' own", () => {
  it('sums the totals, merges worker names across processes, keeps every upstream and shows a troubled one', () => {
    const a = status({ extranonce1: 'aa', last_share_at: 500 }, { miners: 2, accepted: 10, hashrate: 100 }, [
      worker('rig.a', { accepted: 4 }),
      worker('rig.shared', { accepted: 6, connected: true }),
    ]);
    const b = status(
      { extranonce1: null, state: 'backoff', connected: false, last_error: 'refused', last_share_at: 900 },
      { miners: 1, accepted: 3, rejected: 1, hashrate: 50, hashrate_warming_up: true, block_candidates: 1 },
      [worker('rig.shared', { accepted: 3, rejected: 1 })],
    );
    const m = mergeStatuses([a, b]);
    expect(m.totals).toEqual({
      miners: 3,
      workers: 2,
      accepted: 13,
      rejected: 1,
      forwarded: 0,
      pool_accepted: 0,
      pool_rejected: 0,
      pool_accepted_difficulty: 0,
      hashrate: 150,
      hashrate_warming_up: true,
      block_candidates: 1,
    });
    expect(m.workers.map((w) => [w.name, w.accepted, w.rejected, w.connected])).toEqual([
      ['rig.a', 4, 0, false],
      ['rig.shared', 9, 1, true],
    ]);
    // The dashboard shows one upstream: the one in trouble, with the latest share of any.
    expect(m.upstream).toMatchObject({ state: 'backoff', last_error: 'refused', last_share_at: 900 });
    expect(m.upstreams.map((u) => u.extranonce1)).toEqual(['aa', null]);
    expect(mergeStatuses([a, { ...b, upstream: { ...b.upstream, state: 'idle' } }]).upstream.state).toBe(
      'ready',
    );
  });

  it('refuses an empty list (the primary answers 500 when no worker answers)', () => {
    expect(() => mergeStatuses([])).toThrow(/at least one/);
  });
});

describe('mergeWorker: one worker name seen in several processes', () => {
  it('adds counts and rates, keeps the live connection, the best share and the slowest latency', () => {
    const gone = worker('rig', {
      kind: 'nerdminer',
      remote: '10.0.0.2:1',
      accepted: 2,
      accepted_difficulty: 0.5,
      rejected_by_reason: { 'low difficulty': 1, stale: 2 },
      best_share_difficulty: 9,
      hashrate: 40,
      last_share_at: 2000,
      latency_ms: { p50: 5, p95: 30 },
      share_spacing_ms: { mean: 1000, p50: 800, last: 900 },
      vardiff_history: [{ at: 3, from: 1, to: 2, reason: 'fast' }],
      pool: { forwarded: 1, accepted: 1, rejected: 0, accepted_difficulty: 0.25 },
    });
    const live = worker('rig', {
      kind: 'bitaxe',
      remote: '10.0.0.3:1',
      connected: true,
      connected_at: 100,
      extranonce1: 'bb01',
      difficulty: 4,
      accepted: 3,
      accepted_difficulty: 1,
      rejected_by_reason: { stale: 1 },
      best_share_difficulty: 5,
      hashrate: 60,
      hashrate_warming_up: false,
      last_share_at: 1000,
      latency_ms: { p50: 9, p95: 12 },
      share_spacing_ms: { mean: 1000, p50: null, last: 400 },
      vardiff_history: [
        { at: 1, from: 0.5, to: 1, reason: 'start' },
        { at: 5, from: 1, to: 4, reason: 'fast' },
      ],
      pool: { forwarded: 2, accepted: 2, rejected: 0, accepted_difficulty: 1 },
      block_candidates: 1,
    });
    expect(mergeWorker([gone, live])).toEqual({
      ...live,
      accepted: 5,
      accepted_difficulty: 1.5,
      rejected_by_reason: { 'low difficulty': 1, stale: 3 },
      best_share_difficulty: 9,
      hashrate: 100,
      // One stream warmed up: the sum is an estimate.
      hashrate_warming_up: false,
      last_share_at: 2000,
      latency_ms: { p50: 9, p95: 30 },
      // Two streams of one share a second: one share every 500 ms; `last` from the latest share.
      share_spacing_ms: { mean: 500, p50: 800, last: 900 },
      // In time order, as long as the longest kept.
      vardiff_history: [
        { at: 3, from: 1, to: 2, reason: 'fast' },
        { at: 5, from: 1, to: 4, reason: 'fast' },
      ],
      pool: { forwarded: 3, accepted: 3, rejected: 0, accepted_difficulty: 1.25 },
      block_candidates: 1,
    });
  });

  it('returns a worker seen once as it is', () => {
    const one = worker('solo', { accepted: 7 });
    expect(mergeWorker([one])).toBe(one);
  });
});

describe('mergeLimits', () => {
  const limits = (over: Partial<LimitsSnapshot>): LimitsSnapshot => ({
    ratelimit: {
      enabled: true,
      max_connections_per_ip: 10,
      max_connections_per_minute: 60,
      ban_duration_seconds: 600,
      trusted: [],
    },
    auth_fail_backoff_ms: 1000,
    reject_ban: { ratio: 0.9, min_shares: 50, seconds: 600 },
    tracked_ips: 0,
    refused: {},
    auth_failures: 0,
    bans_total: 0,
    banned: [],
    ...over,
  });
  it('sums the counters and lists each banned address once, with its latest ban', () => {
    const m = mergeLimits([
      limits({
        tracked_ips: 3,
        refused: { 'per-ip': 2 },
        auth_failures: 1,
        bans_total: 2,
        banned: [
          { ip: '10.0.0.9', until: 50, reason: 'flood' },
          { ip: '10.0.0.7', until: 90, reason: 'flood' },
        ],
      }),
      limits({
        tracked_ips: 4,
        refused: { 'per-ip': 1, rate: 5 },
        bans_total: 1,
        banned: [{ ip: '10.0.0.9', until: 70, reason: 'reject-ratio' }],
      }),
    ]);
    expect(m).toMatchObject({
      tracked_ips: 7,
      refused: { 'per-ip': 3, rate: 5 },
      auth_failures: 1,
      bans_total: 3,
    });
    expect(m.banned).toEqual([
      { ip: '10.0.0.9', until: 70, reason: 'reject-ratio' },
      { ip: '10.0.0.7', until: 90, reason: 'flood' },
    ]);
    expect(m.ratelimit.max_connections_per_ip).toBe(10);
  });
});

describe('mergeHealth', () => {
  const ok = { ok: true, reason: 'upstream connected' };
  it('is healthy only when every worker that is up is, and names the ones that are not or did not answer', () => {
    expect(mergeHealth([ok, ok])).toEqual({ ok: true, reason: '2 workers: upstream connected' });
    expect(mergeHealth([ok, { ok: false, reason: 'upstream backoff: refused' }, undefined])).toEqual({
      ok: false,
      reason: 'worker 2: upstream backoff: refused; worker 3: not answering',
    });
  });

  it('stays healthy while a worker restarts (its miners went to the others), but not with none up', () => {
    expect(mergeHealth([null, ok])).toEqual({
      ok: true,
      reason: '1 workers: upstream connected; worker 1: restarting',
    });
    expect(mergeHealth([null, null])).toEqual({
      ok: false,
      reason: 'worker 1: restarting; worker 2: restarting',
    });
  });
});
