import { checkXml } from '../../test-support/xml-check.js';
import { describe, expect, it } from 'vitest';
import { startPool } from '../../simulator/pool/index.js';
import { poolFixture } from '../../simulator/pool/test-support/pool-fixture.js';
import { toJUnitXml } from '../../runtime/junit-report.js';
import { conformanceSuite } from '../report-junit.js';
import { acceptEveryShare } from '../../peers/pool-handlers.js';
import { ScriptedPool } from '../../peers/scripted-pool.js';
import { passed } from './report.js';
import { runConformance } from './run-conformance.js';

const fx = poolFixture();

describe('conformance catches a pool that accepts every share unchecked', () => {
  it('fails exactly the checks that need a refusal, passes the rest', async () => {
    const b = fx.trackPool(
      await ScriptedPool.start({ difficulty: 1e-6, handlers: { 'mining.submit': acceptEveryShare } }),
    );
    const report = await runConformance({
      target: { host: '127.0.0.1', port: b.port },
      hooks: { newBlock: () => b.newJob(true) },
    });
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'subscribe.answer': 'PASS',
      'subscribe.extranonce2-size': 'PASS',
      authorize: 'PASS',
      'work.difficulty-before-notify': 'PASS',
      'work.notify-shape': 'PASS',
      'share.valid-accepted': 'PASS',
      'share.low-difficulty': 'FAIL',
      'share.duplicate': 'FAIL',
      'share.duplicate-hex-case': 'FAIL',
      'share.unknown-job': 'FAIL',
      'share.extranonce2-length': 'FAIL',
      'share.ntime-out-of-range': 'FAIL',
      'version-rolling.negotiate': 'PASS',
      'version-rolling.share-accepted': 'PASS',
      'version-rolling.bits-outside-mask': 'FAIL',
      'method.ping': 'PASS',
      'method.unknown': 'PASS',
      'line.oversized': 'PASS',
      'clean-jobs': 'FAIL',
    });
    expect(passed(report)).toBe(false);
    expect(report.summary.fail).toBe(8);

    // The evidence of a failure shows the share sent and the wrong answer received.
    const low = report.checks.find((c) => c.id === 'share.low-difficulty');
    expect(low?.reason).toMatch(/expected error 23, accepted$/);
    const sent = low?.evidence.find((e) => e.dir === 'sent');
    expect(sent?.line).toMatch(/"method":"mining.submit"/);
    const id = (JSON.parse(sent?.line ?? '{}') as { id: number }).id;
    expect(
      low?.evidence.some((e) => e.dir === 'received' && e.line === `{"id":${id},"result":true,"error":null}`),
    ).toBe(true);
    expect(report.checks.find((c) => c.id === 'clean-jobs')?.reason).toContain('expected error 21, accepted');

    // JUnit: one case per check, the eight failures as <failure>, and well-formed XML.
    const xml = toJUnitXml([conformanceSuite(report)]);
    expect(checkXml(xml)).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(19);
    expect(xml.match(/<failure /g)).toHaveLength(8);
    expect(xml).toContain('failures="8"');
  });

  it('an unreachable target fails the handshake and skips what needs work', async () => {
    const p = await startPool({ host: '127.0.0.1', port: 0 });
    const port = p.port;
    await p.close();
    const report = await runConformance({ target: { host: '127.0.0.1', port }, timeoutMs: 2000 });
    expect(passed(report)).toBe(false);
    const byStatus = (s: string) => report.checks.filter((c) => c.status === s).map((c) => c.id);
    expect(byStatus('FAIL')).toEqual([
      'subscribe.answer',
      'authorize',
      'work.difficulty-before-notify',
      'version-rolling.negotiate',
    ]);
    expect(report.checks.find((c) => c.id === 'subscribe.answer')?.reason).toContain('ECONNREFUSED');
    expect(byStatus('PASS')).toEqual([]);
  });

  it('without a way to make a block and no --clean-wait, clean-jobs is skipped with advice, not failed', async () => {
    const p = fx.trackPool(
      await startPool({
        host: '127.0.0.1',
        port: 0,
        difficulty: 1e-6,
        jobIntervalSeconds: 0,
        blockIntervalSeconds: 0,
      }),
    );
    const report = await runConformance({ target: { host: '127.0.0.1', port: p.port } });
    const clean = report.checks.find((c) => c.id === 'clean-jobs');
    expect(clean?.status).toBe('SKIP');
    expect(clean?.reason).toContain('--clean-wait');
    expect(passed(report)).toBe(true);
    expect(report.summary).toEqual({ pass: 18, fail: 0, skip: 1 });
  });

  it('a difficulty too high for the hashing budget skips the share checks, saying so', async () => {
    const p = fx.trackPool(
      await startPool({
        host: '127.0.0.1',
        port: 0,
        difficulty: 1,
        minDifficulty: 1,
        maxDifficulty: 1,
        jobIntervalSeconds: 0,
        blockIntervalSeconds: 0,
      }),
    );
    const report = await runConformance({ target: { host: '127.0.0.1', port: p.port }, hashBudget: 2000 });
    const valid = report.checks.find((c) => c.id === 'share.valid-accepted');
    expect(valid?.status).toBe('SKIP');
    expect(valid?.reason).toContain('--hash-budget 2000');
    expect(report.difficulty.set).toBe(1);
    // A share that misses difficulty 1 is easy to find: that check still runs.
    expect(report.checks.find((c) => c.id === 'share.low-difficulty')?.status).toBe('PASS');
  });
});
