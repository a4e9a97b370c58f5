import { describe, expect, it, vi } from 'vitest';
import type { RunningProxy } from '../proxy/run-proxy.js';
import { proxyFixture } from '../proxy/test-support/proxy-fixture.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { startPool } from '../simulator/pool/index.js';
import { PATIENCE } from '../test-support/patience.js';
import { LoadClient } from './load-client.js';
import {
  ACCEPT_ALL_DIFFICULTY,
  UNREACHABLE_DIFFICULTY,
  benchPoolOptions,
  benchProxyConfig,
} from './procs/configs.js';

const fx = proxyFixture();

/** The bench's pool simulator (mainnet-sized jobs) at `difficulty`, closed after the test. */
async function benchPool(difficulty: number): Promise<PoolSimulator> {
  const p = await startPool(benchPoolOptions(difficulty));
  fx.pools.push(p);
  return p;
}

/** The bench's own config, as its proxy process gets it (minus the port 0 pool). */
async function benchProxy(poolPort: number, minerDifficulty: number): Promise<RunningProxy> {
  const {
    proxy: p,
    upstream,
    vardiff,
    ratelimit,
  } = benchProxyConfig({ poolPort, minerDifficulty }) as Record<string, Record<string, unknown>>;
  return fx.startProxy(poolPort, {
    proxy: p ?? {},
    upstream: upstream ?? {},
    vardiff: vardiff ?? {},
    ratelimit: ratelimit ?? {},
  });
}

async function client(port: number, worker: string): Promise<LoadClient> {
  const c = await LoadClient.connect(port);
  fx.track(c);
  await c.handshake(worker);
  return c;
}

describe('bench load client', () => {
  it('gets every submit accepted by the pool simulator at the accept-all difficulty (mainnet-sized jobs)', async () => {
    const pool = await benchPool(ACCEPT_ALL_DIFFICULTY);
    const c = await client(pool.port, 'bench.direct');
    for (let i = 0; i < 20; i += 1) {
      const rt = await c.roundTrip();
      expect(rt.accepted).toBe(true);
      expect(rt.ns).toBeGreaterThan(0n);
    }
    expect(pool.stats().workers['bench.direct']?.accepted).toBe(20);
    expect(pool.currentJob().merkleBranches).toHaveLength(12);
  });

  it('through Karoo with the bench config: accepted locally, nothing forwarded to an unreachable pool difficulty', async () => {
    const pool = await benchPool(UNREACHABLE_DIFFICULTY);
    const proxy = await benchProxy(pool.port, ACCEPT_ALL_DIFFICULTY);
    const [a, b] = [await client(proxy.stratum.port, 'bench.a'), await client(proxy.stratum.port, 'bench.b')];
    const results = await Promise.all([a.pipeline(16, 300), b.pipeline(16, 300)]);
    for (const r of results) {
      expect(r.answers).toBeGreaterThan(0);
      expect(r.accepted).toBe(r.answers);
    }
    const local = proxy.core.snapshot().books.local.totals;
    // Answers after the deadline are drained but not counted; none is lost.
    expect(local.accepted).toBeGreaterThanOrEqual(results[0]!.answers + results[1]!.answers);
    expect(local.rejected).toBe(0);
    expect(proxy.core.snapshot().books.forwardedTotal).toBe(0);
    expect(pool.stats().totals.accepted + pool.stats().totals.rejectedTotal).toBe(0);
  });

  it('through Karoo at an accept-all pool difficulty: every share is also forwarded and credited once', async () => {
    const pool = await benchPool(ACCEPT_ALL_DIFFICULTY);
    const proxy = await benchProxy(pool.port, ACCEPT_ALL_DIFFICULTY);
    const c = await client(proxy.stratum.port, 'bench.karoo');
    for (let i = 0; i < 10; i += 1) expect((await c.roundTrip()).accepted).toBe(true);
    await vi.waitFor(() => expect(pool.stats().workers['bench.karoo']?.accepted).toBe(10), PATIENCE);
  });
});
