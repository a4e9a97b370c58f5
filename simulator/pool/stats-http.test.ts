import { afterEach, describe, expect, it } from 'vitest';
import type { PoolSimulator } from './pool-server.js';
import type { ScriptedClient } from './test-support/scripted-client.js';
import {
  TEST_DIFFICULTY,
  connectMiner,
  findShare,
  startTestPool,
  submit,
} from './test-support/pool-harness.js';

let pool: PoolSimulator | undefined;
const clients: ScriptedClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await pool?.close();
  pool = undefined;
});

describe('GET /stats', () => {
  it('serves the books as JSON, the same as stats()', async () => {
    pool = await startTestPool({ http: { host: '127.0.0.1', port: 0 } });
    expect(pool.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const m = await connectMiner(pool.port, { worker: 'w1' });
    clients.push(m.client);
    await submit(m, findShare(m));
    await submit(m, findShare(m), 'nope');
    const res = await fetch(`${pool.httpUrl}/stats`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as ReturnType<PoolSimulator['stats']>;
    expect(body).toEqual(pool.stats());
    expect(body.workers.w1).toMatchObject({
      accepted: 1,
      acceptedDifficulty: TEST_DIFFICULTY,
      rejected: { 'job-not-found': 1 },
    });
    expect(body.totals).toMatchObject({ accepted: 1, rejectedTotal: 1, sessions: 1 });
  });

  it('serves /sessions and /healthz, 404 elsewhere, 405 for writes', async () => {
    pool = await startTestPool({ http: { host: '127.0.0.1', port: 0 } });
    const m = await connectMiner(pool.port, { worker: 'w2', userAgent: 'bitaxe/2.4' });
    clients.push(m.client);
    const sessions = (await (await fetch(`${pool.httpUrl}/sessions`)).json()) as {
      userAgent: string;
      workers: string[];
    }[];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      userAgent: 'bitaxe/2.4',
      workers: ['w2'],
      extranonce1: m.extranonce1,
    });
    expect(await (await fetch(`${pool.httpUrl}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${pool.httpUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${pool.httpUrl}/stats`, { method: 'POST' })).status).toBe(405);
  });
});
