import { describe, expect, it } from 'vitest';
import { coreBench } from './test-support/core-bench.js';

describe('what brings the upstream up (on demand)', () => {
  it('a bare connection (a load balancer’s TCP probe) dials nothing; a mining.subscribe does', async () => {
    const b = coreBench();
    const probe = b.connect('probe');
    await b.settle();
    await b.tick(1_000);
    expect(b.pool.dialTimes).toEqual([]);
    expect(b.core.upstreamState).toBe('idle');
    probe.close();
    const m = b.connect('rig');
    m.subscribe();
    await b.settle();
    expect(b.pool.dialTimes).toHaveLength(1);
    expect(b.core.upstreamState).toBe('ready');
    m.close();
    await b.settle();
    await b.tick(b.options.idleGraceMs);
    expect(b.core.upstreamState).toBe('idle');
  });

  it('keeps the upstream while one subscribed miner remains, whatever the unsubscribed ones do', async () => {
    const b = coreBench();
    const m = await b.miner('rig');
    const idle = b.connect('idle');
    await b.settle();
    idle.close();
    await b.settle();
    await b.tick(b.options.idleGraceMs + 1_000);
    expect(b.core.upstreamState).toBe('ready');
    expect(m.isClosed).toBe(false);
  });
});
