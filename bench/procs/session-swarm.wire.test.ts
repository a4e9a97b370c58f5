import { describe, expect, it } from 'vitest';
import { proxyFixture } from '../../proxy/test-support/proxy-fixture.js';
import { wallMs } from './messages.js';
import { SessionSwarm } from './session-swarm.js';

const fx = proxyFixture();
/** As the connection benchmark runs the proxy: no suggestion, so the pool sends no job of its own. */
const AS_BENCHED = { suggest_difficulty: 'off' };

function swarm(port: number, count: number, localAddresses: string[]): SessionSwarm {
  const s = new SessionSwarm({
    host: '127.0.0.1',
    port,
    count,
    firstIndex: 0,
    localAddresses,
    concurrency: 16,
    deadlineMs: 20_000,
  });
  fx.track(s);
  return s;
}

describe('session swarm (the connection benchmark’s miners)', () => {
  it('opens subscribed, authorized sessions from every source address in turn, and times a notify to all', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { proxy: { max_clients: 200 }, upstream: AS_BENCHED });
    const addresses = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
    const s = swarm(proxy.stratum.port, 60, addresses);
    const progress = await s.connect();
    expect(progress).toMatchObject({ ready: 60, failed: 0, closedAfterReady: 0, errors: {} });
    const sessions = proxy.core.snapshot().miners;
    expect(sessions.filter((x) => x.ready)).toHaveLength(60);
    for (const a of addresses) {
      expect(sessions.filter((x) => x.remote.startsWith(`${a}:`))).toHaveLength(20);
    }
    expect(new Set(sessions.flatMap((x) => x.workers))).toHaveProperty('size', 60);

    expect(s.arm()).toBe(60);
    const before = wallMs();
    const job = pool.newJob();
    const { arrivals, missing } = await s.collect(15_000);
    expect(missing).toBe(0);
    expect(arrivals).toHaveLength(60);
    for (const t of arrivals) expect(t).toBeGreaterThanOrEqual(before);
    expect(proxy.core.snapshot().upstream.latestJobId).toBe(job.jobId);
  });

  it('counts sessions the proxy refuses as failed, by reason, and still settles', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { proxy: { max_clients: 5 }, upstream: AS_BENCHED });
    const progress = await swarm(proxy.stratum.port, 8, ['127.0.0.2']).connect();
    expect(progress.ready).toBe(5);
    expect(progress.failed).toBe(3);
    expect(Object.values(progress.errors).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('reports nothing for sessions that get no notify within the wait', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, { upstream: AS_BENCHED });
    const s = swarm(proxy.stratum.port, 3, ['127.0.0.2']);
    await s.connect();
    expect(s.arm()).toBe(3);
    expect(await s.collect(200)).toEqual({ arrivals: [], missing: 3 });
  });
});
