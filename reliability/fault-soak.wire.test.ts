import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningProxy } from '../proxy/run-proxy.js';
import type { PoolShareResult } from '../proxy/core/index.js';
import type { FaultSpecInput, PoolSimulator } from '../simulator/pool/index.js';
import { LoopMiner } from './support/loop-miner.js';
import { PATIENCE } from '../test-support/patience.js';
import { proxyFixture } from '../proxy/test-support/proxy-fixture.js';

const fx = proxyFixture();

/** Pool difficulty: about a quarter of the miners' shares meet it and go upstream. */
const POOL_DIFFICULTY = 4e-7;
const MINER_DIFFICULTY = 1e-7;
const UPSTREAM_USER = 'karoo.upstream';
const WORKERS = ['soak.a', 'soak.b', 'soak.c'];

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const miners: LoopMiner[] = [];

afterEach(async () => {
  await Promise.allSettled(miners.map((m) => m.stop()));
});

/** Every miner answers `n` more shares. */
async function mine(n: number): Promise<void> {
  await Promise.all(miners.map((m) => m.mineMore(n)));
}

/** Every share the proxy forwarded has its pool verdict (answered, or known lost). */
function poolVerdictsIn(p: RunningProxy): Promise<void> {
  return vi.waitFor(
    () =>
      expect(
        (() => {
          const t = p.core.snapshot().books.pool.totals;
          return t.accepted + t.rejected === p.core.snapshot().books.forwardedTotal;
        })(),
        'a pool verdict for every forwarded share',
      ).toBe(true),
    PATIENCE,
  );
}

function upstreamReady(p: RunningProxy): Promise<void> {
  return vi.waitFor(() => expect(p.core.upstreamState, 'the upstream to be ready').toBe('ready'), PATIENCE);
}

/** A fault with nothing in flight: miners idle and every forwarded share judged first. */
async function quietly(p: RunningProxy, fault: FaultSpecInput): Promise<void> {
  await Promise.all(miners.map((m) => m.pause()));
  await poolVerdictsIn(p);
  (pool as PoolSimulator).faults.inject(fault);
}

