import net from 'node:net';
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

describe('bench load client: extranonce2', () => {
  /** A pool that answers the handshake and accepts every submit, keeping each submit's params. */
  async function recordingPool(): Promise<{ port: number; submits: string[][]; close: () => void }> {
    const submits: string[][] = [];
    const server = net.createServer((socket) => {
      socket.setEncoding('utf8');
      let buffered = '';
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const msg = JSON.parse(buffered.slice(0, nl)) as { id: number; method: string; params: string[] };
          buffered = buffered.slice(nl + 1);
          const answer = (result: unknown): boolean =>
            socket.write(`${JSON.stringify({ id: msg.id, result, error: null })}\n`);
          if (msg.method === 'mining.subscribe') answer([[], '0a0b0c0d', 4]);
          else if (msg.method === 'mining.authorize') {
            answer(true);
            const job = ['j1', '0'.repeat(64), '01', '02', [], '20000000', '1d00ffff', '66000000', true];
            socket.write(`${JSON.stringify({ id: null, method: 'mining.notify', params: job })}\n`);
          } else if (msg.method === 'mining.submit') {
            submits.push(msg.params);
            answer(true);
          }
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as net.AddressInfo).port, submits, close: () => server.close() };
  }

  it('keeps one extranonce2 (as NerdMiner does) unless told to roll it with every submit', async () => {
    const pool = await recordingPool();
    try {
      for (const roll of [false, true]) {
        const c = await LoadClient.connect(pool.port);
        fx.track(c);
        await c.handshake(roll ? 'bench.rolling' : 'bench.fixed', { rollExtranonce2: roll });
        for (let i = 0; i < 5; i += 1) expect((await c.roundTrip()).accepted).toBe(true);
      }
      const en2 = (worker: string): string[] =>
        pool.submits.filter((p) => p[0] === worker).map((p) => p[2] as string);
      expect(new Set(en2('bench.fixed'))).toEqual(new Set(['00000001']));
      expect(new Set(en2('bench.rolling')).size).toBe(5);
      for (const e of en2('bench.rolling')) expect(e).toMatch(/^[0-9a-f]{8}$/);
      // The nonce is new with every submit either way.
      expect(new Set(pool.submits.map((p) => p[4])).size).toBe(5);
    } finally {
      pool.close();
    }
  });
});
