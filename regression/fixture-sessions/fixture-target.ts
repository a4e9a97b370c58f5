import type { Logger } from '../../runtime/logger.js';
import type { PoolOptions, PoolSimulator } from '../../simulator/pool/index.js';
import { startPool } from '../../simulator/pool/index.js';
import { startTestProxy } from '../../proxy/test-support/proxy-harness.js';
import type { JsonValue } from '../../stratum/index.js';
import type { HostPort } from '../net/address.js';
import type { TargetHooks } from '../replay/replayer.js';

/**
 * What a fixture was recorded against, kept in its header's `target` so tests start the same
 * kind of target to replay it: the pool simulator with these options, alone or behind Karoo
 * (started with the proxy test harness and this config).
 */
export interface FixtureTargetSpec {
  kind: 'pool-simulator' | 'karoo';
  pool: Partial<
    Pick<
      PoolOptions,
      | 'difficulty'
      | 'minDifficulty'
      | 'maxDifficulty'
      | 'extranonce2Size'
      | 'jobIntervalSeconds'
      | 'blockIntervalSeconds'
    >
  >;
  karoo?: { [key: string]: JsonValue };
}

/**
 * The pool every fixture is recorded against: no job or block timers (work changes only where
 * the recording marks it), difficulty 1e-6 (a few thousand hashes a share, so replays re-mine
 * fast) and suggestions clamped to it (NerdMiner asks 0.00015, a Bitaxe 1000).
 */
export const FIXTURE_POOL: FixtureTargetSpec['pool'] = {
  difficulty: 1e-6,
  minDifficulty: 1e-9,
  maxDifficulty: 1e-6,
  jobIntervalSeconds: 0,
  blockIntervalSeconds: 0,
};

const READY_TIMEOUT_MS = 10_000;

/** Karoo as fixtures use it: the upstream session opened at start (keep-warm), not on demand. */
export const FIXTURE_KAROO: { [key: string]: JsonValue } = { upstream: { mode: 'keep-warm' } };

export interface RunningTarget {
  address: HostPort;
  pool: PoolSimulator;
  hooks: TargetHooks;
  stop(): Promise<void>;
}

/** Starts the target a fixture describes, on 127.0.0.1 port 0. */
export async function startFixtureTarget(spec: FixtureTargetSpec, logger?: Logger): Promise<RunningTarget> {
  const pool = await startPool({ ...spec.pool, host: '127.0.0.1', port: 0, ...(logger ? { logger } : {}) });
  const hooks: TargetHooks = {
    newJob: () => void pool.newJob(),
    newBlock: () => void pool.newBlock(),
  };
  if (spec.kind === 'pool-simulator') {
    return { address: { host: '127.0.0.1', port: pool.port }, pool, hooks, stop: () => pool.close() };
  }
  const proxy = await startTestProxy(pool.port, spec.karoo ?? {}, logger ? { logger } : {});
  // A warm upstream with a job makes Karoo's answers independent of how fast the pool answers it.
  const ready = await proxy.core.waitUpstreamReady(READY_TIMEOUT_MS);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (
    ready &&
    proxy.core.snapshot({ miners: false }).upstream.latestJobId === null &&
    Date.now() < deadline
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    address: { host: '127.0.0.1', port: proxy.stratum.port },
    pool,
    hooks,
    stop: async () => {
      await proxy.stop();
      await pool.close();
    },
  };
}

/** The spec in a recording header's `target`, or undefined when it is not one of ours. */
export function fixtureTargetOf(
  target: { [key: string]: JsonValue } | undefined,
): FixtureTargetSpec | undefined {
  if (target === undefined) return undefined;
  const kind = target.kind;
  const pool = target.pool;
  if (
    (kind !== 'pool-simulator' && kind !== 'karoo') ||
    typeof pool !== 'object' ||
    pool === null ||
    Array.isArray(pool)
  ) {
    return undefined;
  }
  const karoo = target.karoo;
  return {
    kind,
    pool: pool as FixtureTargetSpec['pool'],
    ...(typeof karoo === 'object' && karoo !== null && !Array.isArray(karoo) ? { karoo } : {}),
  };
}
