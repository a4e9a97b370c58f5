import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElements, parseXml, textOf } from '../../regression/test-support/xml-check.js';
import type { SuiteResult } from '../reports/suite-result.js';
import { SCENARIOS } from '../scenarios/index.js';
import type { Bench } from './bench.js';
import { startLocalBench } from './local-bench.js';
import { defaultStratumUrl } from './remote-bench.js';
import { runHil } from './run-hil.js';

/** The suite a default run selects (the soak is optional). */
const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => s.optional !== true).map((s) => s.name);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'karoo-hil-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function failures(result: SuiteResult): string[] {
  return result.cases
    .filter((c) => c.status === 'failed')
    .map((c) => `${c.board} ${c.scenario}: ${c.message}\n${c.excerpt.map((l) => `  ${l.line}`).join('\n')}`);
}

describe('the HIL suite on 2 virtual boards', () => {
  it('passes every scenario through the harness proxy, with both sides tied and reported', async () => {
    const junit = join(dir, 'out.xml');
    const json = join(dir, 'out.json');
    const result = await runHil({ virtual: 2, junit, json });

    expect(failures(result)).toEqual([]);
    expect(result.scenarios).toEqual(DEFAULT_SCENARIOS);
    expect(result.totals).toEqual({ tests: 14, passed: 14, failed: 0, skipped: 0 });
    expect(result.bench.kind).toBe('proxy');
    for (const c of result.cases) {
      const worker = result.boards.find((b) => b.name === c.board)?.worker;
      expect(worker).toMatch(new RegExp(`\\.${c.board}$`));
      expect(c.binding).toMatchObject({ by: 'worker', worker });
      expect(c.excerpt.length).toBeGreaterThan(0);
    }
    const byScenario = (name: string) => result.cases.filter((c) => c.scenario === name);
    for (const c of byScenario('boots-and-connects')) {
      expect(c.excerpt.map((l) => l.line)).toContain('NerdMiner v2 starting......');
      expect(c.details).toMatchObject({ firmware: 'nerdminer' });
    }
    for (const c of byScenario('difficulty-change')) {
      expect(c.details).toMatchObject({ poolBefore: 2e-5, poolAfter: 3e-5, sessionDifficulty: 3e-5 });
    }
    for (const c of byScenario('upstream-drop')) {
      // The pool may resume the proxy's session (same extranonce1: boards stay) or not (re-split:
      // NerdMiners are sent client.reconnect and must come back); which depends on timing.
      const { before, after } = c.details.upstreamExtranonce1 as { before: string; after: string };
      expect(c.details.boardReconnected).toBe(before !== after);
      expect(c.observations[0]).toMatchObject({
        kind: 'expected',
        message: expect.stringMatching(before !== after ? /client\.reconnect/ : /session resume/),
      });
    }
    for (const c of byScenario('reconnect-and-extranonce')) {
      expect(c.details).toMatchObject({ reconnectReaction: 'ignored', reconnected: true });
      expect(c.observations.filter((o) => o.kind === 'finding')).toEqual([]);
      expect(c.observations.map((o) => o.message)).toContain('client.reconnect from the proxy: ignored');
    }

    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '14', failures: '0', skipped: '0' });
    const cases = findElements(root, 'testcase');
    expect(cases.map((c) => `${c.attributes.classname} ${c.attributes.name}`)).toEqual(
      ['virtual-1', 'virtual-2'].flatMap((b) => DEFAULT_SCENARIOS.map((s) => `${b} ${s}`)),
    );
    for (const c of cases) {
      expect(findElements(c, 'failure')).toEqual([]);
      expect(textOf(findElements(c, 'system-out')[0]!)).toMatch(/serial console \(\d+ lines/);
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as SuiteResult;
    expect(report.totals).toEqual(result.totals);
  }, 120_000);
});

describe('the HIL suite against a running proxy (--proxy)', () => {
  let bench: Bench | undefined;
  afterAll(async () => {
    await bench?.close();
  });

  it('ties the board through GET /status and skips what needs the pool, saying why', async () => {
    bench = await startLocalBench({ mode: 'proxy', difficulty: 2e-5, listen: '127.0.0.1:0' });
    const result = await runHil({ virtual: 1, proxyUrl: bench.proxyUrl!, stratumUrl: bench.stratumUrl });
    expect(failures(result)).toEqual([]);
    expect(result.bench).toMatchObject({ kind: 'remote-proxy', proxyUrl: bench.proxyUrl });
    expect(result.cases.map((c) => [c.scenario, c.status])).toEqual([
      ['boots-and-connects', 'passed'],
      ['subscribe-authorize', 'passed'],
      ['shares-accepted', 'passed'],
      ['difficulty-change', 'skipped'],
      ['upstream-drop', 'skipped'],
      ['reconnect-and-extranonce', 'skipped'],
      ['hashrate-band', 'passed'],
    ]);
    for (const c of result.cases.filter((c) => c.status === 'skipped')) {
      expect(c.message).toMatch(/pool simulator \(not available with --proxy/);
    }
  }, 90_000);

  it('assumes the Stratum port 3334 on the proxy host unless --stratum says otherwise', () => {
    expect(defaultStratumUrl('http://10.0.0.5:8080')).toBe('stratum+tcp://10.0.0.5:3334');
    expect(() => defaultStratumUrl('10.0.0.5:8080')).toThrow('--proxy: expected http://HOST:PORT');
  });
});

const HIL_PORT = process.env.KAROO_HIL_PORT;
if (!HIL_PORT) {
  console.log(
    'real-board suite skipped: KAROO_HIL_PORT is not set (e.g. KAROO_HIL_PORT=/dev/ttyACM0 npx vitest run hil/runner/hil-suite.hil.test.ts; see hil/README.md)',
  );
}

describe('the HIL suite on a real board (KAROO_HIL_PORT)', () => {
  it.skipIf(!HIL_PORT)(
    'passes every scenario on the board named by KAROO_HIL_PORT, mining to this machine',
    async () => {
      const worker = process.env.KAROO_HIL_WORKER;
      const result = await runHil({
        ports: [HIL_PORT!],
        ...(worker !== undefined && worker !== '' && { workers: [worker] }),
        listen: process.env.KAROO_HIL_LISTEN ?? '0.0.0.0:3334',
        junit: join(dir, 'real.xml'),
        onProgress: (e) => {
          if (e.type === 'case-end')
            console.log(`${e.result.status} ${e.result.scenario} ${e.result.message ?? ''}`);
        },
      });
      expect(failures(result)).toEqual([]);
    },
    30 * 60_000,
  );
});
