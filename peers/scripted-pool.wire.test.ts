import { describe, expect, it, vi } from 'vitest';
import { jobFromNotify, mineShare, submitParams } from '../simulator/pool/test-support/cpu-miner.js';
import { poolFixture } from '../simulator/pool/test-support/pool-fixture.js';
import { refusedPort } from '../test-support/free-ports.js';
import { PATIENCE } from '../test-support/patience.js';
import { acceptEveryShare } from './pool-handlers.js';
import { ScriptedPool } from './scripted-pool.js';
import { StratumClient } from './stratum-client.js';

const fx = poolFixture();

async function connect(port: number, localAddress?: string): Promise<StratumClient> {
  const options = localAddress === undefined ? {} : { localAddress };
  return fx.track(await StratumClient.connect({ port, ...options }));
}

/** subscribe and authorize; the first difficulty and job. */
async function handshake(client: StratumClient) {
  const sub = await client.request('mining.subscribe', ['peers-test/1']);
  const [, extranonce1, extranonce2Size] = sub.result as [unknown, string, number];
  expect((await client.request('mining.authorize', ['w.1', 'x'])).result).toBe(true);
  const difficulty = (await client.notification('mining.set_difficulty')).params[0] as number;
  const job = jobFromNotify((await client.notification('mining.notify')).params);
  return { extranonce1, extranonce2Size, difficulty, job };
}

describe('StratumClient and ScriptedPool over TCP', () => {
  it('the default script hands out work and judges shares by real hashing', async () => {
    const pool = fx.trackPool(await ScriptedPool.start({ difficulty: 1e-6 }));
    const client = await connect(pool.port);
    const work = await handshake(client);
    const share = mineShare(work.job, {
      extranonce1: work.extranonce1,
      extranonce2: '00000001',
      difficulty: 1e-6,
    });
    const params = submitParams('w.1', work.job.jobId, share);
    expect((await client.request('mining.submit', params)).result).toBe(true);
    expect((await client.request('mining.submit', params)).error).toEqual([22, 'Duplicate share', null]);
    expect(pool.connections[0]?.shares).toEqual([
      { worker: 'w.1', jobId: work.job.jobId, ok: true },
      { worker: 'w.1', jobId: work.job.jobId, ok: false, code: 22 },
    ]);
    expect(pool.linesOf(0).map((l) => (JSON.parse(l) as { method: string }).method)).toEqual([
      'mining.subscribe',
      'mining.authorize',
      'mining.submit',
      'mining.submit',
    ]);
  });

  it('runs a test handler for a method, refuses unknown ones, and sends a job to every miner', async () => {
    const pool = fx.trackPool(
      await ScriptedPool.start({
        handlers: {
          'mining.submit': acceptEveryShare,
          'mining.subscribe': (req, conn) => {
            conn.request('client.show_message', ['hello']);
            conn.byDefault(req);
          },
        },
      }),
    );
    const [a, b] = [await connect(pool.port), await connect(pool.port)];
    for (const c of [a, b]) await handshake(c);
    expect((await a.notification('client.show_message')).params).toEqual(['hello']);
    expect((await a.request('mining.submit', ['w.1', 'nope', '00', '00', '00'])).result).toBe(true);
    expect((await a.request('mining.frobnicate')).error).toEqual([
      -32601,
      'Method not found: mining.frobnicate',
      null,
    ]);
    pool.newJob(true);
    const [ja, jb] = [await a.notification('mining.notify'), await b.notification('mining.notify')];
    expect(ja.params).toEqual(jb.params);
    expect(ja.params[8]).toBe(true);
  });

  it('connects from a chosen source address, and sees the pool close it', async () => {
    const pool = fx.trackPool(await ScriptedPool.start());
    const client = await connect(pool.port, '127.0.0.2');
    await vi.waitFor(() => expect(pool.connections).toHaveLength(1), PATIENCE);
    expect(pool.connections[0]?.remoteAddress).toMatch(/^127\.0\.0\.2:\d+$/);
    pool.connections[0]?.close();
    await client.waitClosed();
    expect(client.closeReason).toBe('peer-closed');
    expect(client.transcript.at(-1)).toMatchObject({ dir: 'closed', line: 'closed: peer-closed' });
  });

  it('names the address and the cause when nobody listens', async () => {
    const port = await refusedPort();
    await expect(StratumClient.connect(port)).rejects.toThrow(
      `cannot connect to 127.0.0.1:${port}: ECONNREFUSED`,
    );
  });
});
