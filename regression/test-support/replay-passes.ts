import { expect } from 'vitest';
import type { HostPort } from '../../peers/host-port.js';
import type { Recording } from '../../recording/format.js';
import { formatReplayReport } from '../replay/replay-report.js';
import type { ReplayReport } from '../replay/replay-report.js';
import type { TargetHooks } from '../replay/replayer.js';
import { replayRecording } from '../replay/replayer.js';

/** Replays `recording` against a running target and expects it to pass, every recorded line matched. */
export async function expectReplayPasses(
  recording: Recording,
  target: { address: HostPort; hooks: TargetHooks },
): Promise<ReplayReport> {
  const report = await replayRecording(recording, {
    target: target.address,
    hooks: target.hooks,
    password: 'x',
  });
  expect(report.passed, formatReplayReport(report)).toBe(true);
  expect(report.stats.matchedLines).toBe(report.stats.expectedLines);
  return report;
}
