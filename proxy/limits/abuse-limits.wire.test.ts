import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { codeOf, connectMiner, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import type { ConnectedMiner } from '../../simulator/pool/test-support/pool-harness.js';
import { StratumClient } from '../../peers/stratum-client.js';
import { parsePromText, sampleValue } from '../metrics/test-support/prom-text.js';
import type { RunningProxy } from '../run-proxy.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const clients: StratumClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function raw(port: number): Promise<StratumClient> {
  const c = await StratumClient.connect(port);
  clients.push(c);
  return c;
}

async function miner(port: number, worker: string): Promise<ConnectedMiner> {
  const m = await connectMiner(port, { worker });
  clients.push(m.client);
  return m;
}

async function metric(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  return sampleValue(parsePromText((await proxy?.metrics.metrics()) ?? ''), name, labels);
}

const errorText = (answer: { error: unknown }): string => JSON.stringify(answer.error);

describe('abuse limits over real sockets', () => {
  it('max_clients: refuses the connection past the limit before it becomes a session', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, { proxy: { listen: '127.0.0.1:0', max_clients: 2 } });
    await miner(proxy.stratum.port, 'max.a');
    await miner(proxy.stratum.port, 'max.b');
    const third = await raw(proxy.stratum.port);
    third.sendLine('{"id":1,"method":"mining.subscribe","params":[]}');
    await third.waitClosed();
    expect(third.received).toEqual([]);
    expect(proxy.core.minerCount).toBe(2);
    expect(await metric('karoo_connections_rejected_total', { reason: 'max-clients' })).toBe(1);
    expect(proxy.limits.snapshot().refused).toEqual({ 'max-clients': 1 });
  });

  it('ratelimit.max_connections_per_ip: refuses one too many from an address, admits again once one closes', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, {
      proxy: { listen: '127.0.0.1:0' },
      ratelimit: { enabled: true, max_connections_per_ip: 2, max_connections_per_minute: 0 },
    });
    const a = await raw(proxy.stratum.port);
    await raw(proxy.stratum.port);
    const c = await raw(proxy.stratum.port);
    await c.waitClosed();
    expect(await metric('karoo_connections_rejected_total', { reason: 'per-ip' })).toBe(1);
    await a.close();
    await vi.waitFor(
      () => expect(proxy?.limits.ips.openFrom('127.0.0.1'), 'the slot to be freed').toBe(1),
      PATIENCE,
    );
    const d = await raw(proxy.stratum.port);
    const answer = await d.request('mining.subscribe', ['after-free']);
    expect(answer.error).toBeNull();
  });

  it('ratelimit.max_connections_per_minute: a flood earns a ban, visible in /status and metrics', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, {
      proxy: { listen: '127.0.0.1:0' },
      ratelimit: {
        enabled: true,
        max_connections_per_ip: 0,
        max_connections_per_minute: 3,
        ban_duration_seconds: 300,
      },
    });
    for (let i = 0; i < 3; i += 1) await raw(proxy.stratum.port);
    const flood = await raw(proxy.stratum.port);
    await flood.waitClosed();
    const after = await raw(proxy.stratum.port);
    await after.waitClosed();
    expect(await metric('karoo_connections_rejected_total', { reason: 'rate' })).toBe(1);
    expect(await metric('karoo_connections_rejected_total', { reason: 'banned' })).toBe(1);
    expect(await metric('karoo_bans_total', { kind: 'connection-flood' })).toBe(1);
    expect(await metric('karoo_banned_addresses')).toBe(1);
    const status = (await (await fetch(`${proxy.httpUrl}/status`)).json()) as {
      limits: { banned: { ip: string; reason: string }[] };
    };
    expect(status.limits.banned).toEqual([
      expect.objectContaining({ ip: '127.0.0.1', reason: 'connection flood' }),
    ]);
  });

  it('limits.auth_fail_backoff_ms: a failed authorize blocks further tries, doubling, until it expires', async () => {
    const clock = new ManualClock();
    pool = await fx.pool();
    proxy = await fx.startProxy(
      pool.port,
      { proxy: { listen: '127.0.0.1:0' }, limits: { auth_fail_backoff_ms: 3000 } },
      { clock },
    );
    const c = await raw(proxy.stratum.port);
    expect((await c.request('mining.subscribe', ['auth-test'])).error).toBeNull();
    const empty = await c.request('mining.authorize', ['', 'x']);
    expect(codeOf(empty)).toBe(24);
    expect(errorText(empty)).toContain('empty worker name');
    const early = await c.request('mining.authorize', ['good.worker', 'x']);
    expect(codeOf(early)).toBe(24);
    expect(errorText(early)).toContain('retry in 3 s');
    clock.advance(3000);
    const bad = await c.request('mining.authorize', ['bad\u0001name', 'x']);
    expect(errorText(bad)).toContain('control character');
    clock.advance(3000); // the second failure doubled the wait to 6 s
    expect(errorText(await c.request('mining.authorize', ['good.worker', 'x']))).toContain('retry in 3 s');
    clock.advance(3000);
    expect((await c.request('mining.authorize', ['good.worker', 'x'])).result).toBe(true);
    await c.notification('mining.notify');
    expect(await metric('karoo_authorize_failures_total')).toBe(2);
    expect(c.isClosed).toBe(false);
  });

  it('limits.reject_ban_ratio: mostly rejected shares disconnect the miner and ban its address', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, {
      proxy: { listen: '127.0.0.1:0' },
      limits: { reject_ban_ratio: 0.5, reject_ban_min_shares: 4, reject_ban_seconds: 600 },
    });
    const disconnects: string[] = [];
    proxy.core.on('disconnect', (s, reason) => disconnects.push(s.closeReason ?? reason));
    const m = await miner(proxy.stratum.port, 'reject.rig');
    expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    expect(codeOf(await submit(m, findShare(m), 'no-such-job'))).toBe(21);
    expect(codeOf(await submit(m, findShare(m), 'no-such-job'))).toBe(21);
    expect(codeOf(await submit(m, findShare(m), 'no-such-job'))).toBe(21); // answered, then closed
    await m.client.waitClosed();
    expect(disconnects).toEqual(['reject ratio 75%']);
    expect(await metric('karoo_bans_total', { kind: 'reject-ratio' })).toBe(1);
    expect(await metric('karoo_disconnects_total', { reason: 'reject-ratio' })).toBe(1);
    const again = await raw(proxy.stratum.port);
    await again.waitClosed();
    expect(await metric('karoo_connections_rejected_total', { reason: 'banned' })).toBe(1);
  });

  it('proxy.read_buf: a line over the cap closes the connection', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port, { proxy: { listen: '127.0.0.1:0', read_buf: 256 } });
    const m = await miner(proxy.stratum.port, 'cap.rig');
    m.client.sendLine(
      JSON.stringify({ id: 9, method: 'mining.submit', params: ['cap.rig', 'x'.repeat(300)] }),
    );
    await m.client.waitClosed();
    await vi.waitFor(() => expect(proxy?.core.minerCount, 'the session to end').toBe(0), PATIENCE);
    expect(await metric('karoo_disconnects_total', { reason: 'line-too-long' })).toBe(1);
  });

  it('proxy.subscribe_timeout_ms and client_idle_ms: silent connections are closed, active ones kept', async () => {
    const clock = new ManualClock();
    pool = await fx.pool();
    proxy = await fx.startProxy(
      pool.port,
      { proxy: { listen: '127.0.0.1:0', subscribe_timeout_ms: 1000, client_idle_ms: 4000 } },
      { clock },
    );
    const reasons: string[] = [];
    proxy.core.on('disconnect', (s, reason) => reasons.push(s.closeReason ?? reason));
    const silent = await raw(proxy.stratum.port);
    const active = await miner(proxy.stratum.port, 'idle.active');
    const idle = await miner(proxy.stratum.port, 'idle.quiet');
    await vi.waitFor(() => expect(proxy?.core.minerCount, 'three sessions').toBe(3), PATIENCE);

    clock.advance(2000); // subscribe timeout passed; nobody idle yet
    await silent.waitClosed();
    expect(reasons).toEqual(['no subscribe in time']);

    await active.client.request('mining.ping', []);
    clock.advance(2500); // 4.5 s since the quiet miner's last line; 2.5 s since the active one's
    await idle.client.waitClosed();
    expect(reasons).toEqual(['no subscribe in time', 'idle']);
    expect(active.client.isClosed).toBe(false);
    expect(await metric('karoo_disconnects_total', { reason: 'idle' })).toBe(1);
    expect(await metric('karoo_disconnects_total', { reason: 'no-subscribe-in-time' })).toBe(1);
  });
});
