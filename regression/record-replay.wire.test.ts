import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startMiner } from '../simulator/miners/index.js';
import type { SimulatedMiner } from '../simulator/miners/index.js';
import { startPool } from '../simulator/pool/index.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { poolAction, poolTarget, poolWorkMarks } from './capture/pool-marks.js';
import { readRecording } from '../recording/read-recording.js';
import { startRecorder } from './capture/recording-tap.js';
import type { RunningRecorder } from './capture/recording-tap.js';
import type { RunningTarget } from './replay/recreate-target.js';
import { recreateTarget, targetSpecOf } from './replay/recreate-target.js';
import { formatReplayReport } from './replay/replay-report.js';
import { replayRecording } from './replay/replayer.js';
import { expectReplayPasses } from './test-support/replay-passes.js';

let dir: string | undefined;
let pool: PoolSimulator | undefined;
let tap: RunningRecorder | undefined;
let miner: SimulatedMiner | undefined;
let recreated: RunningTarget | undefined;

afterEach(async () => {
  await miner?.stop();
  await tap?.close();
  await recreated?.stop();
  await pool?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  [dir, pool, tap, miner, recreated] = [undefined, undefined, undefined, undefined, undefined];
});

describe('record, then replay, a session during which the pool timer sent new work', () => {
  it('the recording marks the timer jobs, and replays pass on a recreated pool and on the same pool paused', async () => {
    dir = mkdtempSync(join(tmpdir(), 'karoo-record-replay-'));
    const p = await startPool({
      host: '127.0.0.1',
      port: 0,
      http: { host: '127.0.0.1', port: 0 },
      difficulty: 1e-6,
      maxDifficulty: 1e-6,
      // The pool's own job timer, as `karoo pool --job-interval` runs it (30 s by default).
      jobIntervalSeconds: 0.2,
      blockIntervalSeconds: 0,
    });
    pool = p;
    const poolHttp = p.httpUrl as string;
    const upstream = { host: '127.0.0.1', port: p.port };
    tap = await startRecorder({
      listen: { host: '127.0.0.1', port: 0 },
      upstream,
      outDir: dir,
      target: await poolTarget(poolHttp, upstream),
      markFor: poolWorkMarks(poolHttp),
    });
    const ended = new Promise<string>((resolve) => tap!.once('session-end', (s) => resolve(s.path)));
    const m = startMiner({ profile: 'cpu', url: tap.url, worker: 'rig.cpu-01', hashrate: 50_000 });
    miner = m;
    await vi.waitFor(
      () => {
        expect(m.stats().jobs).toBeGreaterThanOrEqual(4);
        expect(m.stats().accepted).toBeGreaterThanOrEqual(3);
      },
      { timeout: 20_000 },
    );
    await m.stop();
    miner = undefined;
    const recording = readRecording(await ended);

    expect(recording.header.target).toMatchObject({
      kind: 'pool-simulator',
      pool: { difficulty: 1e-6, jobIntervalSeconds: 0.2 },
    });
    const marks = recording.entries.filter((e) => e.kind === 'mark');
    expect(marks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(marks.map((e) => (e.kind === 'mark' ? e.event : '')))).toEqual(new Set(['new-job']));
    // Each mark sits right before the notify of the job the timer made.
    for (const mark of marks) {
      const next = recording.entries[recording.entries.indexOf(mark) + 1];
      expect(next).toMatchObject({
        kind: 'line',
        from: 'pool',
        line: expect.stringContaining('mining.notify'),
      });
    }

    // A pool recreated from the header, its timers off: the marks make its work.
    const spec = targetSpecOf(recording.header.target);
    expect(spec).toMatchObject({ kind: 'pool-simulator' });
    recreated = await recreateTarget(spec!);
    await expectReplayPasses(recording, recreated);

    // The same pool, still running its timer: paused for the replay, driven through its HTTP API.
    await poolAction(poolHttp, 'timers/pause');
    const same = await replayRecording(recording, {
      target: upstream,
      hooks: {
        newJob: () => poolAction(poolHttp, 'new-job'),
        newBlock: () => poolAction(poolHttp, 'new-block'),
      },
      password: 'x',
    });
    await poolAction(poolHttp, 'timers/resume');
    expect(same.passed, formatReplayReport(same)).toBe(true);
    expect(p.timersPaused).toBe(false);
  }, 60_000);
});
