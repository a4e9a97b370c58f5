import { parseConfig } from '../../proxy/config/index.js';
import { runProxy } from '../../proxy/run-proxy.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { parseHostPort, startPool } from '../../simulator/pool/index.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { BenchError } from '../errors.js';
import type { Bench } from './bench.js';
import { LocalBench } from './pool-bench.js';

/** Share difficulty a virtual board (60 kH/s, shares only above its 16-bit prefilter) meets every second or two. */
export const DEFAULT_VIRTUAL_DIFFICULTY = 2e-5;
/** About one share every 1-9 s on a real NerdMiner (45-345 kH/s). */
export const DEFAULT_REAL_DIFFICULTY = 1e-4;
/** Where the harness's proxy (or pool, with --direct) listens for real boards: every interface. */
export const DEFAULT_REAL_LISTEN = '0.0.0.0:3334';
export const DEFAULT_VIRTUAL_LISTEN = '127.0.0.1:0';
/** The upstream user of the harness's proxy. */
export const HIL_UPSTREAM_USER = 'karoo-hil.upstream';

export interface LocalBenchOptions {
  /** `proxy`: pool simulator + Karoo proxy; `direct`: boards mine to the pool simulator. */
  mode: 'proxy' | 'direct';
  /** Pool share difficulty. */
  difficulty: number;
  /** Where boards connect, HOST:PORT (port 0 picks a free one). */
  listen: string;
  /** Pool and proxy log through children of this logger. */
  logger?: Logger;
}

/**
 * Starts the pool simulator and, in proxy mode, a Karoo proxy in front of it, configured for the
 * bench: upstream kept warm (a cold connect can make NerdMiner miss its one-line subscribe
 * answer), fast upstream redial, no rate limits, and a vardiff floor above the pool's difficulty so
 * every board is given exactly the pool's difficulty (min(vardiff, pool) in Karoo).
 */
export async function startLocalBench(options: LocalBenchOptions): Promise<Bench> {
  const log = options.logger ?? silentLogger();
  const listen = parseHostPort(options.listen, '--listen');
  const direct = options.mode === 'direct';
  let pool: PoolSimulator | undefined;
  try {
    pool = await startPool({
      host: direct ? listen.host : '127.0.0.1',
      port: direct ? listen.port : 0,
      difficulty: options.difficulty,
      // NerdMiner suggests 0.00015 once; the pool honours suggestions only up to this.
      maxDifficulty: options.difficulty,
      logger: log.child({ part: 'pool' }),
    });
    if (direct) return new LocalBench('direct', pool, undefined);
    const config = parseConfig({
      proxy: { listen: options.listen },
      upstream: {
        host: '127.0.0.1',
        port: pool.port,
        user: HIL_UPSTREAM_USER,
        pass: 'x',
        mode: 'keep-warm',
        backoff_min_ms: 100,
        backoff_max_ms: 1000,
      },
      http: { listen: '127.0.0.1:0' },
      ratelimit: { enabled: false },
      vardiff: { min_diff: options.difficulty * 4 },
    });
    const proxy = await runProxy(config, log.child({ part: 'proxy' }));
    return new LocalBench('proxy', pool, proxy);
  } catch (err) {
    await pool?.close();
    if (err instanceof BenchError) throw err;
    throw new BenchError(`cannot start the bench: ${(err as Error).message}`, err);
  }
}
