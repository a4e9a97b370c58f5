import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PATIENCE } from '../../test-support/patience.js';
import { writeReports } from '../reports/write-reports.js';
import { findElements, parseXml } from '../../test-support/xml-check.js';
import { selectScenarios } from '../scenarios/index.js';
import type { VirtualBoard } from '../virtual/virtual-board.js';
import { createVirtualBoards } from '../virtual/virtual-board.js';
import type { Bench } from './bench.js';
import { DEFAULT_VIRTUAL_DIFFICULTY } from './local-bench.js';
import { startDirectBench } from './pool-bench.js';
import { runSuite } from './run-suite.js';
import { VIRTUAL_TIMING, virtualHashrateBandKhs } from './timing.js';

let dir: string | undefined;
let boards: VirtualBoard[] = [];
let bench: Bench | undefined;

afterEach(async () => {
  await Promise.all(boards.map((b) => b.close()));
  await bench?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  boards = [];
  bench = undefined;
  dir = undefined;
});

describe('a virtual board unplugged mid-run', () => {
  it('fails its running and later cases with BOARD_GONE; the other board and the report carry on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-hil-gone-'));
    bench = await startDirectBench({
      host: '127.0.0.1',
      port: 0,
      difficulty: DEFAULT_VIRTUAL_DIFFICULTY,
      maxDifficulty: DEFAULT_VIRTUAL_DIFFICULTY,
    });
    // Twice the default hash rate, so the other board's shares come twice as often.
    boards = await createVirtualBoards(2, { stratumUrl: bench.stratumUrl, ptyDir: dir, hashrate: 120_000 });
    const [lost, kept] = boards as [VirtualBoard, VirtualBoard];
    const result = await runSuite({
      boards: boards.map((b) => ({
        handle: b,
        worker: b.worker,
        virtual: true,
        hashrateBandKhs: virtualHashrateBandKhs(120_000),
      })),
      bench,
      timing: VIRTUAL_TIMING,
      scenarios: selectScenarios(['boots-and-connects', 'shares-accepted', 'hashrate-band']),
      onProgress: (e) => {
        // Pulling the cable: socat (started by this test, through the board) dies with its ptys.
        if (e.type === 'case-start' && e.board === lost.name && e.scenario === 'shares-accepted') {
          process.kill(lost.pty.pid!, 'SIGKILL');
        }
      },
    });

    const outcome = (board: string) =>
      result.cases.filter((c) => c.board === board).map((c) => [c.scenario, c.status, c.errorCode]);
    expect(outcome(lost.name)).toEqual([
      ['boots-and-connects', 'passed', undefined],
      ['shares-accepted', 'failed', 'BOARD_GONE'],
      ['hashrate-band', 'failed', 'BOARD_GONE'],
    ]);
    expect(outcome(kept.name).map(([, status]) => status)).toEqual(['passed', 'passed', 'passed']);
    const gone = result.cases.find((c) => c.board === lost.name && c.scenario === 'hashrate-band');
    expect(gone?.message).toMatch(/^board virtual-1 is gone: /);
    // The board lost power with its cable: its firmware stopped and its TCP session closed.
    await vi.waitFor(
      async () => expect((await bench!.sessions()).map((v) => v.worker)).not.toContain(lost.worker),
      PATIENCE,
    );
    expect(lost.miner).toBeUndefined();

    const junit = join(dir, 'out.xml');
    await writeReports(result, { junit });
    const root = parseXml(readFileSync(junit, 'utf8'));
    expect(root.attributes).toMatchObject({ tests: '6', failures: '2' });
    const failed = findElements(root, 'testcase').filter((c) => findElements(c, 'failure').length > 0);
    expect(failed.map((c) => [c.attributes.classname, c.attributes.name])).toEqual([
      ['virtual-1', 'shares-accepted'],
      ['virtual-1', 'hashrate-band'],
    ]);
    expect(findElements(failed[0]!, 'failure')[0]!.attributes.type).toBe('BOARD_GONE');
  }, 120_000);
});
