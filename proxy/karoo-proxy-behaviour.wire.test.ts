import { once } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { StratumClient } from '../peers/stratum-client.js';
import type { RunningProxy } from './run-proxy.js';
import { proxyFixture } from './test-support/proxy-fixture.js';
import { PATIENCE } from '../test-support/patience.js';

const fx = proxyFixture();
const { pool, miner } = fx;
let proxy: RunningProxy | undefined;

const customNotification = '{"id":null,"method":"mining.set_goal","params":["karoo-test"]}';

describe('compat.strict_broadcast', () => {
  it('false: an unknown mining.* notification from the pool reaches every miner', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { compat: { strict_broadcast: false } });
    const a = await miner({ worker: 'a.1' });
    const b = await miner({ worker: 'b.1' });
    p.faults.inject({ action: 'garbage', text: customNotification, target: 'all', at: 0 });
    for (const m of [a, b])
      expect((await m.client.notification('mining.set_goal')).params).toEqual(['karoo-test']);
  });

  it('true: it is dropped, and the miners still get the next job', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { compat: { strict_broadcast: true } });
    const a = await miner();
    // The pool sends the notification before the job that follows it, on the same connection.
    const fired = once(p, 'fault');
    p.faults.inject({ action: 'garbage', text: customNotification, target: 'all', at: 0 });
    await fired;
    p.newJob();
    await a.client.notification('mining.notify');
    expect(a.client.notifications('mining.set_goal')).toHaveLength(0);
  });
});

describe('compat.local_authorize', () => {
  it('false: each new worker name is authorized by the pool first, and the pool’s refusal is the miner’s answer', async () => {
    // The pool takes only the account "karoo" (karoo.upstream, karoo.rig1).
    const p = await pool({ allowWorkers: ['karoo'] });
    proxy = await fx.startProxy(p.port, { compat: { local_authorize: false } });
    const ok = await fx.client();
    await ok.request('mining.subscribe', ['test/1.0']);
    expect(await ok.request('mining.authorize', ['karoo.rig1', 'secret'])).toMatchObject({ result: true });
    await vi.waitFor(
      () =>
        expect(
          p.sessions().flatMap((s) => s.workers),
          'the pool’s authorized names',
        ).toContain('karoo.rig1'),
      PATIENCE,
    );
    const refused = await fx.client();
    await refused.request('mining.subscribe', ['test/1.0']);
    const answer = await refused.request('mining.authorize', ['stranger.rig', 'x']);
    expect(answer.error).toEqual([24, expect.stringMatching(/the pool refused stranger\.rig/), null]);
    expect(p.sessions().flatMap((s) => s.workers)).not.toContain('stranger.rig');
  });
});

describe('miner limits', () => {
  it('disconnects a miner idle past proxy.client_idle_ms and keeps an active one', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { proxy: { client_idle_ms: 400 } });
    const idle = await miner({ worker: 'idle.1' });
    const active = await miner({ worker: 'active.1' });
    const keepAlive = setInterval(
      () => active.client.send({ id: 9, method: 'mining.ping', params: [] }),
      100,
    );
    try {
      await idle.client.waitClosed();
      expect(active.client.isClosed).toBe(false);
    } finally {
      clearInterval(keepAlive);
    }
  });

  it('drops a miner that never subscribes after proxy.subscribe_timeout_ms', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { proxy: { subscribe_timeout_ms: 1000 } });
    const silent = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(silent);
    await silent.waitClosed();
  });

  it('closes a miner that sends a line over proxy.read_buf', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { proxy: { read_buf: 512 } });
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    c.sendLine(`{"id":1,"method":"mining.subscribe","params":["${'x'.repeat(1000)}"]}`);
    await c.waitClosed();
  });

  it('refuses connections past proxy.max_clients', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { proxy: { max_clients: 2 } });
    await miner();
    await miner();
    const third = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(third);
    await third.waitClosed();
    expect(proxy.core.minerCount).toBe(2);
  });

  it('a miner that stops reading is cut off at proxy.write_buf while the others keep getting jobs', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { proxy: { write_buf: 4096 } });
    const slow = await miner({ worker: 'slow.1' });
    const fast = await miner({ worker: 'fast.1' });
    slow.client.pause();
    // ~67 KB per job: the kernel's socket buffers fill within a few dozen, then the proxy's queue.
    for (let i = 0; i < 400 && proxy.core.minerCount === 2; i += 1) {
      p.faults.inject({ action: 'huge-notify', branches: 1000, target: 'all', at: 0 });
      await fast.client.notification('mining.notify');
    }
    expect(proxy.core.minerCount).toBe(1);
    p.newJob();
    await fast.client.notification('mining.notify');
    expect(fast.client.isClosed).toBe(false);
  });

  it('answers malformed lines with an error and disconnects a miner after repeated garbage', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port);
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    c.sendLine('{not json');
    const parse = await c.line('parse error', (r) => Array.isArray(r.json?.error));
    expect((parse.json?.error as unknown[])[0]).toBe(-32700);
    const bad = await c.request('mining.submit', ['w', 'job', 'zz', '00000000', '00000000']);
    expect((bad.error as unknown[])[0]).toBe(-32602);
    expect(String((bad.error as unknown[])[1])).toContain('extranonce2');
    for (let i = 0; i < 25; i += 1) c.sendLine('garbage');
    await c.waitClosed();
  });
});

describe('following the pool', () => {
  it('follows client.reconnect upstream to the new host while miners stay connected', async () => {
    const first = await pool({ extranonce2Size: 8 });
    const second = await pool({ extranonce2Size: 8, extranonce1Size: 6 });
    proxy = await fx.startProxy(first.port);
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    await c.request('mining.extranonce.subscribe', []);
    await c.request('mining.subscribe', ['bitaxe/BM1370/v2.4.0']);
    await c.request('mining.authorize', ['ax.1', 'x']);
    await c.notification('mining.notify');
    first.faults.inject({ action: 'reconnect', host: '127.0.0.1', port: second.port, target: 'all', at: 0 });
    await vi.waitFor(() => expect(second.sessions().length).toBe(1), PATIENCE);
    await c.notification('mining.set_extranonce');
    const fresh = await c.notification('mining.notify');
    expect(fresh.params[8]).toBe(true);
    expect(c.isClosed).toBe(false);
  });

  it('answers a cold subscribe with the pool extranonce when the pool answers in time', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port);
    expect(proxy.core.upstreamState).toBe('idle');
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    const sub = await c.request('mining.subscribe', ['NerdMinerV2/V1.8.3']);
    expect(sub.error).toBeNull();
    expect(
      ((sub.result as unknown[])[1] as string).startsWith(
        proxy.core.snapshot().upstream.session?.extranonce1 ?? 'x',
      ),
    ).toBe(true);
  });

  it('answers a cold subscribe with an error, not silence, when the pool is too slow', async () => {
    const p = await pool({ faults: [{ action: 'delay', delay: 5, target: 'all' }] as never });
    proxy = await fx.startProxy(p.port);
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    const sub = await c.request('mining.subscribe', ['NerdMinerV2/V1.8.3']);
    expect((sub.error as unknown[])[0]).toBe(20);
  });
});
