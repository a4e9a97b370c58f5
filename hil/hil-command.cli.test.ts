import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKarooSync } from '../test-support/built-command.js';
import { findElements, parseXml, textOf } from '../test-support/xml-check.js';
import type { SuiteResult } from './reports/suite-result.js';
import { failedCases } from './test-support/failed-cases.js';
import { SCENARIOS } from './scenarios/index.js';

/** The suite a default run selects (the soak is optional). */
const DEFAULT_SCENARIOS = SCENARIOS.filter((s) => s.optional !== true).map((s) => s.name);

const karoo = (...args: string[]) => runKarooSync(['hil', ...args], 120_000);

/** Option parsing is proved in process (hil-command.test.ts); this file runs what only the built command shows. */
describe('karoo hil (built CLI)', () => {
  it('--list names every scenario', () => {
    const r = karoo('--list');
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(SCENARIOS.map((s) => s.name));
    expect(r.stdout).toMatch(/^soak\s+long soak \(optional\)$/m);
  });

  it('a bad flag is one line on stderr and exit 2', () => {
    const r = karoo('--virtual', '2', '--scenario', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^karoo: --scenario: unknown scenario "nope" \(known: boots-and-connects, /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a --port path that is not there is one line naming it and exit 2', () => {
    const r = karoo('--port', '/dev/karoo-no-such-tty', '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'karoo: --port: no such serial port: /dev/karoo-no-such-tty (is the board plugged in?)\n',
    );
  });

  it("a taken port for the harness's proxy is one line naming it and exit 2", async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const r = karoo('--virtual', '1', '--listen', `127.0.0.1:${port}`, '--quiet');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `karoo hil: cannot start the bench: proxy.listen: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)\n`,
      );
      // --direct: the harness's pool takes the port, and says so in the same one line.
      const direct = karoo('--virtual', '1', '--direct', '--listen', `127.0.0.1:${port}`, '--quiet');
      expect(direct.status).toBe(2);
      expect(direct.stderr).toBe(
        `karoo hil: cannot start the bench: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
      );
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});

/**
 * The one end-to-end run of the whole suite through the harness's proxy: 2 virtual boards on real
 * socat ptys, the pool simulator and Karoo in front of it, as CI runs it. Each scenario's logic is
 * proved in memory (scenarios/*.test.ts); this proves the wiring, the exit code and the reports.
 */
describe('karoo hil --virtual 2 (the whole suite through the proxy)', () => {
  let dir: string;
  let run: ReturnType<typeof karoo>;
  let report: SuiteResult;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-hil-cli-'));
    // Twice the default hash rate: shares come twice as often, and two boards still fit on a core.
    run = karoo(
      '--virtual',
      '2',
      '--hashrate',
      '120000',
      '--junit',
      join(dir, 'out.xml'),
      '--json',
      join(dir, 'out.json'),
    );
    report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as SuiteResult;
  }, 150_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes every scenario: exit 0, a PASS line per case and the totals', () => {
    const failed = failedCases(report);
    expect(failed).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const board of ['virtual-1', 'virtual-2']) {
      for (const s of DEFAULT_SCENARIOS)
        expect(run.stdout).toMatch(new RegExp(`^PASS  ${board}  ${s} `, 'm'));
    }
    expect(run.stdout).toMatch(/^karoo hil: 14 passed, 0 failed, 0 skipped of 14 in /m);
  });

  it('ties every case to its session by worker name and records both sides (JSON report)', () => {
    expect(report.scenarios).toEqual(DEFAULT_SCENARIOS);
    expect(report.totals).toEqual({ tests: 14, passed: 14, failed: 0, skipped: 0 });
    expect(report.bench.kind).toBe('proxy');
    for (const c of report.cases) {
      const worker = report.boards.find((b) => b.name === c.board)?.worker;
      expect(worker).toMatch(new RegExp(`\\.${c.board}$`));
      expect(c.binding).toMatchObject({ by: 'worker', worker });
      expect(c.excerpt.length).toBeGreaterThan(0);
    }
    const byScenario = (name: string) => report.cases.filter((c) => c.scenario === name);
    for (const c of byScenario('boots-and-connects')) {
      expect(c.excerpt.map((l) => l.line)).toContain('NerdMiner v2 starting......');
      expect(c.details).toMatchObject({ firmware: 'nerdminer' });
    }
    for (const c of byScenario('difficulty-change')) {
      expect(c.details).toMatchObject({ poolBefore: 2e-5, poolAfter: 3e-5, sessionDifficulty: 3e-5 });
    }
    for (const c of byScenario('upstream-drop')) {
      // Resumed (same extranonce1: boards stay) or re-split (boards sent client.reconnect): which
      // one depends on timing; both branches are proved in scenarios/upstream-drop.test.ts.
      const { before, after } = c.details.upstreamExtranonce1 as { before: string; after: string };
      expect(c.details.boardReconnected).toBe(before !== after);
      expect(c.observations[0]).toMatchObject({
        kind: 'expected',
        message: expect.stringMatching(before !== after ? /client\.reconnect/ : /session resume/),
      });
    }
    for (const c of byScenario('reconnect-and-extranonce')) {
      expect(c.details).toMatchObject({ reconnectReaction: 'ignored', reconnected: true });
      expect(c.observations.map((o) => o.message)).toContain('client.reconnect from the proxy: ignored');
    }
  });

  it('writes a JUnit file with a suite per board and a case per scenario, each with its console excerpt', () => {
    const root = parseXml(readFileSync(join(dir, 'out.xml'), 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '14', failures: '0', errors: '0', skipped: '0' });
    expect(findElements(root, 'testsuite').map((s) => s.attributes.name)).toEqual([
      'karoo hil: virtual-1',
      'karoo hil: virtual-2',
    ]);
    const cases = findElements(root, 'testcase');
    expect(cases.map((c) => `${c.attributes.classname} ${c.attributes.name}`)).toEqual(
      ['virtual-1', 'virtual-2'].flatMap((b) => DEFAULT_SCENARIOS.map((s) => `${b} ${s}`)),
    );
    expect(findElements(root, 'failure')).toEqual([]);
    for (const c of cases) {
      expect(textOf(findElements(c, 'system-out')[0]!)).toMatch(/serial console \(\d+ lines/);
    }
  });
});
