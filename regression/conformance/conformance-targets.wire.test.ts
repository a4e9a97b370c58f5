import { afterEach, describe, expect, it } from 'vitest';
import { startTestProxy } from '../../proxy/test-support/proxy-harness.js';
import type { RunningProxy } from '../../proxy/run-proxy.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import { startTestPool } from '../../simulator/pool/test-support/pool-harness.js';
import { CHECK_IDS } from './catalogue.js';
import type { ConformanceReport } from './report.js';
import { formatConformanceReport, passed } from './report.js';
import { runConformance } from './run-conformance.js';

let pool: PoolSimulator | undefined;
let proxy: RunningProxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  await pool?.close();
  proxy = undefined;
  pool = undefined;
});

function expectAllPass(report: ConformanceReport): void {
  const text = formatConformanceReport(report, true);
  expect(report.checks.map((c) => c.id)).toEqual(CHECK_IDS);
  expect(
    report.checks.filter((c) => c.status !== 'PASS'),
    text,
  ).toEqual([]);
  expect(passed(report)).toBe(true);
  expect(report.summary).toEqual({ pass: CHECK_IDS.length, fail: 0, skip: 0 });
  for (const c of report.checks) expect(c.evidence.length, `${c.id} has evidence`).toBeGreaterThan(0);
}

describe('conformance of the pool simulator and of Karoo', () => {
  it('the pool simulator passes every check', async () => {
    const p = await startTestPool();
    pool = p;
    const report = await runConformance({
      target: { host: '127.0.0.1', port: p.port },
      hooks: { newBlock: () => void p.newBlock() },
    });
    expectAllPass(report);
    expect(report.difficulty).toEqual({ suggested: 1e-6, set: 1e-6 });
    const shares = p.stats().totals;
    expect(shares.accepted).toBeGreaterThanOrEqual(3);
  });

  it('Karoo in front of the pool simulator passes every check', async () => {
    const p = await startTestPool();
    pool = p;
    proxy = await startTestProxy(p.port);
    const report = await runConformance({
      target: { host: '127.0.0.1', port: proxy.stratum.port },
      hooks: { newBlock: () => void p.newBlock() },
    });
    expectAllPass(report);
    expect(report.target).toBe(proxy.url);
    // Karoo's answers are its own: the evidence shows its extranonce (pool's + a prefix), not the pool's.
    const sub = report.checks.find((c) => c.id === 'subscribe.answer');
    expect(sub?.reason).toMatch(/extranonce2_size 4$/);
  });
});
