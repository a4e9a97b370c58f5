import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import type { PoolSimulator } from './pool-server.js';
import { TEST_DIFFICULTY, findShare, submit } from './test-support/pool-harness.js';
import { poolFixture } from './test-support/pool-fixture.js';

const fx = poolFixture();
let pool: PoolSimulator;

describe('GET /stats', () => {
  it('serves the books as JSON, the same as stats()', async () => {
    pool = await fx.pool({ http: { host: '127.0.0.1', port: 0 } });
    expect(pool.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const m = await fx.miner(pool, { worker: 'w1' });
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
    pool = await fx.pool({ http: { host: '127.0.0.1', port: 0 } });
    const m = await fx.miner(pool, { worker: 'w2', userAgent: 'bitaxe/2.4' });
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

describe('control routes (record and replay)', () => {
  const http = { host: '127.0.0.1', port: 0 };
  const post = async (path: string) => (await fetch(`${pool!.httpUrl}${path}`, { method: 'POST' })).json();
  const get = async (path: string) => (await fetch(`${pool!.httpUrl}${path}`)).json();

  it('GET /options gives what a recording keeps to start the same pool again', async () => {
    pool = await fx.pool({ http, difficulty: 3e-6, maxDifficulty: 1e-5, jobIntervalSeconds: 30 });
    expect(await get('/options')).toEqual({
      url: pool.url,
      difficulty: 3e-6,
      minDifficulty: 1e-9,
      maxDifficulty: 1e-5,
      extranonce1Size: 4,
      extranonce2Size: 8,
      jobIntervalSeconds: 30,
      blockIntervalSeconds: 0,
      versionMask: 0x1fffe000,
      transactions: 8,
    });
  });

  it('POST /new-job and /new-block broadcast work; GET /jobs/ID tells broadcast work from per-session jobs', async () => {
    pool = await fx.pool({ http });
    const m = await fx.miner(pool, { worker: 'w3' });
    expect(await get(`/jobs/${m.job.jobId}`)).toEqual({ jobId: m.job.jobId, origin: 'session' });
    const job = (await post('/new-job')) as { jobId: string; cleanJobs: boolean };
    expect(job.cleanJobs).toBe(false);
    const notify = await m.client.notification('mining.notify');
    expect(notify.params[0]).toBe(job.jobId);
    expect(await get(`/jobs/${job.jobId}`)).toEqual({ jobId: job.jobId, origin: 'new-job' });
    const block = (await post('/new-block')) as { jobId: string; cleanJobs: boolean };
    expect(block.cleanJobs).toBe(true);
    expect(await get(`/jobs/${block.jobId}`)).toMatchObject({ origin: 'new-block' });
    expect(await get('/jobs/c0ffee')).toMatchObject({ origin: 'unknown' });
    expect((await fetch(`${pool.httpUrl}/new-job`)).status).toBe(405);
    expect((await fetch(`${pool.httpUrl}/options`, { method: 'POST' })).status).toBe(405);
  });

  it('POST /timers/pause stops the job timer until /timers/resume', async () => {
    const clock = new ManualClock();
    pool = await fx.pool({ http, clock, jobIntervalSeconds: 30, blockIntervalSeconds: 600 });
    const jobs = () => pool!.stats().totals.jobs;
    const before = jobs();
    clock.advance(30_000);
    expect(jobs()).toBe(before + 1);
    expect(await post('/timers/pause')).toEqual({ paused: true });
    clock.advance(600_000);
    expect(jobs()).toBe(before + 1);
    expect(pool.stats().totals.blocks).toBe(0);
    expect(await post('/timers/resume')).toEqual({ paused: false });
    clock.advance(30_000);
    expect(jobs()).toBe(before + 2);
  });
});