describe('fault soak against the pool simulator', () => {
  it('answers every submit exactly once and keeps per-worker totals equal to the pool’s ground truth', async () => {
    pool = await fx.pool({ difficulty: POOL_DIFFICULTY, extranonce2Size: 8 });
    proxy = await fx.startProxy(pool.port, {
      // Vardiff pinned at the miners' difficulty (vardiff off would give them the pool's).
      vardiff: { min_diff: MINER_DIFFICULTY, max_diff: MINER_DIFFICULTY, start_diff: MINER_DIFFICULTY },
      // The pool's difficulty stays where the test put it: a quarter of the shares go upstream.
      upstream: { suggest_difficulty: 'off' },
    });
    const p = proxy;
    const poolResults: PoolShareResult[] = [];
    p.core.on('pool-share', (_s, r) => poolResults.push(r));
    for (const worker of WORKERS) {
      miners.push(await LoopMiner.connect(p.stratum.port, { worker, extranonceSubscribe: true }));
    }
    for (const m of miners) m.start();
    await mine(5);

    // Half of the good shares refused by the pool (23), then a slow pool, then garbage.
    pool.faults.inject({ id: 'reject', action: 'reject', fraction: 0.5, code: 23 });
    await vi.waitFor(
      () =>
        expect((pool?.stats().totals.rejected.injected ?? 0) >= 3, 'three injected rejections').toBe(true),
      { ...PATIENCE, timeout: 30_000 },
    );
    pool.faults.clear('reject');
    pool.faults.inject({ id: 'slow', action: 'delay', delay: '150ms' });
    await mine(4);
    pool.faults.clear('slow');
    pool.faults.inject({ action: 'garbage', text: 'not json {{{' });
    await mine(3);

    // A difficulty spike, a zombie pool (no jobs), a new extranonce, a huge notify.
    pool.faults.inject({ id: 'spike', action: 'difficulty', factor: 8 });
    await mine(4);
    pool.faults.clear('spike');
    pool.faults.inject({ id: 'stall', action: 'stall' });
    await mine(3);
    pool.faults.clear('stall');
    pool.faults.inject({ action: 'set-extranonce' });
    await Promise.all(miners.map((m) => m.client.notification('mining.set_extranonce')));
    await mine(4);
    pool.faults.inject({ action: 'huge-notify', branches: 1000 });
    await mine(3);

    // The pool drops us mid-stream; then drops us and refuses the redial for a while.
    let gone = once(p.core, 'upstream-lost');
    pool.faults.inject({ action: 'drop' });
    await gone;
    await upstreamReady(p);
    await mine(4);
    pool.faults.inject({ id: 'refuse', action: 'refuse', mode: 'reset' });
    gone = once(p.core, 'upstream-lost');
    pool.faults.inject({ action: 'drop' });
    await gone;
    await mine(4); // answered locally while the pool is away
    pool.faults.clear('refuse');
    await upstreamReady(p);
    await mine(4);

    // client.reconnect and a line over the proxy's cap: both make the proxy hang up at once.
    let dials = pool.stats().totals.connections;
    await quietly(p, { action: 'reconnect', waitSeconds: 0 });
    await vi.waitFor(
      () =>
        expect((pool?.stats().totals.connections ?? 0) > dials, 'the redial after client.reconnect').toBe(
          true,
        ),
      PATIENCE,
    );
    await upstreamReady(p);
    for (const m of miners) m.resume();
    await mine(3);
    dials = pool.stats().totals.connections;
    await quietly(p, { action: 'oversize', bytes: 300_000 });
    await vi.waitFor(
      () =>
        expect((pool?.stats().totals.connections ?? 0) > dials, 'the redial after an oversize line').toBe(
          true,
        ),
      PATIENCE,
    );
    await upstreamReady(p);
    for (const m of miners) m.resume();
    await mine(8);

    for (const m of miners) await m.stop();
    await poolVerdictsIn(p);

    // Every submit got exactly one answer, and every miner is still connected.
    for (const m of miners) {
      expect(m.unanswered(), m.worker).toEqual([]);
      expect(m.client.isClosed, m.worker).toBe(false);
    }
    // What each miner was told is what the proxy booked for that worker.
    const { local, pool: upstreamBook } = p.core.snapshot().books;
    for (const m of miners) {
      expect(local.workers[m.worker]).toMatchObject({
        accepted: m.accepted,
        rejected: m.sent - m.accepted,
      });
    }
    // The proxy's per-worker pool totals add up to the pool's ground truth for the one upstream user.
    const truth = pool.stats().workers[UPSTREAM_USER];
    const workers = Object.values(upstreamBook.workers);
    const sum = (f: (w: (typeof workers)[number]) => number): number => workers.reduce((a, w) => a + f(w), 0);
    expect(sum((w) => w.accepted)).toBe(truth?.accepted);
    expect(sum((w) => w.acceptedDifficulty)).toBeCloseTo(truth?.acceptedDifficulty ?? -1, 12);
    // The pool refused only what the faults made it refuse (injected, or stale around a new
    // extranonce); shares lost with a dropped connection never reached its books.
    const lost = poolResults.filter((r) => r.code === 20).length;
    const poolRejected = Object.values(truth?.rejected ?? {}).reduce((a, b) => a + b, 0);
    expect(sum((w) => w.rejected) - lost).toBe(poolRejected);
    expect(
      Object.keys(truth?.rejected ?? {}).every((r) => ['injected', 'stale', 'job-not-found'].includes(r)),
    ).toBe(true);
    expect(truth?.rejected.injected ?? 0).toBe(poolResults.filter((r) => r.code === 23).length);
    expect(truth?.rejected.injected ?? 0).toBeGreaterThan(0);
    expect(sum((w) => w.accepted)).toBeGreaterThan(10);
  });
});
