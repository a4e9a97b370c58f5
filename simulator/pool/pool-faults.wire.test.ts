import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FaultEvent } from './faults/fault-engine.js';
import { ScenarioError } from './faults/scenario-file.js';
import type { ShareEvent } from './pool-context.js';
import type { PoolSimulator, SessionClosedInfo } from './pool-server.js';
import { jobFromNotify } from './test-support/cpu-miner.js';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import type { ConnectedMiner } from './test-support/pool-harness.js';
import { TEST_DIFFICULTY, codeOf, connectClient, findShare, submit } from './test-support/pool-harness.js';
import { poolFixture } from './test-support/pool-fixture.js';

const fx = poolFixture();
const { pool } = fx;
const miner = (p: PoolSimulator, worker = 'alice'): Promise<ConnectedMiner> => fx.miner(p, { worker });

function sessionId(p: PoolSimulator, m: ConnectedMiner): string {
  return p.sessions().find((s) => s.extranonce1 === m.extranonce1)?.id as string;
}

function faultEvent(p: PoolSimulator, phase: FaultEvent['phase']): Promise<FaultEvent> {
  return new Promise((resolve) => {
    const on = (e: FaultEvent): void => {
      if (e.phase !== phase) return;
      p.off('fault', on);
      resolve(e);
    };
    p.on('fault', on);
  });
}

async function isOpen(m: ConnectedMiner): Promise<boolean> {
  return (await m.client.request('mining.ping', [])).result === 'pong';
}

describe('drop', () => {
  it('drops every connection at once', async () => {
    const p = await pool();
    const [a, b] = [await miner(p, 'a'), await miner(p, 'b')];
    const fired = faultEvent(p, 'start');
    const closed = once(p, 'session-close');
    p.faults.inject({ action: 'drop' });
    await Promise.all([a.client.waitClosed(), b.client.waitClosed()]);
    expect(((await closed)[0] as SessionClosedInfo).reason).toBe('fault');
    expect((await fired).sessions).toHaveLength(2);
    expect(p.sessions()).toHaveLength(0);
    // A one-shot fault that fired is no longer armed.
    expect(p.faults.list()).toEqual([]);
  });

  it('drops each connection after its own N-th share', async () => {
    const p = await pool();
    p.faults.inject({ action: 'drop', target: 'each', afterShares: 2 });
    const [a, b] = [await miner(p, 'a'), await miner(p, 'b')];
    await submit(a, findShare(a));
    await submit(b, findShare(b));
    a.client.send({
      id: 99,
      method: 'mining.submit',
      params: ['a', a.job.jobId, '00'.repeat(8), a.job.ntime, '00000000'],
    });
    await a.client.waitClosed();
    expect(await isOpen(b)).toBe(true);
    expect(p.stats().workers.a?.accepted).toBe(1);
  });

  it('drops at a time, only the chosen connection or worker', async () => {
    const p = await pool();
    const [a, b, c] = [await miner(p, 'a'), await miner(p, 'b'), await miner(p, 'c')];
    p.faults.inject({ action: 'drop', target: { connection: 2 }, at: '20ms' });
    await b.client.waitClosed();
    p.faults.inject({ action: 'drop', target: { worker: 'c' } });
    await c.client.waitClosed();
    p.faults.inject({ action: 'drop', target: { session: sessionId(p, a) }, at: 0.01 });
    await a.client.waitClosed();
  });

  it('takes durations in start options as a scenario file writes them (seconds or units)', async () => {
    const p = await pool({
      faults: [
        { action: 'garbage', target: 'each', at: 0.02, text: 'in seconds' },
        { action: 'garbage', target: 'each', at: '30ms', text: 'with a unit' },
      ],
    });
    const m = await miner(p);
    await m.client.line('first garbage', (r) => r.line === 'in seconds');
    await m.client.line('second garbage', (r) => r.line === 'with a unit');
  });

  it('arms faults given at start (a scenario) for connections that open later', async () => {
    const p = await pool({ faults: [{ action: 'reject', target: 'each', fraction: 1, code: 21 }] });
    const m = await miner(p);
    const answer = await submit(m, findShare(m));
    expect(codeOf(answer)).toBe(21);
    expect(p.stats().workers.alice?.rejected).toEqual({ injected: 1 });
  });
});

