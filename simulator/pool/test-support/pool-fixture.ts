import { afterEach } from 'vitest';
import type { StratumClient } from '../../../peers/stratum-client.js';
import type { PoolSimulator, StartPoolOptions } from '../pool-server.js';
import type { ConnectOptions, ConnectedMiner } from './pool-harness.js';
import { connectClient, connectMiner, startTestPool } from './pool-harness.js';

type Closable = { close(): Promise<void> | void };

/**
 * The one setup of the pool simulator's tests: pools, miners and bare clients for a test file,
 * all closed after each test (clients first, then pools).
 */
export function poolFixture() {
  const pools: Closable[] = [];
  const clients: Closable[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  return {
    /** A test pool (port 0, no timers, TEST_DIFFICULTY) with these options. */
    async pool(options: StartPoolOptions = {}): Promise<PoolSimulator> {
      const p = await startTestPool(options);
      pools.push(p);
      return p;
    },
    /** A pool started some other way, closed with the rest. */
    trackPool<P extends Closable>(p: P): P {
      pools.push(p);
      return p;
    },
    /** A client made some other way, closed with the rest. */
    track<C extends Closable>(c: C): C {
      clients.push(c);
      return c;
    },
    /** A bare connection to `p`. */
    async client(p: { port: number }): Promise<StratumClient> {
      const c = await connectClient(p.port);
      clients.push(c);
      return c;
    },
    /** A miner on `p`: subscribed, authorized, first job in hand. */
    async miner(p: { port: number }, o: ConnectOptions = {}): Promise<ConnectedMiner> {
      const m = await connectMiner(p.port, o);
      clients.push(m.client);
      return m;
    },
  };
}
