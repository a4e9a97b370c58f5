import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePromText } from '../../proxy/metrics/test-support/prom-text.js';
import type { RunningProxy } from '../../proxy/run-proxy.js';
import { startTestProxy } from '../../proxy/test-support/proxy-harness.js';
import { HISTOGRAM_SUFFIXES, KAROO_METRICS, KAROO_METRIC_NAMES } from './metric-names.js';
import { metricNamesIn } from './promql-names.js';

interface Target {
  refId: string;
  expr: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
}

const dashboard = JSON.parse(readFileSync(new URL('./karoo.json', import.meta.url), 'utf8')) as {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; definition?: string }[] };
};
const panels = dashboard.panels.filter((p) => p.type !== 'row');
const panelExprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
/** Panel queries and the series the template variables list values from. */
const exprs = [
  ...panelExprs,
  ...dashboard.templating.list.flatMap((v) =>
    v.definition ? [v.definition.replace(/^label_values\((.*), \w+\)$/, '$1')] : [],
  ),
];

/** A series name as its metric: histogram series lose their _bucket/_sum/_count. */
function metricOf(series: string): string {
  for (const suffix of HISTOGRAM_SUFFIXES) {
    const base = series.slice(0, -suffix.length);
    if (
      series.endsWith(suffix) &&
      (KAROO_METRICS as Record<string, { type: string }>)[base]?.type === 'histogram'
    )
      return base;
  }
  return series;
}

describe('metricNamesIn', () => {
  it('finds the metrics of a query and nothing else', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le) (rate(karoo_submit_latency_seconds_bucket{instance=~"$instance"}[$__rate_interval])))',
      ),
    ).toEqual(['karoo_submit_latency_seconds_bucket']);
    expect(metricNamesIn('time() - max(karoo_last_notify_timestamp_seconds{a="b c"}) * 1e3 + up')).toEqual([
      'karoo_last_notify_timestamp_seconds',
      'up',
    ]);
    expect(metricNamesIn('sum without (worker) (x_total) or on (job) y')).toEqual(['x_total', 'y']);
  });
});

describe('grafana/karoo.json', () => {
  it('is a Grafana dashboard with a stable uid, unique panel ids and a 24-column grid', () => {
    expect(dashboard).toMatchObject({ uid: 'karoo-proxy', title: 'Karoo proxy' });
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      expect(p.gridPos.h).toBeGreaterThan(0);
    }
    for (const p of panels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      const refs = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refs).size, p.title).toBe(refs.length);
    }
  });

  it('queries only the karoo_ metrics listed in metric-names.ts', () => {
    const used = new Set(exprs.flatMap(metricNamesIn).map(metricOf));
    expect([...used].filter((n) => !(KAROO_METRIC_NAMES as string[]).includes(n))).toEqual([]);
    expect([...used].every((n) => n.startsWith('karoo_'))).toBe(true);
    // Every listed metric is on the dashboard (the list is the dashboard's, not a wish list).
    expect(KAROO_METRIC_NAMES.filter((n) => !used.has(n))).toEqual([]);
  });

  it('has the panels the rack needs', () => {
    const byMetric = (name: string): string[] =>
      panels
        .filter((p) => (p.targets ?? []).some((t) => metricNamesIn(t.expr).map(metricOf).includes(name)))
        .map((p) => p.title);
    expect(byMetric('karoo_shares_total')).toEqual(['Shares answered to miners']);
    expect(byMetric('karoo_pool_shares_total')).toEqual(['Shares answered by the pool']);
    expect(byMetric('karoo_submit_latency_seconds')).toEqual(['Submit latency to the pool']);
    expect(byMetric('karoo_worker_hashrate')).toEqual(['Hashrate per worker']);
    expect(byMetric('karoo_worker_difficulty')).toEqual(['Difficulty per worker']);
    for (const name of [
      'karoo_clients_active_count',
      'karoo_upstream_connected',
      'karoo_upstream_difficulty',
    ]) {
      expect(byMetric(name).length, name).toBeGreaterThan(0);
    }
    const latency = panels.find((p) => p.title === 'Submit latency to the pool');
    expect(latency?.targets?.map((t) => /histogram_quantile\((0\.\d+)/.exec(t.expr)?.[1])).toEqual([
      '0.5',
      '0.95',
      '0.99',
    ]);
    // Per-worker panels follow the worker picker.
    expect(panelExprs.filter((e) => /karoo_worker_/.test(e) && !e.includes('worker=~"$worker"'))).toEqual([]);
  });
});

describe('the metrics a running proxy exports', () => {
  let proxy: RunningProxy | undefined;
  beforeAll(async () => {
    // Every family is declared before the first share: a proxy with no pool behind it will do.
    proxy = await startTestProxy(9);
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it('include every metric the dashboard reads, with its type', async () => {
    const res = await fetch(`${proxy?.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    const { types } = parsePromText(await res.text());
    const missing = KAROO_METRIC_NAMES.filter((n) => types.get(n) !== KAROO_METRICS[n].type);
    expect(missing.map((n) => `${n}: ${types.get(n) ?? 'absent'}`)).toEqual([]);
  });
});
