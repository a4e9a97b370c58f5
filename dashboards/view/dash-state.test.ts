import { describe, expect, it } from 'vitest';
import type { ProxyEvent } from '../../proxy/api/proxy-event.js';
import { T0, statusFixture, workerFixture } from '../../proxy/api/test-support/status-fixture.js';
import { initialState, reduce } from './dash-state.js';
import type { DashAction, DashState } from './dash-state.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Reduces with every input frozen, so any mutation throws (modules are strict). */
function run(state: DashState, ...actions: DashAction[]): DashState {
  return actions.reduce((s, a) => reduce(deepFreeze(s), deepFreeze(a)), state);
}

const share = (o: Partial<Extract<ProxyEvent, { type: 'share' }>> = {}): DashAction => ({
  type: 'event',
  event: {
    type: 'share',
    at: T0 + 1000,
    worker: 'rack.cpu-01',
    accepted: true,
    reason: null,
    code: null,
    difficulty: 0.001,
    share_difficulty: 0.004,
    forwarded: false,
    block_candidate: false,
    job_id: '1',
    ...o,
  },
});

const withStatus = (workers = [workerFixture('rack.cpu-01')]): DashState =>
  run(initialState(T0), { type: 'status', at: T0, status: statusFixture(workers) });

describe('dash state', () => {
  it('starts connecting with no picture, and takes the first /status whole', () => {
    const s0 = initialState(T0);
    expect(s0.status).toBeNull();
    expect(s0.link.phase).toBe('connecting');
    const s = withStatus();
    expect(s.statusAt).toBe(T0);
    expect(s.status?.workers.map((w) => w.name)).toEqual(['rack.cpu-01']);
    expect(s.series['rack.cpu-01']).toEqual({ shareTimes: [], latencies: [] });
  });

  it('counts an accepted share into the worker and the totals, and its time into the sparkline', () => {
    const s = run(withStatus(), share({ forwarded: true }));
    const w = s.status?.workers[0];
    expect(w?.accepted).toBe(11);
    expect(w?.accepted_difficulty).toBeCloseTo(0.001);
    expect(w?.last_share_at).toBe(T0 + 1000);
    expect(w?.share_spacing_ms.last).toBe(5000);
    expect(w?.pool.forwarded).toBe(4);
    expect(s.status?.totals).toMatchObject({ accepted: 11, forwarded: 4, rejected: 0 });
    expect(s.series['rack.cpu-01']?.shareTimes).toEqual([T0 + 1000]);
    expect(s.feed).toEqual([]);
    expect(s.eventCount).toBe(1);
  });

  it('counts rejects by reason, stale (job-not-found) and duplicates, and lists them in the feed', () => {
    const s = run(
      withStatus(),
      share({ accepted: false, reason: 'job-not-found', code: 21 }),
      share({ accepted: false, reason: 'duplicate', code: 22 }),
      share({ accepted: false, reason: 'duplicate', code: 22 }),
    );
    const w = s.status?.workers[0];
    expect(w).toMatchObject({ accepted: 10, rejected: 3, stale: 1, duplicates: 2 });
    expect(w?.rejected_by_reason).toEqual({ 'job-not-found': 1, duplicate: 2 });
    expect(w?.last_share_at).toBe(T0 - 4000);
    expect(s.status?.totals.rejected).toBe(3);
    expect(s.feed.map((f) => f.text)).toEqual([
      'reject rack.cpu-01: job-not-found [21] at diff 1e-3',
      'reject rack.cpu-01: duplicate [22] at diff 1e-3',
      'reject rack.cpu-01: duplicate [22] at diff 1e-3',
    ]);
    expect(s.feed.every((f) => f.kind === 'reject' && f.worker === 'rack.cpu-01')).toBe(true);
  });

  it('books pool answers and their latency; a pool reject goes to the feed', () => {
    const pool = (accepted: boolean, latency: number): DashAction => ({
      type: 'event',
      event: {
        type: 'pool-share',
        at: T0 + 2000,
        worker: 'rack.cpu-01',
        accepted,
        reason: accepted ? null : 'stale',
        difficulty: 1024,
        latency_ms: latency,
      },
    });
    const s = run(withStatus(), pool(true, 30), pool(false, 250));
    expect(s.status?.workers[0]?.pool).toMatchObject({ accepted: 4, rejected: 1 });
    expect(s.status?.totals).toMatchObject({ pool_accepted: 4, pool_rejected: 1 });
    expect(s.series['rack.cpu-01']?.latencies).toEqual([30, 250]);
    expect(s.feed.map((f) => [f.kind, f.text])).toEqual([
      ['pool-reject', 'pool reject rack.cpu-01: stale after 250ms'],
    ]);
  });

  it('applies a vardiff change to the difficulty and the history', () => {
    const s = run(withStatus(), {
      type: 'event',
      event: {
        type: 'vardiff',
        at: T0 + 5,
        worker: 'rack.cpu-01',
        from: 0.001,
        to: 0.004,
        reason: 'too-fast',
      },
    });
    const w = s.status?.workers[0];
    expect(w?.difficulty).toBe(0.004);
    expect(w?.vardiff_history).toEqual([{ at: T0 + 5, from: 0.001, to: 0.004, reason: 'too-fast' }]);
    expect(s.feed[0]?.text).toBe('vardiff rack.cpu-01 1e-3 -> 4e-3 (too-fast)');
  });

  it('adds a worker first seen in an event, and marks a disconnected one', () => {
    let s = run(withStatus(), share({ worker: 'rack.new-01' }));
    expect(s.status?.workers.map((w) => [w.name, w.accepted, w.connected])).toEqual([
      ['rack.cpu-01', 10, true],
      ['rack.new-01', 1, true],
    ]);
    expect(s.status?.totals.workers).toBe(2);
    s = run(s, {
      type: 'event',
      event: {
        type: 'disconnect',
        at: T0 + 9,
        conn: '4',
        worker: 'rack.cpu-01',
        remote: '10.0.0.7:1',
        reason: 'idle',
      },
    });
    expect(s.status?.workers[0]?.connected).toBe(false);
    expect(s.feed.at(-1)?.text).toBe('disconnect #4 rack.cpu-01: idle');
    const unknown = run(s, {
      type: 'event',
      event: { type: 'disconnect', at: T0 + 9, conn: '5', worker: 'ghost', remote: null, reason: null },
    });
    expect(unknown.status?.workers).toHaveLength(2);
  });

  it('follows the upstream through reconnects', () => {
    const s = run(withStatus(), {
      type: 'event',
      event: { type: 'upstream', at: T0 + 7, state: 'backoff', url: null, last_error: 'ECONNRESET' },
    });
    expect(s.status?.upstream).toMatchObject({
      state: 'backoff',
      connected: false,
      since: T0 + 7,
      last_error: 'ECONNRESET',
      url: 'stratum+tcp://pool.example:3333',
    });
    expect(s.feed.at(-1)).toMatchObject({ kind: 'upstream', text: 'upstream backoff: ECONNRESET' });
  });

  it('replaces counts at the next /status and puts shares no event showed into the sparkline', () => {
    let s = run(withStatus(), share());
    const refreshed = statusFixture([
      workerFixture('rack.cpu-01', {
        accepted: 14,
        latency_ms: { p50: 20, p95: 60 },
        pool: { forwarded: 5, accepted: 5, rejected: 0, accepted_difficulty: 0.005 },
      }),
    ]);
    s = run(s, { type: 'status', at: T0 + 5000, status: refreshed });
    expect(s.status?.workers[0]?.accepted).toBe(14);
    // 11 known from the event, 14 reported: three more, timed at the refresh.
    expect(s.series['rack.cpu-01']?.shareTimes).toEqual([T0 + 1000, T0 + 5000, T0 + 5000, T0 + 5000]);
    expect(s.series['rack.cpu-01']?.latencies).toEqual([20]);
  });

  it('forgets the series of a worker the proxy no longer lists', () => {
    let s = run(withStatus(), share());
    s = run(s, { type: 'status', at: T0 + 5000, status: statusFixture([workerFixture('rack.other')]) });
    expect(Object.keys(s.series)).toEqual(['rack.other']);
  });

  it('notes link changes in the feed once per change', () => {
    const link = (
      at: number,
      phase: 'live' | 'down' | 'connecting' | 'polling',
      error?: string,
    ): DashAction => ({
      type: 'link',
      at,
      phase,
      ...(error ? { error } : {}),
      ...(phase === 'down' ? { retryAt: at + 500 } : {}),
    });
    const s = run(
      withStatus(),
      link(T0 + 1, 'live'),
      link(T0 + 2, 'down', 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8080'),
      link(T0 + 3, 'down', 'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8080'),
      link(T0 + 4, 'connecting'),
      link(T0 + 5, 'polling', 'HTTP 404: the proxy has no /events'),
    );
    expect(s.feed.map((f) => f.text)).toEqual([
      'live events',
      'proxy unreachable: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:8080; reconnecting',
      'proxy back',
      'no live events (HTTP 404: the proxy has no /events); polling /status',
    ]);
    expect(s.link).toEqual({
      phase: 'polling',
      since: T0 + 5,
      error: 'HTTP 404: the proxy has no /events',
      retryAt: null,
    });
  });

  it('keeps the feed and the share times bounded', () => {
    let s = run(initialState(T0, { feed: 3, shareTimes: 2 }), {
      type: 'status',
      at: T0,
      status: statusFixture(),
    });
    for (let i = 0; i < 5; i += 1)
      s = run(s, share({ at: T0 + i }), share({ accepted: false, reason: `r${i}`, at: T0 + i }));
    expect(s.feed.map((f) => f.text.split(':')[1]?.trim().split(' ')[0])).toEqual(['r2', 'r3', 'r4']);
    expect(s.series['rack.cpu-01']?.shareTimes).toEqual([T0 + 3, T0 + 4]);
  });

  it('keeps events that arrive before the first /status in the feed without inventing a picture', () => {
    const s = run(initialState(T0), share({ accepted: false, reason: 'low-difficulty', code: 23 }));
    expect(s.status).toBeNull();
    expect(s.feed).toHaveLength(1);
  });
});
