import { describe, expect, it, vi } from 'vitest';
import { mineShare } from '../simulator/pool/test-support/cpu-miner.js';
import {
  codeOf,
  en2,
  findShare,
  startTestPool,
  submit,
} from '../simulator/pool/test-support/pool-harness.js';
import { StratumClient } from '../peers/stratum-client.js';
import type { ProxyStatus } from './api/index.js';
import type { RunningProxy } from './run-proxy.js';
import { proxyFixture } from './test-support/proxy-fixture.js';
import { PATIENCE } from '../test-support/patience.js';

const fx = proxyFixture();
const { pool, miner } = fx;
let proxy: RunningProxy | undefined;

describe('extranonce splitting over one upstream session', () => {
  it('gives 300 miners unique extranonce1 values = pool extranonce1 + prefix, over one pool connection', async () => {
    const p = await pool({ extranonce2Size: 8 });
    proxy = await fx.startProxy(p.port, { proxy: { max_clients: 1000 } });
    const batch = await Promise.all(Array.from({ length: 300 }, (_, i) => miner({ worker: `rack.m${i}` })));
    const poolEn1 = proxy.core.snapshot().upstream.session?.extranonce1 as string;
    const en1s = new Set(batch.map((m) => m.extranonce1));
    expect(en1s.size).toBe(300);
    for (const m of batch) {
      expect(m.extranonce1.startsWith(poolEn1)).toBe(true);
      expect(m.extranonce1.length).toBe(poolEn1.length + 8);
      expect(m.extranonce2Size).toBe(4);
    }
    expect(p.sessions()).toHaveLength(1);
    expect(p.stats().totals.connections).toBe(1);
  });

  it('gives miners an extranonce2 of 2 when the pool offers 4', async () => {
    const p = await pool({ extranonce2Size: 4 });
    proxy = await fx.startProxy(p.port);
    const m = await miner();
    expect(m.extranonce2Size).toBe(2);
    expect(m.extranonce1.length).toBe((proxy.core.snapshot().upstream.session?.extranonce1.length ?? 0) + 4);
  });
});

describe('requests answered locally', () => {
  it('keeps each miner request id exactly as sent, whatever its JSON type', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port);
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    for (const id of ['sub-1', 7.5, { n: 1 }, [1, 'a']]) {
      const a = await c.request('mining.subscribe', ['ids/1.0'], id);
      expect(a.id).toEqual(id);
    }
    const pong = await c.request('mining.ping', [], 'p1');
    expect(pong).toMatchObject({ id: 'p1', result: 'pong', error: null });
    const unknown = await c.request('mining.frobnicate', [], 99);
    expect((unknown.error as unknown[])[0]).toBe(-32601);
  });

  it('answers configure and suggest_difficulty itself: the shared pool session never sees them', async () => {
    const p = await pool({ versionMask: 0x1fffe000 });
    proxy = await fx.startProxy(p.port, { vardiff: { min_diff: 1e-9 } });
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    const conf = await c.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': '00ffe000' },
    ]);
    expect(conf.result).toEqual({ 'version-rolling': true, 'version-rolling.mask': '00ffe000' });
    const conf2 = await c.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': 'ffffffff' },
    ]);
    expect(conf2.result).toEqual({ 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
    await c.request('mining.subscribe', ['test/1']);
    const s1 = await c.request('mining.suggest_difficulty', [1e-7]);
    expect(s1.result).toBe(true);
    await c.request('mining.authorize', ['w.1', 'x']);
    const diff = await c.notification('mining.set_difficulty');
    expect(diff.params[0]).toBe(1e-7);
    // The pool's one session keeps the pool's own difficulty: the miner's suggestion went nowhere.
    expect(p.sessions()).toHaveLength(1);
    expect(p.sessions()[0]?.difficulty).toBe(p.options.difficulty);
    expect(p.sessions()[0]?.userAgent).toMatch(/^karoo\//);
  });

  it('honours only the first suggest_difficulty (NerdMiner re-sends it every 30 s as a keepalive)', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { vardiff: { min_diff: 1e-9 } });
    const m = await miner({ suggestDifficulty: 2e-7 });
    expect(m.difficulty).toBe(2e-7);
    const again = await m.client.request('mining.suggest_difficulty', [5e-8]);
    expect(again.result).toBe(true);
    await m.client.request('mining.ping', []);
    expect(m.client.notifications('mining.set_difficulty')).toHaveLength(1);
  });
});

