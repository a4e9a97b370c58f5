import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { PoolSimulator, SessionClosedInfo } from './pool-server.js';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { connectClient, startTestPool } from './test-support/pool-harness.js';
import { poolFixture } from './test-support/pool-fixture.js';

const fx = poolFixture();
const { pool, client } = fx;

function nextClose(p: PoolSimulator): Promise<SessionClosedInfo> {
  return once(p, 'session-close').then(([info]) => info as SessionClosedInfo);
}

describe("the pool's own limits", () => {
  it('closes a connection that sends a line longer than the cap', async () => {
    const p = await pool({ lineCap: 1024 });
    const c = await client(p);
    const closed = nextClose(p);
    c.sendLine(`{"id":1,"method":"mining.subscribe","params":["${'x'.repeat(2000)}"]}`);
    await c.waitClosed();
    expect((await closed).reason).toBe('line-too-long');
  });

  it('closes a connection that does not subscribe in time (its clock)', async () => {
    const clock = new ManualClock();
    const p = await pool({ clock, subscribeTimeoutSeconds: 10, idleTimeoutSeconds: 0 });
    const opened = once(p, 'session-open');
    const c = await client(p);
    await opened;
    const closed = nextClose(p);
    clock.advance(9_999);
    expect(p.sessions()).toHaveLength(1);
    clock.advance(1);
    await c.waitClosed();
    expect((await closed).reason).toBe('subscribe-timeout');
  });

  it('keeps a subscribed connection past the subscribe timeout, until it is idle too long (its clock)', async () => {
    const clock = new ManualClock();
    const p = await pool({ clock, subscribeTimeoutSeconds: 10, idleTimeoutSeconds: 60 });
    const m = await fx.miner(p);
    const closed = nextClose(p);
    clock.advance(59_999);
    expect(p.sessions()).toHaveLength(1);
    clock.advance(1);
    await m.client.waitClosed();
    expect((await closed).reason).toBe('idle-timeout');
  });

  it('an idle connection is one that sends nothing: each line puts the idle timeout back (its clock)', async () => {
    const clock = new ManualClock();
    const p = await pool({ clock, idleTimeoutSeconds: 60 });
    const m = await fx.miner(p);
    const closed = nextClose(p);
    clock.advance(50_000);
    expect((await m.client.request('mining.ping', [])).result).toBe('pong');
    clock.advance(50_000);
    expect(p.sessions()).toHaveLength(1);
    clock.advance(10_000);
    await m.client.waitClosed();
    expect((await closed).reason).toBe('idle-timeout');
  });

  it('closes a connection whose send queue overflows', async () => {
    const p = await pool({ maxSendQueueBytes: 100_000 });
    const m = await fx.miner(p);
    const closed = nextClose(p);
    // A miner that stops reading: the kernel buffers fill, then the pool's own backlog passes its cap.
    m.client.pause();
    p.faults.inject({ action: 'oversize', bytes: 1_000_000, every: '5ms' });
    expect((await closed).reason).toBe('send-queue-full');
  });

  it('refuses connections beyond maxConnections', async () => {
    const p = await pool({ maxConnections: 1 });
    const first = await fx.miner(p);
    const second = await client(p);
    await second.waitClosed();
    expect(p.sessions()).toHaveLength(1);
    expect((await first.client.request('mining.ping', [])).result).toBe('pong');
  });

  it('runs its timers (jobs, blocks, subscribe timeout, timed faults) on the injected clock', async () => {
    const clock = new ManualClock();
    const p = await pool({
      clock,
      jobIntervalSeconds: 30,
      blockIntervalSeconds: 600,
      subscribeTimeoutSeconds: 10,
      idleTimeoutSeconds: 0,
    });
    const m = await fx.miner(p);
    const silent = await client(p);
    p.faults.inject({ action: 'garbage', at: '5m', text: 'five minutes' });
    clock.advance(10_000);
    await silent.waitClosed();
    clock.advance(20_000);
    expect((await m.client.notification('mining.notify')).params[8]).toBe(false);
    clock.advance(270_000);
    await m.client.line('timed fault', (r) => r.line === 'five minutes');
    clock.advance(300_000);
    let clean = false;
    while (!clean) clean = (await m.client.notification('mining.notify')).params[8] === true;
    expect(p.stats().totals.blocks).toBe(1);
    expect(p.sessions()).toHaveLength(1);
  });

  it('closes every socket and timer on close()', async () => {
    const p = await startTestPool({ jobIntervalSeconds: 0.05, http: { host: '127.0.0.1', port: 0 } });
    const m = await fx.miner(p);
    await p.close();
    await m.client.waitClosed();
    await expect(connectClient(p.port)).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetch(`${p.httpUrl}/stats`)).rejects.toThrow();
  });
});
