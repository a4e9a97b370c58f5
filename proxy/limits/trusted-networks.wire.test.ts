import { describe, expect, it, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();

// The default rate (60 new connections a minute from one address) and a tight count, with the limits on.
const limits = (trusted: string[]) => ({
  ratelimit: { enabled: true, max_connections_per_ip: 10, trusted },
});

describe('ratelimit.trusted over real sockets', () => {
  it('100 miners from one address in a trusted range all get in, none refused or banned', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, limits(['127.0.0.0/8', 'fd00::/8']));
    expect(proxy.limits.snapshot().ratelimit).toMatchObject({
      max_connections_per_ip: 10,
      max_connections_per_minute: 60,
      trusted: ['127.0.0.0/8', 'fd00::/8'],
    });
    for (let i = 0; i < 100; i += 1) {
      const miner = await fx.miner({ worker: `lan.rig${String(i).padStart(3, '0')}` });
      expect(miner.job.jobId, `miner ${i} has a job`).toBeTruthy();
    }
    expect(proxy.core.minerCount).toBe(100);
    const snapshot = proxy.limits.snapshot();
    expect(snapshot.refused).toEqual({});
    expect(snapshot.banned).toEqual([]);
    expect(snapshot.bans_total).toBe(0);
  });

  it('the same from an address outside the trusted ranges: refused past the count, banned past the rate', async () => {
    const pool = await fx.pool();
    const proxy = await fx.startProxy(pool.port, limits(['192.168.1.0/24']));
    for (let i = 0; i < 70; i += 1) await fx.client();
    await vi.waitFor(() => expect(proxy.limits.snapshot().banned).toHaveLength(1), PATIENCE);
    const { refused, banned } = proxy.limits.snapshot();
    expect(banned[0]).toMatchObject({ ip: '127.0.0.1', reason: 'connection flood' });
    expect(refused['per-ip']).toBeGreaterThan(0);
    expect(refused.rate).toBe(1);
    expect(proxy.core.minerCount).toBeLessThanOrEqual(10);
  });
});