describe('stall (zombie pool)', () => {
  it('keeps the connection and answers, sends no jobs, then resumes with the current job', async () => {
    const p = await pool();
    const m = await miner(p);
    const id = p.faults.inject({ action: 'stall' });
    p.newJob();
    expect(await isOpen(m)).toBe(true);
    expect(m.client.notifications('mining.notify')).toHaveLength(1);
    const late = await fx.client(p);
    await late.request('mining.subscribe', []);
    expect((await late.request('mining.authorize', ['late', 'x'])).result).toBe(true);
    expect(late.notifications('mining.notify')).toHaveLength(0);
    expect(p.faults.clear(id)).toBe(true);
    const resumed = await m.client.notification('mining.notify');
    expect(resumed.params[8]).toBe(true);
    expect(resumed.params[0]).toBe(p.currentJob().jobId);
    await late.notification('mining.set_difficulty');
    await late.notification('mining.notify');
  });

  it('ends by itself after its duration', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'stall', duration: '50ms' });
    p.newJob();
    const ended = faultEvent(p, 'end');
    const resumed = await m.client.notification('mining.notify');
    expect(resumed.params[0]).toBe(p.currentJob().jobId);
    expect((await ended).action).toBe('stall');
  });
});

describe('delay', () => {
  it('holds answers back for the delay while notifications go out at once', async () => {
    const clock = new ManualClock();
    const p = await pool({ clock });
    const m = await miner(p);
    p.faults.inject({ action: 'delay', delay: '1s' });
    const judged = once(p, 'share');
    // A one-byte extranonce2: a share refused with 20 whatever its hash.
    m.client.send({
      id: 77,
      method: 'mining.submit',
      params: ['alice', m.job.jobId, '00', m.job.ntime, '00000000'],
    });
    expect(((await judged)[0] as ShareEvent).accepted).toBe(false);
    p.newJob();
    await m.client.notification('mining.notify');
    expect(m.client.received.some((r) => r.json?.id === 77)).toBe(false);
    clock.advance(999);
    p.newJob();
    await m.client.notification('mining.notify');
    expect(m.client.received.some((r) => r.json?.id === 77)).toBe(false);
    clock.advance(1);
    expect(codeOf(await m.client.answer(77))).toBe(20);
  });
});

describe('reject', () => {
  it('refuses exactly the fraction of good shares asked for, with the code asked for', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'reject', fraction: 0.5, code: 23 });
    const codes = [];
    for (let i = 0; i < 4; i += 1) codes.push(codeOf(await submit(m, findShare(m))));
    expect(codes).toEqual([null, 23, null, 23]);
    expect(p.stats().workers.alice).toMatchObject({ accepted: 2, rejected: { injected: 2 } });
  });
});

describe('garbage and oversize lines', () => {
  it('sends a line that is not JSON', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'garbage', text: 'definitely }{ not json' });
    const line = await m.client.line('garbage', (r) => r.json === undefined);
    expect(line.line).toBe('definitely }{ not json');
  });

  it('sends one well-formed line of exactly the requested size', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'oversize', bytes: 300_000 });
    const line = await m.client.line('oversize', (r) => r.line.length > 10_000);
    expect(line.line.length).toBe(300_000);
    expect(line.json?.method).toBe('client.show_message');
  });

  it('repeats with every until cleared', async () => {
    const p = await pool();
    const m = await miner(p);
    const id = p.faults.inject({ action: 'garbage', every: '20ms' });
    await m.client.line(
      'second garbage line',
      () => m.client.received.filter((r) => r.json === undefined).length >= 2,
    );
    expect(p.faults.list().find((f) => f.id === id)?.fired).toBeGreaterThanOrEqual(2);
    expect(p.faults.clear(id)).toBe(true);
    expect(p.faults.clear(id)).toBe(false);
    expect(p.faults.list()).toEqual([]);
  });
});

