import { describe, expect, it, vi } from 'vitest';
import { startMiner } from '../simulator/miners/index.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import type { RunningProxy } from './run-proxy.js';
import { PATIENCE } from '../test-support/patience.js';
import { proxyFixture } from './test-support/proxy-fixture.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;

/**
 * The wiring, with real hashing: each miner's vardiff moves the way its share rate says. Only the
 * direction is asserted, which holds on a machine of any speed (a GPU rig started at 1e-7 floods
 * shares even at a tenth of its rate; a NerdMiner at its suggested 0.00015 is far too slow for a
 * 2 s target). How close vardiff settles is proved on a seeded share model with a manual clock.
 */
describe('per-worker vardiff through the proxy, with real hashing', () => {
  it('raises a flooding GPU rig and lowers a NerdMiner from its suggested 0.00015', async () => {
    pool = await fx.pool({ difficulty: 1e-3, maxDifficulty: 1, jobIntervalSeconds: 1 });
    proxy = await fx.startProxy(pool.port, {
      vardiff: { target_seconds: 2, adjust_every_ms: 1000, min_diff: 1e-7, start_diff: 1e-7 },
      // The pool stays at 1e-3, above both miners: a miner is never sent more than the pool's.
      upstream: { suggest_difficulty: 'off' },
    });
    const nerd = startMiner({ profile: 'nerdminer', url: proxy.url, worker: 'w.nerd-01', hashrate: 60_000 });
    const gpu = startMiner({ profile: 'gpu', url: proxy.url, worker: 'w.gpu-01', hashrate: 120_000 });
    fx.onTeardown(() => Promise.all([nerd.stop(), gpu.stop()]).then(() => undefined));
    const history = (worker: string) => {
      const s = (proxy as RunningProxy).core.snapshot().miners.find((x) => x.workers.includes(worker));
      return s?.vardiff?.history ?? [];
    };
    const movedDown = (worker: string): boolean =>
      history(worker).some((h) => h.to < h.from && h.reason !== 'suggested');
    const movedUp = (worker: string): boolean =>
      history(worker).some((h) => h.to > h.from && h.reason !== 'suggested');
    await vi.waitFor(
      () => expect(movedDown('w.nerd-01') && movedUp('w.gpu-01'), 'vardiff to move both miners').toBe(true),
      { ...PATIENCE, timeout: 60_000 },
    );
    expect(history('w.gpu-01').some((h) => h.reason === 'too-fast')).toBe(true);
  }, 90_000);
});
