import { afterEach, describe, expect, it } from 'vitest';
import { startMiner } from '../simulator/miners/index.js';
import type { SimulatedMiner } from '../simulator/miners/index.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { startTestPool } from '../simulator/pool/test-support/pool-harness.js';
import type { RunningProxy } from './run-proxy.js';
import { startTestProxy } from './test-support/proxy-harness.js';
import { waitUntil } from './test-support/wait-until.js';

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const miners: SimulatedMiner[] = [];

afterEach(async () => {
  await Promise.all(miners.splice(0).map((m) => m.stop()));
  await proxy?.stop();
  await pool?.close();
  proxy = undefined;
  pool = undefined;
});

const TARGET_SECONDS = 2;
/** Share counts over a few seconds are noisy (Poisson): "near" is within this factor of ideal. */
const BAND = 8;

/** The difficulty at which `hashrate` finds one share per target period. */
function idealDifficulty(hashrate: number): number {
  return (hashrate * TARGET_SECONDS) / 2 ** 32;
}

describe('per-worker vardiff through the proxy, with real hashing', () => {
  it('brings a NerdMiner down from its suggested 0.00015 and a flooding GPU rig up, to about one share per period', async () => {
    pool = await startTestPool({ difficulty: 1e-3, maxDifficulty: 1, jobIntervalSeconds: 1 });
    proxy = await startTestProxy(pool.port, {
      vardiff: { target_seconds: TARGET_SECONDS, adjust_every_ms: 1000, min_diff: 1e-7, start_diff: 1e-7 },
    });
    const nerd = startMiner({
      profile: 'nerdminer',
      url: proxy.url,
      worker: 'w.nerd-01',
      hashrate: 60_000,
    });
    const gpu = startMiner({
      profile: 'gpu',
      url: proxy.url,
      worker: 'w.gpu-01',
      hashrate: 120_000,
      sessions: 2,
    });
    miners.push(nerd, gpu);
    const difficultyOf = (worker: string): number[] =>
      [...(proxy as RunningProxy).proxy.sessions]
        .filter((s) => s.workers.has(worker))
        .map((s) => s.sentDifficulty);
    // Judged against the hashrate each miner really achieved: on a loaded machine it falls below its cap.
    const achieved: Record<string, () => number> = {
      'w.nerd-01': () => nerd.stats().hashrate,
      'w.gpu-01': () => gpu.stats().hashrate / 2,
    };
    const near = (worker: string): boolean => {
      const d = difficultyOf(worker);
      const ideal = idealDifficulty((achieved[worker] as () => number)());
      return d.length > 0 && d.every((x) => x > ideal / BAND && x < ideal * BAND);
    };
    const directions = () =>
      [...(proxy as RunningProxy).proxy.sessions].map((s) => {
        const history = proxy?.proxy.vardiffOf(s)?.history ?? [];
        return {
          worker: s.worker,
          down: history.some((h) => h.to < h.from),
          up: history.some((h) => h.to > h.from),
        };
      });
    const moved = (): boolean =>
      directions().find((d) => d.worker === 'w.nerd-01')?.down === true &&
      directions()
        .filter((d) => d.worker === 'w.gpu-01')
        .every((d) => d.up);
    // Converged means both moved the right way from where they started and are now near the ideal.
    await waitUntil(() => moved() && near('w.nerd-01') && near('w.gpu-01'), 60_000, 'vardiff convergence');
    expect(moved()).toBe(true);
    // Settled, the difficulty wanders a little with noisy share counts, but its median stays near
    // the ideal judged against what each miner really hashed.
    const ratios: Record<string, number[]> = { 'w.nerd-01': [], 'w.gpu-01': [] };
    for (let t = 0; t < 24; t += 1) {
      await new Promise((r) => setTimeout(r, 500));
      for (const worker of Object.keys(ratios)) {
        const ideal = idealDifficulty((achieved[worker] as () => number)());
        for (const d of difficultyOf(worker)) ratios[worker]?.push(d / ideal);
      }
    }
    for (const worker of Object.keys(ratios)) {
      const sorted = [...(ratios[worker] as number[])].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] as number;
      expect(median, worker).toBeGreaterThan(1 / BAND);
      expect(median, worker).toBeLessThan(BAND);
    }
  }, 120_000);
});