describe('client.reconnect, mining.set_extranonce, mining.set_version_mask', () => {
  it('tells miners to reconnect to the pool itself, and closes after closeAfter', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'reconnect', waitSeconds: 3, closeAfter: '30ms' });
    const reconnect = await m.client.notification('client.reconnect');
    expect(reconnect.params).toEqual(['127.0.0.1', p.port, 3]);
    await m.client.waitClosed();
  });

  it('changes the extranonce1, makes older jobs stale and accepts work on the new one', async () => {
    const p = await pool();
    const m = await miner(p);
    const oldShare = findShare(m);
    p.faults.inject({ action: 'set-extranonce' });
    const set = await m.client.notification('mining.set_extranonce');
    const [extranonce1, size] = set.params as [string, number];
    expect(extranonce1).not.toBe(m.extranonce1);
    expect(size).toBe(m.extranonce2Size);
    const notify = await m.client.notification('mining.notify');
    expect(notify.params[8]).toBe(true);
    expect(codeOf(await submit(m, oldShare))).toBe(21);
    const moved = { ...m, extranonce1, job: jobFromNotify(notify.params) };
    expect(codeOf(await submit(moved, findShare(moved)))).toBeNull();
    expect(p.sessions()[0]?.extranonce1).toBe(extranonce1);
  });

  it('changes the version mask the pool checks against', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'set-version-mask', mask: '00ffe000' });
    const set = await m.client.notification('mining.set_version_mask');
    expect(set.params).toEqual(['00ffe000']);
    const inside = findShare(m, { versionMask: 0x00ffe000, versionBits: 0x00002000 });
    expect(codeOf(await submit(m, inside))).toBeNull();
    const outside = findShare(m, { versionMask: 0xffffffff, versionBits: 0x10000000 });
    expect(codeOf(await submit(m, outside))).toBe(20);
  });
});

describe('difficulty spike and huge notify', () => {
  it('raises the difficulty with a new job and puts it back after the duration', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'difficulty', factor: 100, duration: '50ms' });
    expect((await m.client.notification('mining.set_difficulty')).params[0]).toBeCloseTo(
      TEST_DIFFICULTY * 100,
      15,
    );
    await m.client.notification('mining.notify');
    expect((await m.client.notification('mining.set_difficulty')).params[0]).toBe(TEST_DIFFICULTY);
    await m.client.notification('mining.notify');
    expect(p.sessions()[0]?.difficulty).toBe(TEST_DIFFICULTY);
  });

  it('sends a notify with thousands of branches that still mines', async () => {
    const p = await pool();
    const m = await miner(p);
    p.faults.inject({ action: 'huge-notify', branches: 3000 });
    const notify = await m.client.notification('mining.notify');
    expect((notify.params[4] as string[]).length).toBe(3000);
    const job = jobFromNotify(notify.params);
    expect(codeOf(await submit(m, findShare(m, { job }), job.jobId))).toBeNull();
  });
});

describe('refuse', () => {
  it('refuses new connections while keeping the old ones, then accepts again', async () => {
    const p = await pool();
    const m = await miner(p);
    const id = p.faults.inject({ action: 'refuse' });
    await expect(connectClient(p.port)).rejects.toThrow(/ECONNREFUSED/);
    expect(await isOpen(m)).toBe(true);
    p.faults.clear(id);
    await fx.miner(p, { worker: 'back' });
    expect(p.sessions()).toHaveLength(2);
  });

  it('in reset mode, accepts and drops at once', async () => {
    const p = await pool();
    p.faults.inject({ action: 'refuse', mode: 'reset', duration: 5 });
    const c = await fx.client(p);
    await c.waitClosed();
    expect(p.stats().totals.connections).toBe(0);
  });
});

describe('the fault API', () => {
  it('rejects a bad fault with a message naming the key, and a reused id', () => {
    return pool().then((p) => {
      expect(() => p.faults.inject({ action: 'reject', fraction: 0 } as never)).toThrow(ScenarioError);
      expect(() => p.faults.inject({ action: 'reject', fraction: 0 } as never)).toThrow(/fraction/);
      p.faults.inject({ id: 'x', action: 'stall', at: 60 });
      expect(() => p.faults.inject({ id: 'x', action: 'stall' })).toThrow(/already armed/);
      expect(p.faults.list()).toEqual([{ id: 'x', action: 'stall', target: 'all', fired: 0, active: 0 }]);
    });
  });
});
