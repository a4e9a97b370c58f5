import type { Duplex } from 'node:stream';
import { afterEach } from 'vitest';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { connectMiner, handshake, startTestPool } from '../../simulator/pool/test-support/pool-harness.js';
import type { ConnectedMiner } from '../../simulator/pool/test-support/pool-harness.js';
import { StratumClient } from '../../peers/stratum-client.js';
import type { RunningProxy } from '../run-proxy.js';
import { startTestProxy } from './proxy-harness.js';

/**
 * The one setup for every test that starts a proxy: pools, proxies and clients for a test file,
 * all closed after each test (teardowns first, then clients, proxies, pools). `fixture.proxy` is
 * the proxy the last `startProxy` call started.
 */
export function proxyFixture() {
  const pools: PoolSimulator[] = [];
  const proxies: RunningProxy[] = [];
  const clients: { close(): Promise<void> | void }[] = [];
  const teardowns: (() => Promise<void> | void)[] = [];
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
      const proxy = await startTestProxy(...args);
      proxies.push(proxy);
      fixture.proxy = proxy;
      return proxy;
    },
    /** A miner through the last proxy (or on `port`): subscribed, authorized, first job in hand. */
    async miner(o: Parameters<typeof connectMiner>[1] = {}, port?: number): Promise<ConnectedMiner> {
      const m = await connectMiner(port ?? (fixture.proxy as RunningProxy).stratum.port, o);
      clients.push(m.client);
      return m;
    },
    /** A miner over a stream already open (a TLS socket, a WebSocket's line stream), handshake done. */
    async minerOver(stream: Duplex, o: Parameters<typeof handshake>[1] = {}): Promise<ConnectedMiner> {
      const m = await handshake(StratumClient.over(stream), o);
      clients.push(m.client);
      return m;
    },
    /** A bare client on the last proxy's Stratum port (or on `port`). */
    async client(port?: number): Promise<StratumClient> {
      const c = await StratumClient.connect(port ?? (fixture.proxy as RunningProxy).stratum.port);
      clients.push(c);
      return c;
    },
    /** Closes this after the test, with the clients. */
    track<T extends { close(): Promise<void> | void }>(client: T): T {
      clients.push(client);
      return client;
    },
    /** Runs this after the test, before anything is closed. */
    onTeardown(fn: () => Promise<void> | void): void {
      teardowns.push(fn);
    },
  };
  afterEach(async () => {
    for (const fn of teardowns.splice(0)) await fn();
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
    fixture.proxy = undefined;
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  return fixture;
}