describe('share pipeline', () => {
  it('answers the miner at its own difficulty and forwards only shares that meet the pool difficulty, once each', async () => {
    const p = await pool({ difficulty: 1e-5 });
    // Vardiff that will not move in this test: the miner keeps its suggested difficulty.
    proxy = await fx.startProxy(p.port, { vardiff: { min_diff: 1e-9, adjust_every_ms: 3_600_000 } });
    const m = await miner({ suggestDifficulty: 1e-8, worker: 'nerd.01' });
    expect(m.difficulty).toBe(1e-8);
    // Shares good enough for the miner but not for the pool: accepted locally, never sent up.
    for (let i = 0; i < 3; i += 1) {
      const low = findShare(m, { difficulty: 1e-8, notDifficulty: 1e-5 });
      expect(codeOf(await submit(m, low))).toBeNull();
    }
    // One good enough for the pool: accepted and forwarded exactly once, even when resubmitted.
    const high = findShare(m, { difficulty: 1e-5 });
    expect(codeOf(await submit(m, high))).toBeNull();
    expect(codeOf(await submit(m, high))).toBe(22);
    await vi.waitFor(() => expect(p.stats().totals.accepted).toBe(1), PATIENCE);
    await m.client.request('mining.ping', []);
    expect(p.stats().totals.accepted + p.stats().totals.rejectedTotal).toBe(1);
    expect(p.stats().workers['karoo.upstream']).toMatchObject({ accepted: 1 });
    const status = (await (await fetch(`${proxy.httpUrl}/status`)).json()) as ProxyStatus;
    const w = status.workers.find((x) => x.name === 'nerd.01');
    expect(w).toMatchObject({ accepted: 4, rejected: 1, duplicates: 1, pool: { forwarded: 1, accepted: 1 } });
  });

  it('refuses with the right code: low difficulty 23, stale job 21, unauthorized worker 24, not subscribed 25, bad extranonce2 20', async () => {
    const p = await pool({ difficulty: 1e-5 });
    proxy = await fx.startProxy(p.port, { vardiff: { enabled: false } });
    const m = await miner({ worker: 'w.ok' });
    const low = findShare(m, { difficulty: 1e-9, notDifficulty: m.difficulty });
    expect(codeOf(await submit(m, low))).toBe(23);
    const good = findShare(m);
    expect(codeOf(await submit(m, good, 'no-such-job'))).toBe(21);
    expect(codeOf(await submit(m, good, m.job.jobId, 'w.other'))).toBe(24);
    const wrongLen = await m.client.request('mining.submit', [
      'w.ok',
      m.job.jobId,
      '00',
      m.job.ntime,
      '00000000',
    ]);
    expect(codeOf(wrongLen)).toBe(20);
    const fresh = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(fresh);
    const ns = await fresh.request('mining.submit', [
      'w.ok',
      m.job.jobId,
      '00000000',
      m.job.ntime,
      '00000000',
    ]);
    expect(codeOf(ns)).toBe(25);
    // A new block makes the old job stale.
    p.newBlock();
    await m.client.notification('mining.notify');
    expect(codeOf(await submit(m, findShare(m)))).toBe(21);
  });
});

