import type { RunningProxy } from '../../proxy/run-proxy.js';
import { startTestProxy } from '../../proxy/test-support/proxy-harness.js';
import { startMiner } from '../../simulator/miners/index.js';
import type { MinerProfile, SimulatedMiner } from '../../simulator/miners/index.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { startTestPool } from '../../simulator/pool/test-support/pool-harness.js';

export interface DashBench {
  pool: PoolSimulator;
  readonly proxy: RunningProxy | undefined;
  miners: SimulatedMiner[];
  /** The proxy's HTTP base, e.g. http://127.0.0.1:PORT */
  httpUrl: string;
  /** Stops the proxy (miners start reconnecting). */
  stopProxy(): Promise<void>;
  /** Starts a proxy again on the same Stratum and HTTP ports. */
  restartProxy(): Promise<void>;
  stop(): Promise<void>;
}

export interface DashBenchMiner {
  profile: MinerProfile;
  worker: string;
  hashrate?: number;
}

/** The rack a dashboard test watches: a few slow simulated miners. */
export const DEFAULT_BENCH_MINERS: readonly DashBenchMiner[] = [
  { profile: 'cpu', worker: 'rack.cpu-01', hashrate: 20_000 },
  { profile: 'cpu', worker: 'rack.cpu-02', hashrate: 10_000 },
  { profile: 'bitaxe', worker: 'rack.bitaxe-01', hashrate: 20_000 },
];

/**
 * The pool's difficulty holds these slow miners down where they find shares at once (a cpuminer
 * agent would otherwise start at a real cpuminer's 5 MH/s, a thousand times theirs), so the proxy
 * asks the pool for none of its own.
 */
const BENCH_PROXY_CONFIG: Record<string, unknown> = { upstream: { suggest_difficulty: 'off' } };

/** Pool simulator, proxy (HTTP on port 0) and simulated miners mining through it, all in-process. */
export async function startDashBench(
  miners: readonly DashBenchMiner[] = DEFAULT_BENCH_MINERS,
  proxyConfig: Record<string, unknown> = BENCH_PROXY_CONFIG,
): Promise<DashBench> {
  const pool = await startTestPool();
  let proxy: RunningProxy | undefined;
  try {
    proxy = await startTestProxy(pool.port, proxyConfig);
    const httpUrl = proxy.httpUrl;
    if (!httpUrl || !proxy.http) throw new Error('the test proxy has no HTTP listener');
    const ports = { stratum: proxy.stratum.port, http: proxy.http.port };
    const url = proxy.url;
    const running = miners.map((m) =>
      startMiner({
        profile: m.profile,
        url,
        worker: m.worker,
        timeScale: 0.01,
        reconnectDelayMs: [100, 300],
        ...(m.hashrate ? { hashrate: m.hashrate } : {}),
      }),
    );
    return {
      pool,
      get proxy() {
        return proxy;
      },
      miners: running,
      httpUrl,
      async stopProxy() {
        await proxy?.stop();
        proxy = undefined;
      },
      async restartProxy() {
        if (proxy) return;
        proxy = await startTestProxy(pool.port, {
          ...proxyConfig,
          proxy: { listen: `127.0.0.1:${ports.stratum}` },
          http: { listen: `127.0.0.1:${ports.http}` },
        });
      },
      async stop() {
        await Promise.all(running.map((m) => m.stop()));
        await proxy?.stop();
        proxy = undefined;
        await pool.close();
      },
    };
  } catch (err) {
    await proxy?.stop();
    await pool.close();
    throw err;
  }
}
