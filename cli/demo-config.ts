import type { MinerProfile } from '../simulator/miners/index.js';
import { DEFAULT_HASHRATES } from '../simulator/miners/index.js';

/** The rack `npm start` runs: a mix like a hobbyist's shelf. */
export const DEMO_RACK: Readonly<Record<MinerProfile, number>> = { nerdminer: 8, bitaxe: 1, cpu: 2, gpu: 1 };
export const DEMO_PORTS = { pool: 3333, proxy: 3334, http: 8080 } as const;
export const DEMO_UPSTREAM_USER = 'bc1qkaroobench.rack';
export const DEMO_RACK_USER = 'karoo';
/** Vardiff aims at one share per this many seconds per miner. */
export const DEMO_TARGET_SECONDS = 5;
/** How often a miner's difficulty is reconsidered: often enough to watch it settle in the demo. */
export const DEMO_ADJUST_EVERY_MS = 10_000;

/**
 * The demo pool's share difficulty, above every simulated miner's vardiff target (D = H x T / 2^32:
 * a 40 kH/s NerdMiner 4.7e-5, the 200 kH/s Bitaxe 2.3e-4, at T = 5 s), as a real pool's is far
 * above a small miner's: Karoo gives each miner its own difficulty below the pool's and forwards
 * only the shares that meet the pool's (about one every 2-3 s for the whole rack).
 */
export const DEMO_POOL_DIFFICULTY = 5e-4;
/**
 * Vardiff's range for the demo's miners: from Karoo's default floor up to half the pool's, so a
 * first `mining.suggest_difficulty` (a Bitaxe asks 1000) starts below the pool's too, and a
 * start low enough that the miners that suggest nothing find shares at once and are raised.
 */
export const DEMO_MINER_DIFFICULTY = { min: 1e-5, start: 2e-5, max: DEMO_POOL_DIFFICULTY / 2 } as const;

/** The difficulty vardiff should settle near for a miner hashing at `hashrate` H/s. */
export function targetDifficulty(hashrate: number, targetSeconds = DEMO_TARGET_SECONDS): number {
  return (hashrate * targetSeconds) / 2 ** 32;
}

/** The demo rack's hash rates are the simulator's caps, far below real hardware; the banner says so. */
export function rackScaleNote(): string {
  const nerd = DEFAULT_HASHRATES.nerdminer / 1000;
  return (
    `simulated miners hash at a fraction of real hardware (NerdMiner ${nerd} kH/s here, ` +
    `300-380 kH/s on a NerdMiner V1.8.3 ESP32; Bitaxe ${DEFAULT_HASHRATES.bitaxe / 1000} kH/s here, ~1 TH/s real)`
  );
}

/** Karoo's config for the demo, in front of the pool on `poolPort`. */
export function demoProxyConfig(o: {
  poolPort: number;
  listen: string;
  http: string;
}): Record<string, unknown> {
  return {
    proxy: { listen: o.listen },
    upstream: {
      host: '127.0.0.1',
      port: o.poolPort,
      user: DEMO_UPSTREAM_USER,
      pass: 'x',
      // The demo pool's difficulty stays above the miners' so their vardiff has room to move.
      suggest_difficulty: 'off',
    },
    http: { listen: o.http },
    ratelimit: { enabled: false },
    vardiff: {
      target_seconds: DEMO_TARGET_SECONDS,
      adjust_every_ms: DEMO_ADJUST_EVERY_MS,
      min_diff: DEMO_MINER_DIFFICULTY.min,
      start_diff: DEMO_MINER_DIFFICULTY.start,
      max_diff: DEMO_MINER_DIFFICULTY.max,
    },
  };
}
