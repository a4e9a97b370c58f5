import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { parseConfig } from '../../proxy/config/index.js';
import { runProxy } from '../../proxy/run-proxy.js';
import type { PoolSimulator, RecordableOptions } from '../../simulator/pool/index.js';
import { RECORDABLE_OPTIONS, startPool } from '../../simulator/pool/index.js';
import type { JsonValue } from '../../stratum/index.js';
import type { HostPort } from '../../peers/host-port.js';
import type { TargetHooks } from './replayer.js';

/**
 * What a session was recorded against, from its header's `target`: the pool simulator with these
 * options, alone or behind Karoo with this config. Enough to start the same target again.
 */
export interface TargetSpec {
  kind: 'pool-simulator' | 'karoo';
  pool: Partial<RecordableOptions>;
  karoo?: { [key: string]: JsonValue };
}

/** A target started for a replay; `pool` is the simulator at the bottom of it. */
export interface RunningTarget {
  address: HostPort;
  pool: PoolSimulator;
  hooks: TargetHooks;
  stop(): Promise<void>;
}

/** How long Karoo in keep-warm mode may take to have its upstream session and a first job. */
const READY_TIMEOUT_MS = 10_000;
const READY_POLL_MS = 10;

/** The spec in a recording header's `target`, or undefined when it names nothing that can be started. */
export function targetSpecOf(target: { [key: string]: JsonValue } | undefined): TargetSpec | undefined {
  if (target === undefined) return undefined;
  const { kind, pool, karoo } = target;
  if ((kind !== 'pool-simulator' && kind !== 'karoo') || !isObject(pool)) return undefined;
  const options = Object.fromEntries(
    Object.entries(pool).filter(([key]) => (RECORDABLE_OPTIONS as readonly string[]).includes(key)),
  ) as Partial<RecordableOptions>;
  return { kind, pool: options, ...(isObject(karoo) ? { karoo } : {}) };
}

/**
 * Starts the target a recording names, on 127.0.0.1 port 0: the pool simulator with the recorded
 * options but its job and block timers off, so new work comes only where the recording marks it
 * (the hooks), and for `karoo` the proxy in front with the recorded config.
 */
export async function recreateTarget(
  spec: TargetSpec,
  logger: Logger = silentLogger(),
): Promise<RunningTarget> {
  const pool = await startPool({
    ...spec.pool,
    jobIntervalSeconds: 0,
    blockIntervalSeconds: 0,
    host: '127.0.0.1',
    port: 0,
    logger: logger.child({ part: 'pool' }),
  });
  const hooks: TargetHooks = {
    newJob: () => void pool.newJob(),
    newBlock: () => void pool.newBlock(),
  };
  if (spec.kind === 'pool-simulator') {
    return { address: { host: '127.0.0.1', port: pool.port }, pool, hooks, stop: () => pool.close() };
  }
  try {
    const config = proxyConfig(pool.port, spec.karoo ?? {});
    const proxy = await runProxy(parseConfig(config), logger.child({ part: 'proxy' }), {
      processMetrics: false,
    });
    const stop = async (): Promise<void> => {
      await proxy.stop();
      await pool.close();
    };
    try {
      if (isObject(config.upstream) && config.upstream.mode === 'keep-warm')
        await upstreamReady(proxy.httpUrl);
    } catch (err) {
      await stop();
      throw err;
    }
    return { address: { host: '127.0.0.1', port: proxy.stratum.port }, pool, hooks, stop };
  } catch (err) {
    await pool.close();
    throw err;
  }
}

/** Karoo on loopback port 0 in front of the pool, rate limits off, the recorded keys over those (one level deep). */
function proxyConfig(poolPort: number, recorded: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  const base: { [key: string]: JsonValue } = {
    proxy: { listen: '127.0.0.1:0' },
    upstream: {
      host: '127.0.0.1',
      port: poolPort,
      user: 'karoo.upstream',
      pass: 'x',
      backoff_min_ms: 100,
      backoff_max_ms: 400,
    },
    http: { listen: '127.0.0.1:0' },
    ratelimit: { enabled: false },
  };
  const merged = { ...base };
  for (const [key, value] of Object.entries(recorded)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? { ...current, ...value } : value;
  }
  // The upstream is always the pool started here, whatever address the recording names.
  merged.upstream = { ...(merged.upstream as object), host: '127.0.0.1', port: poolPort };
  merged.proxy = { ...(isObject(merged.proxy) ? merged.proxy : {}), listen: '127.0.0.1:0' };
  merged.http = { ...(isObject(merged.http) ? merged.http : {}), listen: '127.0.0.1:0' };
  return merged;
}

/**
 * A warm upstream with a job makes Karoo's answers independent of how fast the pool answers it;
 * read from the documented GET /status (`upstream.last_notify_at`).
 */
async function upstreamReady(httpUrl: string | undefined): Promise<void> {
  if (httpUrl === undefined) return;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const status = await fetch(`${httpUrl}/status`).then(
      (r) => r.json() as Promise<{ upstream?: { last_notify_at?: unknown } }>,
      () => undefined,
    );
    if (typeof status?.upstream?.last_notify_at === 'number') return;
    if (Date.now() >= deadline) throw new Error(`Karoo's upstream had no job within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

function isObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
