import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/logger.js';
import { settle } from '../../../runtime/test-support/in-memory-line-pair.js';
import { ManualClock } from '../../../runtime/test-support/manual-clock.js';
import { seededRandom } from '../../../runtime/test-support/seeded-random.js';
import { DEFAULT_UPSTREAM_TIMINGS } from '../core-options.js';
import { FakePool } from '../test-support/fake-pool.js';
import type { UpstreamEndpoint } from './upstream-endpoint.js';
import type { UpstreamPolicy } from './upstream-manager.js';
import { UpstreamManager } from './upstream-manager.js';

const endpoint = (host: string): UpstreamEndpoint => ({
  host,
  port: 3333,
  user: `rack@${host}`,
  pass: 'x',
  tls: false,
  insecureSkipVerify: false,
});

/** A manager in front of one fake pool per host, on a manual clock. */
function managed(policy: Partial<UpstreamPolicy> = {}, hosts = ['primary.example']) {
  const clock = new ManualClock(5_000_000);
  const pools = new Map(hosts.map((h) => [h, new FakePool(clock)]));
  const policyIn: UpstreamPolicy = {
    endpoints: hosts.map(endpoint),
    mode: 'on-demand',
    idleGraceMs: 30_000,
    backoffMinMs: 1_000,
    backoffMaxMs: 60_000,
    primaryProbeMs: 30_000,
    notifyTimeoutMs: 300_000,
    timings: DEFAULT_UPSTREAM_TIMINGS,
    userAgent: 'karoo/test',
    ...policy,
  };
  const manager = new UpstreamManager(policyIn, {
    dial: (e) => (pools.get(e.host) as FakePool).dial(e),
    logger: silentLogger(),
    clock,
    random: seededRandom(11),
  });
  const lost: string[] = [];
  manager.on('lost', (r) => lost.push(r));
  const pool = (host = hosts[0] as string): FakePool => pools.get(host) as FakePool;
  const run = async (ms: number, step = 250): Promise<void> => {
    for (let t = 0; t < ms; t += step) await clock.tick(step);
  };
  return { clock, manager, pool, lost, policy: policyIn, run };
}

describe('UpstreamManager: when to dial', () => {
  it('on demand: dials at the first miner, hangs up the idle grace after the last', async () => {
    const t = managed();
    t.manager.start();
    await t.run(1_000);
    expect(t.pool().dialTimes).toEqual([]);
    t.manager.setDemand(1);
    await settle();
    expect(t.manager.state).toBe('ready');
    t.manager.setDemand(0);
    await t.run(29_000);
    expect(t.manager.state).toBe('ready');
    await t.run(1_000);
    expect(t.manager.state).toBe('idle');
    expect(t.lost).toEqual(['idle']);
    expect(t.pool().open).toEqual([]);
  });

  it('keep-warm: dials at start with no miner; a reload to on-demand arms the hang-up', async () => {
    const t = managed({ mode: 'keep-warm' });
    t.manager.start();
    await settle();
    expect(t.manager.state).toBe('ready');
    t.manager.reconfigure({ ...t.policy, mode: 'on-demand', idleGraceMs: 5_000 });
    await t.run(5_000);
    expect(t.manager.state).toBe('idle');
    t.manager.reconfigure({ ...t.policy, mode: 'keep-warm' });
    await settle();
    expect(t.manager.state).toBe('ready');
  });
});

describe('UpstreamManager: failures', () => {
  it('backs off with a doubling ceiling while the pool refuses, then mines when it answers', async () => {
    const t = managed();
    t.pool().mode = 'refuse';
    t.manager.setDemand(1);
    await t.run(120_000);
    const dials = t.pool().dialTimes;
    const gaps = dials.slice(1).map((at, i) => at - (dials[i] as number));
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(250);
      expect(gap).toBeLessThanOrEqual(Math.min(60_000, 1_000 * 2 ** i) + 250);
    });
    expect(t.manager.view()).toMatchObject({
      attempt: dials.length,
      lastError: expect.stringMatching(/ECONNREFUSED/) as unknown,
    });
    t.pool().mode = 'normal';
    await t.run(61_000);
    expect(t.manager.state).toBe('ready');
  });

  it('fails over after two failures, and returns to the primary once a probe reaches it', async () => {
    const t = managed({ primaryProbeMs: 10_000 }, ['primary.example', 'backup.example']);
    t.pool('primary.example').mode = 'refuse';
    t.manager.setDemand(1);
    await t.run(5_000);
    expect(t.manager.view()).toMatchObject({ state: 'ready', endpointIndex: 1 });
    expect(t.pool('backup.example').live[0]?.user).toBe('rack@backup.example');
    t.pool('primary.example').mode = 'normal';
    await t.run(10_000);
    expect(t.manager.view()).toMatchObject({ state: 'ready', endpointIndex: 0 });
    expect(t.lost).toEqual(['returning-to-primary']);
    expect(t.pool('backup.example').open).toEqual([]);
  });

  it('counts a hung handshake as a failure (handshake timeout), not a session', async () => {
    const t = managed();
    t.pool().mode = 'hang';
    t.manager.setDemand(1);
    await t.run(DEFAULT_UPSTREAM_TIMINGS.handshakeTimeoutMs + 500);
    expect(t.manager.view()).toMatchObject({
      attempt: 1,
      lastError: expect.stringMatching(/timed out/) as unknown,
    });
    expect(t.pool().open).toEqual([]);
  });
});

describe('UpstreamManager: client.reconnect', () => {
  it('waits the pool’s wait before dialling the new address', async () => {
    const t = managed();
    t.manager.setDemand(1);
    await settle();
    t.pool().connections[0]?.end.send(
      JSON.stringify({ id: null, method: 'client.reconnect', params: ['primary.example', 3334, 10] }),
    );
    await settle();
    expect(t.lost).toEqual(['client.reconnect']);
    await t.run(9_750);
    expect(t.pool().dialed).toHaveLength(1);
    await t.run(500);
    expect(t.pool().dialed.map((e) => e.port)).toEqual([3333, 3334]);
    expect(t.manager.state).toBe('ready');
  });
});
