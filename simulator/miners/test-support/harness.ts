import { startMiner } from '../index.js';
import type { MinerOptions, SimulatedMiner } from '../types.js';
import { ScriptedPool, type ScriptedPoolOptions } from './scripted-pool.js';

/** Pools and miners a test started, stopped in afterEach. */
export class Harness {
  private readonly pools: ScriptedPool[] = [];
  private readonly miners: SimulatedMiner[] = [];

  async pool(options: ScriptedPoolOptions = {}): Promise<ScriptedPool> {
    const pool = await ScriptedPool.start({ difficulty: 3e-5, ...options });
    this.pools.push(pool);
    return pool;
  }

  miner(options: Omit<MinerOptions, 'worker'> & { worker?: string }): SimulatedMiner {
    const miner = startMiner({ worker: `test.${options.profile}`, hashrate: 200_000, ...options });
    this.miners.push(miner);
    return miner;
  }

  async close(): Promise<void> {
    await Promise.all(this.miners.map((m) => m.stop()));
    await Promise.all(this.pools.map((p) => p.close()));
    this.miners.length = 0;
    this.pools.length = 0;
  }
}

/** Collects every payload of one event from now on. */
export function collect<T>(miner: SimulatedMiner, event: Parameters<SimulatedMiner['on']>[0]): T[] {
  const out: T[] = [];
  (miner.on as (e: string, l: (p: T) => void) => SimulatedMiner)(event, (p) => out.push(p));
  return out;
}

export const line = (method: string, params: unknown[], id: number | null = null): string =>
  JSON.stringify({ id, method, params });
