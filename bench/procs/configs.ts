import type { StartPoolOptions } from '../../simulator/pool/index.js';

/**
 * 3000 synthetic transactions plus the coinbase make 12 merkle branches: a mainnet-sized job,
 * so every share check and every notify costs what it would on a real pool.
 */
export const BENCH_TRANSACTIONS = 3000;
/** Below ~2.3e-10 every hash meets the target: every well-formed share with a fresh nonce is accepted. */
export const ACCEPT_ALL_DIFFICULTY = 1e-12;
/** A pool difficulty no bench share meets, so the proxy forwards nothing. */
export const UNREACHABLE_DIFFICULTY = 1e9;

/** The pool simulator as the bench runs it: loopback, port 0, no job timers, mainnet-sized jobs. */
export function benchPoolOptions(difficulty: number): StartPoolOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    difficulty,
    minDifficulty: Math.min(difficulty, 1e-9),
    maxDifficulty: Math.max(difficulty, 1e-9),
    jobIntervalSeconds: 0,
    blockIntervalSeconds: 0,
    idleTimeoutSeconds: 0,
    subscribeTimeoutSeconds: 0,
    maxConnections: 1000,
    transactions: BENCH_TRANSACTIONS,
  };
}

export interface BenchProxyConfigOptions {
  poolPort: number;
  /** Difficulty every miner gets (vardiff pinned to it). */
  minerDifficulty: number;
  maxClients?: number;
  /** False: no reject-ratio ban (a load that is refused by design would be banned). Default true. */
  rejectBan?: boolean;
}

/**
 * A Karoo config (the file's own keys) for the bench: loopback, rate limits off, every miner at a
 * fixed difficulty (vardiff's range pinned to it: with vardiff off a miner gets the pool's own),
 * upstream kept warm, no HTTP listener, no logging. Everything else
 * (share checks, duplicate detection, reject-ratio bans, send-queue bounds) is as in production.
 */
export function benchProxyConfig(o: BenchProxyConfigOptions): Record<string, unknown> {
  return {
    proxy: {
      listen: '127.0.0.1:0',
      max_clients: o.maxClients ?? 1000,
      client_idle_ms: 0,
      subscribe_timeout_ms: 600_000,
    },
    upstream: {
      host: '127.0.0.1',
      port: o.poolPort,
      user: 'bench.karoo',
      pass: 'x',
      mode: 'keep-warm',
      backoff_min_ms: 100,
      backoff_max_ms: 1000,
      // The bench sets the pool's difficulty (what is forwarded) itself.
      suggest_difficulty: 'off',
    },
    http: { listen: '' },
    vardiff: {
      enabled: true,
      min_diff: o.minerDifficulty,
      max_diff: o.minerDifficulty,
      start_diff: o.minerDifficulty,
    },
    ratelimit: { enabled: false },
    ...(o.rejectBan === false ? { limits: { reject_ban_ratio: 0 } } : {}),
    log: { level: 'silent' },
  };
}