describe('upstream on demand, failover and recovery', () => {
  it('dials the pool only when the first miner comes, and hangs up after the grace period', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port, { upstream: { idle_grace_ms: 300 } });
    expect(p.stats().totals.connections).toBe(0);
    expect((await fetch(`${proxy.httpUrl}/healthz`)).status).toBe(200);
    const m = await miner();
    expect(p.sessions()).toHaveLength(1);
    await m.client.close();
    await vi.waitFor(() => expect(p.sessions().length).toBe(0), PATIENCE);
    expect(proxy.core.upstreamState).toBe('idle');
  });

  it('answers every submit while the pool is gone, keeps extranonce-aware miners, fails over and returns to the primary', async () => {
    const primary = await pool({ extranonce2Size: 8 });
    // A different extranonce1 size, so the backup's extranonce1 surely differs from the primary's.
    const backup = await pool({ extranonce2Size: 8, extranonce1Size: 6 });
    const primaryPort = primary.port;
    proxy = await fx.startProxy([primary.port, backup.port], {
      vardiff: { enabled: false },
      upstream: { primary_probe_ms: 200 },
    });
    const c = await StratumClient.connect(proxy.stratum.port);
    fx.clients.push(c);
    await c.request('mining.extranonce.subscribe', []);
    const sub = await c.request('mining.subscribe', ['bitaxe/BM1370/v2.4.0']);
    await c.request('mining.authorize', ['ax.1', 'x']);
    await c.notification('mining.notify');
    const en1Before = (sub.result as unknown[])[1] as string;

    await primary.close();
    fx.pools.splice(fx.pools.indexOf(primary), 1);
    // While no upstream is ready, each submit still gets exactly one (error) answer.
    const ids = [101, 102, 103];
    for (const id of ids)
      c.send({ id, method: 'mining.submit', params: ['ax.1', 'x', '00000000', '00000000', '00000000'] });
    for (const id of ids) expect((await c.answer(id)).error).not.toBeNull();

    const moved = await c.notification('mining.set_extranonce');
    expect(moved.params[0]).not.toBe(en1Before);
    await vi.waitFor(() => expect(backup.sessions().length).toBe(1), PATIENCE);
    expect(proxy.core.snapshot().upstream.endpointIndex).toBe(1);
    expect(c.isClosed).toBe(false);

    // The primary comes back on its port: the proxy returns to it.
    const again = await startTestPool({ port: primaryPort, extranonce2Size: 8 });
    fx.pools.push(again);
    await vi.waitFor(() => expect(again.sessions().length).toBe(1), PATIENCE);
    await vi.waitFor(
      () =>
        expect(
          proxy?.core.snapshot().upstream.endpointIndex === 0 && proxy.core.upstreamState === 'ready',
        ).toBe(true),
      PATIENCE,
    );
    await c.notification('mining.set_extranonce');
    expect(c.isClosed).toBe(false);
    for (const id of ids) expect(c.received.filter((r) => r.json?.id === id)).toHaveLength(1);
  });

  it('keeps every miner, NerdMiners too, when a dropped pool connection resumes its session', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port);
    const m = await miner({ userAgent: 'NerdMinerV2/V1.8.3' });
    const en1 = proxy.core.snapshot().upstream.session?.extranonce1;
    p.faults.inject({ action: 'drop', target: 'all', at: 0 });
    await vi.waitFor(() => expect(proxy?.core.upstreamState).not.toBe('ready'), PATIENCE);
    await vi.waitFor(() => expect(proxy?.core.upstreamState).toBe('ready'), PATIENCE);
    // The proxy offered the id the pool named its notify subscription by (cgminer's session id; this
    // pool's extranonce1) and got the session back: nothing to re-split.
    expect(proxy.core.snapshot().upstream.session?.extranonce1).toBe(en1);
    const fresh = await m.client.notification('mining.notify');
    expect(fresh.params[8]).toBe(true);
    expect(m.client.isClosed).toBe(false);
    expect(m.client.notifications('client.reconnect')).toHaveLength(0);
  });

  it('reconnects miners that cannot take a new extranonce when the pool session changes', async () => {
    const p = await pool();
    proxy = await fx.startProxy(p.port);
    const m = await miner({ userAgent: 'NerdMinerV2/V1.8.3' });
    const aware = await miner({ userAgent: 'bitaxe/BM1366/v2.4.0', worker: 'ax.1' });
    await aware.client.request('mining.extranonce.subscribe', []);
    // The pool forgets the session (a refused reconnect window and a new block in between), so
    // the redial gets a new extranonce1.
    p.faults.inject({ action: 'refuse', duration: 0.5, target: 'all', at: 0 });
    p.faults.inject({ action: 'drop', target: 'all', at: 0 });
    await vi.waitFor(() => expect(p.sessions().length).toBe(0), PATIENCE);
    p.newBlock();
    // The pool hands out a new extranonce1 on the redial: NerdMiner cannot take set_extranonce,
    // so it is told client.reconnect and disconnected; the extranonce-aware miner is told the new one.
    await m.client.waitClosed();
    expect(m.client.notifications('client.reconnect')).toHaveLength(1);
    const moved = await aware.client.notification('mining.set_extranonce');
    expect(moved.params[0]).not.toBe(aware.extranonce1);
    expect(aware.client.isClosed).toBe(false);
    await vi.waitFor(() => expect(proxy?.core.upstreamState).toBe('ready'), PATIENCE);
  });
});

describe('ground truth', () => {
  it("the proxy's per-worker pool totals equal what the pool accepted", async () => {
    const p = await pool({ difficulty: 2e-6 });
    proxy = await fx.startProxy(p.port, { vardiff: { enabled: false } });
    const rigs = await Promise.all(['a.1', 'b.2', 'c.3'].map((worker) => miner({ worker })));
    let n = 0;
    for (const m of rigs) {
      for (let i = 0; i < 3; i += 1) {
        const share = mineShare(m.job, {
          extranonce1: m.extranonce1,
          extranonce2: en2(m, ++n),
          difficulty: 2e-6,
        });
        expect(codeOf(await submit(m, share))).toBeNull();
      }
    }
    await vi.waitFor(() => expect(p.stats().totals.accepted).toBe(9), PATIENCE);
    const status = (await (await fetch(`${proxy.httpUrl}/status`)).json()) as ProxyStatus;
    const sum = status.workers.reduce((acc, w) => acc + w.pool.accepted, 0);
    const sumDiff = status.workers.reduce((acc, w) => acc + w.pool.accepted_difficulty, 0);
    expect(sum).toBe(p.stats().workers['karoo.upstream']?.accepted);
    expect(sumDiff).toBeCloseTo(p.stats().workers['karoo.upstream']?.acceptedDifficulty ?? -1, 12);
    expect(status.totals.pool_accepted).toBe(9);
  });
});
