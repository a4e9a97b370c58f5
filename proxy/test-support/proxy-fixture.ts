import { afterEach } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { connectMiner, startTestPool } from '../../simulator/pool/test-support/pool-harness.js';
import type { ConnectedMiner } from '../../simulator/pool/test-support/pool-harness.js';
import { ScriptedClient } from '../../simulator/pool/test-support/scripted-client.js';
import type { RunningProxy } from '../run-proxy.js';
import { startTestProxy } from './proxy-harness.js';

/**
 * Pools, one proxy and clients for a test file, all closed after each test. `fixture.proxy` is
 * the proxy the last `startProxy` call started.
 */
export function proxyFixture() {
  const pools: PoolSimulator[] = [];
  const clients: ScriptedClient[] = [];
  const fixture = {
    proxy: undefined as RunningProxy | undefined,
    pools,
    clients,
    async pool(options: Parameters<typeof startTestPool>[0] = {}): Promise<PoolSimulator> {
      const p = await startTestPool(options);
      pools.push(p);
      return p;
    },
    async startProxy(...args: Parameters<typeof startTestProxy>): Promise<RunningProxy> {
      fixture.proxy = await startTestProxy(...args);
      return fixture.proxy;
    },
    /** A miner through the proxy: subscribed, authorized, first job in hand. */
    async miner(o: Parameters<typeof connectMiner>[1] = {}): Promise<ConnectedMiner> {
      const m = await connectMiner((fixture.proxy as RunningProxy).stratum.port, o);
      clients.push(m.client);
      return m;
    },
    /** A bare client on the proxy's Stratum port. */
    async client(): Promise<ScriptedClient> {
      const c = await ScriptedClient.connect((fixture.proxy as RunningProxy).stratum.port);
      clients.push(c);
      return c;
    },
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await fixture.proxy?.stop();
    fixture.proxy = undefined;
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  return fixture;
}
