import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../runtime/clock.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { codeOf, connectMiner, findShare, submit } from '../../simulator/pool/test-support/pool-harness.js';
import type { RunningProxy } from '../run-proxy.js';
import { PROXY_VERSION } from '../run-proxy.js';
import { ProxyMetrics } from './proxy-metrics.js';
import { parsePromText, promtoolCheck, sampleValue } from './test-support/prom-text.js';
import type { PromText } from './test-support/prom-text.js';
import { PATIENCE } from '../../test-support/patience.js';
import { proxyFixture } from '../test-support/proxy-fixture.js';

const fx = proxyFixture();

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;
const extra: ProxyMetrics[] = [];

afterEach(async () => {
  for (const m of extra.splice(0)) m.close();
});

/**
 * Names promtool's naming lint questions that are not ours to change: the Go karoo's (kept for its
 * dashboards) and prom-client's default Node metrics (gauges it names `_total`).
 */
const LINT_NOT_OURS = [
  'karoo_clients_active_count non-histogram and non-summary metrics should not have "_count" suffix',
  ...['handles', 'requests', 'resources'].map(
    (r) => `karoo_nodejs_active_${r}_total non-counter metrics should not have "_total" suffix`,
  ),
];

/** GET /metrics, checked by Prometheus's own parser (promtool), then read sample by sample. */
async function scrape(): Promise<PromText> {
  const res = await fetch(`${proxy?.httpUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const check = promtoolCheck(text);
  expect(check.parsed, check.output).toBe(true);
  expect(check.lint.filter((l) => !LINT_NOT_OURS.includes(l))).toEqual([]);
  return parsePromText(text);
}

const FAMILIES: [string, string][] = [
  ['karoo_info', 'gauge'],
  ['karoo_shares_total', 'counter'],
  ['karoo_shares_accepted_total', 'counter'],
  ['karoo_shares_rejected_total', 'counter'],
  ['karoo_pool_shares_total', 'counter'],
  ['karoo_accepted_difficulty_total', 'counter'],
  ['karoo_pool_accepted_difficulty_total', 'counter'],
  ['karoo_submit_latency_seconds', 'histogram'],
  ['karoo_worker_shares_total', 'counter'],
  ['karoo_worker_difficulty', 'gauge'],
  ['karoo_worker_hashrate', 'gauge'],
  ['karoo_hashrate', 'gauge'],
  ['karoo_vardiff_changes_total', 'counter'],
  ['karoo_clients_active_count', 'gauge'],
  ['karoo_connections_total', 'counter'],
  ['karoo_disconnects_total', 'counter'],
  ['karoo_connections_rejected_total', 'counter'],
  ['karoo_bans_total', 'counter'],
  ['karoo_authorize_failures_total', 'counter'],
  ['karoo_banned_addresses', 'gauge'],
  ['karoo_upstream_connected', 'gauge'],
  ['karoo_upstream_state', 'gauge'],
  ['karoo_upstream_difficulty', 'gauge'],
  ['karoo_last_notify_timestamp_seconds', 'gauge'],
  ['karoo_upstream_reconnects_total', 'counter'],
  ['karoo_process_cpu_seconds_total', 'counter'],
  ['karoo_nodejs_heap_size_used_bytes', 'gauge'],
];

describe('GET /metrics', () => {
  it('exposes every karoo_ family with HELP and TYPE, and values that follow the shares', async () => {
    const before = Date.now();
    pool = await fx.pool();
    // The pool keeps its difficulty (karoo_upstream_difficulty below), the miner its first one.
    proxy = await fx.startProxy(pool.port, { upstream: { suggest_difficulty: 'off' } });
    const m = await connectMiner(proxy.stratum.port, { worker: 'metrics.rig1' });
    fx.track(m.client);
    expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    expect(codeOf(await submit(m, findShare(m), 'gone-job'))).toBe(21);
    await vi.waitFor(
      () => expect(proxy?.core.snapshot().books.pool.totals.accepted, 'the pool answer').toBe(1),
      PATIENCE,
    );

    const p = await scrape();
    for (const [name, type] of FAMILIES) {
      expect(p.types.get(name), name).toBe(type);
      expect(p.helps.get(name)?.length ?? 0, name).toBeGreaterThan(5);
    }
    for (const s of p.samples) expect(s.name.startsWith('karoo_'), s.name).toBe(true);
    for (const name of p.types.keys()) expect(name.startsWith('karoo_'), name).toBe(true);

    expect(sampleValue(p, 'karoo_info', { version: PROXY_VERSION })).toBe(1);
    expect(sampleValue(p, 'karoo_shares_total', { result: 'accepted', reason: 'none' })).toBe(1);
    expect(sampleValue(p, 'karoo_shares_total', { result: 'rejected', reason: 'job-not-found' })).toBe(1);
    expect(sampleValue(p, 'karoo_pool_shares_total', { result: 'accepted', reason: 'none' })).toBe(1);
    expect(sampleValue(p, 'karoo_shares_accepted_total')).toBe(1);
    expect(sampleValue(p, 'karoo_shares_rejected_total')).toBe(0);
    expect(sampleValue(p, 'karoo_accepted_difficulty_total')).toBeCloseTo(m.difficulty, 12);
    expect(sampleValue(p, 'karoo_submit_latency_seconds_count')).toBe(1);
    expect(sampleValue(p, 'karoo_submit_latency_seconds_bucket', { le: '+Inf' })).toBe(1);
    expect(sampleValue(p, 'karoo_worker_shares_total', { worker: 'metrics.rig1', result: 'accepted' })).toBe(
      1,
    );
    expect(sampleValue(p, 'karoo_worker_shares_total', { worker: 'metrics.rig1', result: 'rejected' })).toBe(
      1,
    );
    expect(sampleValue(p, 'karoo_worker_difficulty', { worker: 'metrics.rig1' })).toBe(m.difficulty);
    // No hashrate until the books cover a minute (hashrate_warming_up in /status).
    expect(sampleValue(p, 'karoo_worker_hashrate', { worker: 'metrics.rig1' })).toBe(0);
    expect(sampleValue(p, 'karoo_clients_active_count')).toBe(1);
    expect(sampleValue(p, 'karoo_connections_total')).toBe(1);
    expect(sampleValue(p, 'karoo_upstream_connected')).toBe(1);
    expect(sampleValue(p, 'karoo_upstream_state', { state: 'ready' })).toBe(1);
    expect(sampleValue(p, 'karoo_upstream_state', { state: 'backoff' })).toBe(0);
    expect(sampleValue(p, 'karoo_upstream_difficulty')).toBe(pool.options.difficulty);
    const lastNotify = sampleValue(p, 'karoo_last_notify_timestamp_seconds') ?? 0;
    expect(lastNotify).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(lastNotify).toBeLessThanOrEqual(Date.now() / 1000);
    expect(sampleValue(p, 'karoo_upstream_reconnects_total')).toBe(0);
  });

  it('counts pool rejections, upstream reconnects and disconnects', async () => {
    pool = await fx.pool();
    // A cpuminer would start near its typical 5 MH/s: start it where this test can find a share.
    proxy = await fx.startProxy(pool.port, {
      vardiff: { min_diff: 1e-9, start_diff: pool.options.difficulty },
    });
    const m = await connectMiner(proxy.stratum.port, { worker: 'metrics.rig2', userAgent: 'cpuminer/2.5.1' });
    fx.track(m.client);
    pool.faults.inject({ action: 'reject', fraction: 1, code: 23 });
    expect(codeOf(await submit(m, findShare(m)))).toBeNull(); // the proxy accepted it; the pool did not
    await vi.waitFor(
      () => expect(proxy?.core.snapshot().books.pool.totals.rejected, 'the pool answer').toBe(1),
      PATIENCE,
    );
    pool.faults.inject({ action: 'drop' });
    await vi.waitFor(
      () =>
        expect(
          pool?.stats().totals.connections === 2 && proxy?.core.upstreamState === 'ready',
          'the upstream to come back',
        ).toBe(true),
      PATIENCE,
    );
    await m.client.close();
    await vi.waitFor(() => expect(proxy?.core.minerCount, 'the miner to be gone').toBe(0), PATIENCE);

    const p = await scrape();
    expect(sampleValue(p, 'karoo_pool_shares_total', { result: 'rejected', reason: 'low-difficulty' })).toBe(
      1,
    );
    expect(sampleValue(p, 'karoo_shares_rejected_total')).toBe(1);
    expect(sampleValue(p, 'karoo_upstream_reconnects_total')).toBe(1);
    // Closed by the miner, or by the proxy when the new pool session changed the extranonce.
    const disconnects = p.samples.filter((s) => s.name === 'karoo_disconnects_total');
    expect(disconnects.reduce((sum, s) => sum + s.value, 0)).toBe(1);
    expect(sampleValue(p, 'karoo_clients_active_count')).toBe(0);
  });

  it('bounds worker labels: past the limit workers are counted as "other"', async () => {
    pool = await fx.pool();
    proxy = await fx.startProxy(pool.port);
    const metrics = new ProxyMetrics(proxy.core, systemClock, {
      version: 'test',
      maxWorkerLabels: 2,
      processMetrics: false,
    });
    extra.push(metrics);
    for (const worker of ['w.a', 'w.b', 'w.c', 'w.d']) {
      const m = await connectMiner(proxy.stratum.port, { worker });
      fx.track(m.client);
      expect(codeOf(await submit(m, findShare(m)))).toBeNull();
    }
    const p = parsePromText(await metrics.metrics());
    const workers = p.samples
      .filter((s) => s.name === 'karoo_worker_shares_total')
      .map((s) => s.labels.worker);
    expect(new Set(workers)).toEqual(new Set(['w.a', 'w.b', 'other']));
    expect(sampleValue(p, 'karoo_worker_shares_total', { worker: 'other', result: 'accepted' })).toBe(2);
    const hashrate = p.samples.filter((s) => s.name === 'karoo_worker_hashrate').map((s) => s.labels.worker);
    expect(new Set(hashrate)).toEqual(new Set(['w.a', 'w.b', 'other']));
    expect(p.types.has('karoo_process_cpu_seconds_total')).toBe(false);
  });
});
