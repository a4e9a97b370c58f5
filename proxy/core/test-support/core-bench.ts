import type { Logger } from 'pino';
import { silentLogger } from '../../../runtime/logger.js';
import { linePair, settle } from '../../../runtime/test-support/in-memory-line-pair.js';
import { ManualClock } from '../../../runtime/test-support/manual-clock.js';
import { seededRandom } from '../../../runtime/test-support/seeded-random.js';
import { ProxyCore, defaultCoreOptions } from '../index.js';
import type { AuthorizePolicy, CoreOptions, UpstreamEndpoint, UpstreamTimings } from '../index.js';
import { FakePool } from './fake-pool.js';
import type { FakePoolOptions } from './fake-pool.js';
import { TestMiner } from './test-miner.js';

export const TEST_ENDPOINT: UpstreamEndpoint = {
  host: 'stratum.pool.example',
  port: 3333,
  user: 'rack.upstream',
  pass: 'upstream-secret',
  tls: false,
  insecureSkipVerify: false,
};

export interface CoreBenchOptions {
  core?: Partial<Omit<CoreOptions, 'vardiff' | 'upstream'>> & {
    vardiff?: Partial<CoreOptions['vardiff']>;
    upstream?: Partial<UpstreamTimings>;
  };
  pool?: FakePoolOptions;
  seed?: number;
  logger?: Logger;
  authorize?: AuthorizePolicy;
  sessionIds?: { first: number; step: number };
}

/**
 * The proxy core in memory: a manual clock, a fake pool behind its dial, and test miners on
 * in-memory pairs. Nothing touches a socket or a real timer, so thousands of steps take
 * milliseconds and every run with the same seed is the same run.
 */
export function coreBench(o: CoreBenchOptions = {}) {
  const clock = new ManualClock(1_750_000_000_000);
  const base = defaultCoreOptions([TEST_ENDPOINT]);
  const options: CoreOptions = {
    ...base,
    reportEveryMs: 0,
    // The pool keeps its own difficulty unless a test asks for suggestions (upstream-suggest.test.ts).
    upstreamSuggest: 'off',
    ...o.core,
    vardiff: { ...base.vardiff, minDiff: 1e-12, ...o.core?.vardiff },
    upstream: { ...base.upstream, ...o.core?.upstream },
  };
  const pool = new FakePool(
    clock,
    { requestTimeoutMs: options.upstream.requestTimeoutMs, ...o.pool },
    options.upstream.healthyAfterMs,
  );
  const core = new ProxyCore(options, {
    dial: pool.dial,
    clock,
    random: seededRandom(o.seed ?? 1),
    logger: o.logger ?? silentLogger(),
    ...(o.authorize ? { authorize: o.authorize } : {}),
    ...(o.sessionIds ? { sessionIds: o.sessionIds } : {}),
  });
  core.start();
  const miners: TestMiner[] = [];
  let remotes = 0;

  const bench = {
    clock,
    pool,
    core,
    options,
    miners,
    settle,
    /** Moves the manual clock, letting the code react after each timer. */
    tick: (ms: number) => clock.tick(ms),
    /** A new miner connection (not yet subscribed). */
    connect(name = `rig.${miners.length + 1}`): TestMiner {
      remotes += 1;
      const [minerEnd, proxyEnd] = linePair(
        {},
        {
          lineCap: options.minerLineCap,
          closeOnOversize: false,
          remoteAddress: `10.0.${remotes >> 8}.${remotes & 255}:40000`,
        },
      );
      core.accept(proxyEnd);
      const miner = new TestMiner(minerEnd, name);
      miners.push(miner);
      return miner;
    },
    /** A miner subscribed and authorized (as NerdMiner does), its first job in hand. */
    async miner(name?: string, extras: { extranonceSubscribe?: boolean } = {}): Promise<TestMiner> {
      const m = bench.connect(name);
      m.subscribe();
      if (extras.extranonceSubscribe) m.extranonceSubscribe();
      m.authorize();
      await settle();
      await clock.tick(0);
      return m;
    },
  };
  return bench;
}

export type CoreBench = ReturnType<typeof coreBench>;
