import { describe, expect, it } from 'vitest';
import { coreBench, TEST_ENDPOINT } from './test-support/core-bench.js';

describe('reconfigure(): the pool list applies live', () => {
  it('moves the upstream over to a new primary without dropping miners: dialled first, then the old retired', async () => {
    const b = coreBench();
    const axe = await b.miner('rig.axe', { extranonceSubscribe: true });
    const nerd = await b.miner('rig.nerd');
    const before = b.pool.live[0];
    const next = { ...TEST_ENDPOINT, host: 'stratum2.pool.example', user: 'rack.moved' };
    b.core.reconfigure({ ...b.options, endpoints: [next] });
    await b.settle();
    expect(b.pool.dialed.map((e) => `${e.host}/${e.user}`)).toEqual([
      'stratum.pool.example/rack.upstream',
      'stratum2.pool.example/rack.moved',
    ]);
    // The new session took over; the old one was retired (no verdict owed, so closed at once).
    expect(b.core.snapshot().upstream).toMatchObject({
      state: 'ready',
      endpoint: { host: 'stratum2.pool.example' },
    });
    expect(before?.end.isClosed).toBe(true);
    // The extranonce changed: the extranonce-aware miner was told, the NerdMiner reconnected.
    expect(axe.isClosed).toBe(false);
    expect(axe.notifications.some((n) => n.method === 'mining.set_extranonce')).toBe(true);
    expect(nerd.isClosed).toBe(true);
    b.pool.newJob({ clean: false });
    await b.settle();
    const share = axe.submit('valid') as number;
    await b.settle();
    expect(axe.answer(share)?.result).toBe(true);
    expect(b.pool.received.at(-1)).toMatchObject({ verdict: 'accepted' });
  });

  it('keeps the old session serving when the new pool cannot be reached, and says why', async () => {
    const b = coreBench();
    const m = await b.miner('rig.stay', { extranonceSubscribe: true });
    b.pool.mode = 'hang';
    b.core.reconfigure({ ...b.options, endpoints: [{ ...TEST_ENDPOINT, port: 4444 }] });
    await b.settle();
    await b.tick(b.options.upstream.handshakeTimeoutMs);
    expect(b.core.snapshot().upstream).toMatchObject({
      state: 'ready',
      endpoint: { port: 3333 },
      lastError: expect.stringMatching(/moving over to .*:4444: handshake .* timed out/) as unknown,
    });
    const share = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(share)?.result).toBe(true);
  });

  it('leaves the session alone when only a backup it does not use changed, and applies the backoff at once', async () => {
    const b = coreBench();
    await b.miner('rig.same');
    const backup = { ...TEST_ENDPOINT, host: 'backup.pool.example' };
    b.core.reconfigure({ ...b.options, endpoints: [TEST_ENDPOINT, backup], backoffMinMs: 5_000 });
    await b.settle();
    expect(b.pool.dialed).toHaveLength(1);
    expect(b.core.options.backoffMinMs).toBe(5_000);
    b.pool.mode = 'refuse';
    b.pool.dropAll();
    await b.settle();
    // The first redial waits at least a quarter of the new minimum (full jitter).
    await b.tick(1_249);
    expect(b.pool.dialed).toHaveLength(1);
  });
});
