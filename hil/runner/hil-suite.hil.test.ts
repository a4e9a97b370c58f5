import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { failedCases } from '../test-support/failed-cases.js';
import type { Bench } from './bench.js';
import { startLocalBench } from './local-bench.js';
import { runHil } from './run-hil.js';

// The whole suite through the harness's own proxy runs once, through the built command
// (hil/hil-command.cli.test.ts); --direct in hil-direct.hil.test.ts; a board that dies in
// board-gone.hil.test.ts; a reset that fails in hil/hil-reset-failure.hil.test.ts.

describe('the HIL suite against a running proxy (--proxy)', () => {
  let bench: Bench | undefined;
  afterAll(async () => {
    await bench?.close();
  });

  it('ties the board through GET /status and skips what needs the pool, saying why', async () => {
    bench = await startLocalBench({ mode: 'proxy', difficulty: 2e-5, listen: '127.0.0.1:0' });
    const result = await runHil({
      virtual: 1,
      proxyUrl: bench.proxyUrl!,
      stratumUrl: bench.stratumUrl,
      scenarios: ['subscribe-authorize', 'difficulty-change', 'upstream-drop'],
    });
    expect(failedCases(result)).toEqual([]);
    expect(result.bench).toMatchObject({ kind: 'remote-proxy', proxyUrl: bench.proxyUrl });
    expect(result.cases.map((c) => [c.scenario, c.status])).toEqual([
      ['subscribe-authorize', 'passed'],
      ['difficulty-change', 'skipped'],
      ['upstream-drop', 'skipped'],
    ]);
    expect(result.cases[0]!.binding).toMatchObject({ by: 'worker', worker: result.boards[0]!.worker });
    expect(result.cases[0]!.details).toMatchObject({ worker: result.boards[0]!.worker });
    for (const c of result.cases.filter((c) => c.status === 'skipped')) {
      expect(c.message).toMatch(/pool simulator \(not available with --proxy/);
    }
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
      const dir = mkdtempSync(join(tmpdir(), 'karoo-hil-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
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
      expect(failedCases(result)).toEqual([]);
    },
    30 * 60_000,
  );
});
