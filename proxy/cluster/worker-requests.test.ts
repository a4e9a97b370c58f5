import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { defaultConfig } from '../config/index.js';
import { ClusterEventFeed } from './cluster-event-feed.js';
import { isFromWorker, isToWorker } from './cluster-messages.js';
import type { ToWorker } from './cluster-messages.js';
import { WorkerRequests } from './worker-requests.js';
import type { WorkerLine } from './worker-requests.js';

function line(index: number, connected = true): WorkerLine & { sent: ToWorker[] } {
  const sent: ToWorker[] = [];
  return {
    index,
    sent,
    send(m) {
      if (!connected) return false;
      sent.push(m);
      return true;
    },
  };
}

describe('WorkerRequests: every question to a worker is settled exactly once', () => {
  it('matches answers to questions by id, whatever order they come back in', async () => {
    const r = new WorkerRequests(new ManualClock(0), 1000);
    const w1 = line(1);
    const w2 = line(2);
    const a = r.ask(w1, 'health');
    const config = defaultConfig('127.0.0.1', 3333);
    const b = r.ask(w2, 'reload', { config });
    expect(w1.sent).toEqual([{ karoo: 'ask', id: 1, what: 'health' }]);
    expect(w2.sent).toEqual([{ karoo: 'ask', id: 2, what: 'reload', config }]);
    r.answer(2, { ok: true, changes: [], needsRestart: [] });
    r.answer(1, { ok: false, reason: 'upstream backoff' });
    r.answer(1, { ok: true, reason: 'a second answer is ignored' });
    expect(await a).toEqual({ ok: false, reason: 'upstream backoff' });
    expect(await b).toEqual({ ok: true, changes: [], needsRestart: [] });
    expect(r.openCount).toBe(0);
  });

  it('settles with undefined on the timeout, when the worker goes away, or when it cannot be sent', async () => {
    const clock = new ManualClock(0);
    const r = new WorkerRequests(clock, 1000);
    const slow = line(1);
    const dying = line(2);
    const timedOut = r.ask(slow, 'status');
    const orphaned = r.ask(dying, 'metrics');
    const kept = r.ask(slow, 'health');
    clock.advance(999);
    r.forget(dying);
    expect(await orphaned).toBeUndefined();
    expect(r.openCount).toBe(2);
    r.answer(3, { ok: true, reason: 'in time' });
    clock.advance(1);
    expect(await timedOut).toBeUndefined();
    expect(await kept).toEqual({ ok: true, reason: 'in time' });
    expect(await r.ask(line(3, false), 'status')).toBeUndefined();
    expect(r.openCount).toBe(0);
  });
});

describe('ClusterEventFeed', () => {
  it('asks the workers to forward only while someone reads, and hands each event to every reader', () => {
    const switched: boolean[] = [];
    const feed = new ClusterEventFeed((on) => switched.push(on));
    const one: unknown[] = [];
    const two: unknown[] = [];
    const offOne = feed.subscribe((e) => one.push(e));
    const offTwo = feed.subscribe((e) => two.push(e));
    expect(feed.wanted).toBe(true);
    const event = { type: 'connect', data: { at: 1, conn: 3, remote: '127.0.0.1:5' } } as const;
    feed.deliver(event);
    offOne();
    offOne();
    feed.deliver(event);
    offTwo();
    expect(switched).toEqual([true, false]);
    expect(feed.wanted).toBe(false);
    expect([one.length, two.length]).toEqual([1, 2]);
  });
});

describe('cluster messages', () => {
  it("tells Karoo's own messages from anything else on the channel", () => {
    expect(isFromWorker({ karoo: 'answer', id: 1, value: null })).toBe(true);
    expect(isFromWorker({ karoo: 'ask', id: 1, what: 'status' })).toBe(false);
    expect(isFromWorker({ type: 'prom-client:getMetricsRes' })).toBe(false);
    expect(isFromWorker(null)).toBe(false);
    expect(isFromWorker({ karoo: 'hello' })).toBe(true);
    expect(isToWorker({ karoo: 'config', config: defaultConfig('127.0.0.1', 3333) })).toBe(true);
    expect(isToWorker({ karoo: 'hello' })).toBe(false);
    expect(isToWorker({ karoo: 'stop' })).toBe(true);
    expect(isToWorker({ karoo: 'listening', url: 'x', websocketUrl: null })).toBe(false);
    expect(isToWorker('stop')).toBe(false);
  });
});
