import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { startPool } from '../../simulator/pool/index.js';
import type { FaultSpecInput, PoolSimulator, StartPoolOptions } from '../../simulator/pool/index.js';
import type { Bench, BenchCapability, PoolControl, PoolTarget, StratumSessionView } from './bench.js';
import { ProxyStatusClient } from './proxy-status-client.js';

/** What the bench needs of a proxy it started: where boards dial, its HTTP API, and stopping it. */
export interface BenchProxy {
  readonly url: string;
  readonly httpUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * The pool simulator alone (`--direct`): boards mine to it and scenarios read its sessions. Split
 * from local-bench.ts so tests of the runner need no proxy.
 */
export async function startDirectBench(
  pool: Omit<StartPoolOptions, 'logger'>,
  logger: Logger = silentLogger(),
): Promise<Bench> {
  const simulator = await startPool({ ...pool, logger: logger.child({ part: 'pool' }) });
  return new LocalBench('direct', simulator, undefined);
}

export class LocalBench implements Bench {
  readonly capabilities: ReadonlySet<BenchCapability> = new Set(['pool-control']);
  readonly pool: PoolControl;
  private readonly status: ProxyStatusClient | undefined;

  constructor(
    readonly kind: 'proxy' | 'direct',
    private readonly simulator: PoolSimulator,
    private readonly proxy: BenchProxy | undefined,
  ) {
    this.pool = new SimulatorControl(simulator);
    this.status = proxy?.httpUrl === undefined ? undefined : new ProxyStatusClient({ url: proxy.httpUrl });
  }

  get stratumUrl(): string {
    return this.proxy?.url ?? publicUrl(this.simulator.url);
  }

  get proxyUrl(): string | undefined {
    return this.proxy?.httpUrl;
  }

  async sessions(): Promise<StratumSessionView[]> {
    if (this.status !== undefined) return this.status.sessions();
    return poolSessions(this.simulator);
  }

  async upstream() {
    return this.status?.upstream();
  }

  async close(): Promise<void> {
    await this.proxy?.stop();
    await this.simulator.close();
  }
}

/** The pool simulator's sessions, one view per worker each carries; counters per worker name. */
export function poolSessions(pool: PoolSimulator): StratumSessionView[] {
  const { workers } = pool.stats();
  return pool.sessions().flatMap((s) =>
    s.workers.map((worker) => {
      const w = workers[worker];
      const rejected = Object.values(w?.rejected ?? {}).reduce((a, b) => a + (b ?? 0), 0);
      return {
        worker,
        remote: s.remoteAddress,
        connected: true,
        connectedAt: s.connectedAt,
        userAgent: s.userAgent ?? null,
        extranonce1: s.extranonce1 ?? null,
        difficulty: s.difficulty,
        accepted: w?.accepted ?? 0,
        rejected,
        poolAccepted: w?.accepted ?? 0,
        poolRejected: rejected,
        hashrate: null,
      };
    }),
  );
}

/** Scenario actions on the pool simulator, as faults (so they show in its log and fault events). */
export class SimulatorControl implements PoolControl {
  private current: number;

  constructor(private readonly pool: PoolSimulator) {
    this.current = pool.options.difficulty;
  }

  get url(): string {
    return this.pool.url;
  }

  difficulty(): number {
    return this.current;
  }

  setDifficulty(difficulty: number): void {
    this.pool.setDifficulty(difficulty);
    this.current = difficulty;
  }

  connections(): number {
    return this.pool.stats().totals.connections;
  }

  drop(target: PoolTarget): void {
    this.fireOnce({ action: 'drop', target });
  }

  sendReconnect(target: PoolTarget): void {
    this.fireOnce({ action: 'reconnect', target });
  }

  sendSetExtranonce(target: PoolTarget): void {
    this.fireOnce({ action: 'set-extranonce', target });
  }

  /** An instant fault with no trigger fires as it is armed; it is then disarmed. */
  private fireOnce(spec: FaultSpecInput): void {
    this.pool.faults.clear(this.pool.faults.inject(spec));
  }
}

/** A URL a board on this machine can dial: 0.0.0.0 and :: become loopback. */
function publicUrl(url: string): string {
  return url.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://[::1]:');
}
