import { ManualClock } from '../../../runtime/test-support/manual-clock.js';
import { seededRandom } from '../../../runtime/test-support/seeded-random.js';
import { HashScheduler } from '../hash-scheduler.js';
import { startMiner } from '../index.js';
import type { MinerEventName, MinerEventPayload, MinerOptions, SimulatedMiner } from '../types.js';
import { MemoryNetwork } from './memory-network.js';
import { ScriptedPool, type ScriptedPoolOptions } from '../../../peers/scripted-pool.js';

/** Simulated time a wait may take before it fails (waits for longer firmware timers say so). */
export const DEFAULT_SIMULATED_MS = 20_000;
/**
 * The longest single step of a wait: the hash scheduler's own longest sleep, so a wait never
 * hashes far past the moment its condition came true.
 */
const MAX_STEP_MS = 50;
/** Where the manual clock starts: a fixed instant, so console timestamps repeat run to run. */
const EPOCH = Date.UTC(2025, 0, 1);

/**
 * Miners and scripted pools in memory: one manual clock drives the firmware timers and the hash
 * scheduler (a miner hashes exactly cap x the simulated time that passes), one in-memory network
 * carries the lines, jobs are deterministic and jitter is seeded. Nothing waits in real time:
 * `until` advances the clock step by step, letting the network settle between timers.
 */
export class MemoryHarness {
  readonly clock = new ManualClock(EPOCH);
  readonly network = new MemoryNetwork();
  readonly scheduler = new HashScheduler({ clock: this.clock });
  private readonly pools: ScriptedPool[] = [];
  private readonly miners: SimulatedMiner[] = [];

  pool(options: ScriptedPoolOptions = {}): ScriptedPool {
    const pool = ScriptedPool.listenOn(this.network, { difficulty: 1e-7, deterministic: true, ...options });
    this.pools.push(pool);
    return pool;
  }

  miner(options: Omit<MinerOptions, 'worker'> & { worker?: string }): SimulatedMiner {
    const miner = startMiner({
      worker: `test.${options.profile}`,
      hashrate: 200_000,
      clock: this.clock,
      dial: this.network.dial,
      scheduler: this.scheduler,
      random: seededRandom(1),
      ...options,
    });
    this.miners.push(miner);
    return miner;
  }

  /**
   * Advances simulated time to the next timer (at most MAX_STEP_MS at a time) until `check`
   * passes; fails once `maxMs` of it has gone by.
   */
  async until(check: () => boolean, what: string, maxMs = DEFAULT_SIMULATED_MS): Promise<void> {
    const end = this.clock.now() + maxMs;
    await this.clock.tick(0);
    while (!check()) {
      const now = this.clock.now();
      if (now >= end) throw new Error(`${what}: not within ${maxMs} ms of simulated time`);
      const next = this.clock.nextAt ?? end;
      await this.clock.tick(Math.min(MAX_STEP_MS, Math.max(1, next - now), end - now));
    }
  }

  /** The next `event` of `miner` (passing `predicate`) from now on, advancing simulated time. */
  async next<E extends MinerEventName>(
    miner: SimulatedMiner,
    event: E,
    predicate: (payload: MinerEventPayload<E>) => boolean = () => true,
    maxMs = DEFAULT_SIMULATED_MS,
  ): Promise<MinerEventPayload<E>> {
    let found: { payload: MinerEventPayload<E> } | undefined;
    const listener = (payload: MinerEventPayload<E>): void => {
      if (found === undefined && predicate(payload)) found = { payload };
    };
    const on = miner.on as (e: E, l: (p: MinerEventPayload<E>) => void) => SimulatedMiner;
    const off = miner.off as typeof on;
    on.call(miner, event, listener);
    try {
      await this.until(() => found !== undefined, `${miner.worker}: ${event}`, maxMs);
    } finally {
      off.call(miner, event, listener);
    }
    return (found as { payload: MinerEventPayload<E> }).payload;
  }

  /**
   * Every `event` of `miner` from now on, with the simulated time it came at: for events that
   * follow each other within one step of a wait (only one wait may run at a time).
   */
  record<E extends MinerEventName>(miner: SimulatedMiner, event: E): [number, MinerEventPayload<E>][] {
    const seen: [number, MinerEventPayload<E>][] = [];
    const on = miner.on as (e: E, l: (p: MinerEventPayload<E>) => void) => SimulatedMiner;
    on.call(miner, event, (payload) => seen.push([this.clock.now(), payload]));
    return seen;
  }

  /** Simulated time passes with nothing awaited: timers fire, lines flow, miners hash. */
  async pass(ms: number): Promise<void> {
    await this.clock.tick(ms);
  }

  async close(): Promise<void> {
    await Promise.all(this.miners.map((m) => m.stop()));
    await Promise.all(this.pools.map((p) => p.close()));
    this.miners.length = 0;
    this.pools.length = 0;
  }
}

/** Collects every payload of one event from now on. */
export function collect<T>(miner: SimulatedMiner, event: MinerEventName): T[] {
  const out: T[] = [];
  (miner.on as (e: string, l: (p: T) => void) => SimulatedMiner)(event, (p) => out.push(p));
  return out;
}

/** A JSON-RPC line as a pool sends it (a notification unless given an id). */
export const line = (method: string, params: unknown[], id: number | null = null): string =>
  JSON.stringify({ id, method, params });
