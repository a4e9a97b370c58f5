import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningTarget } from './fixture-sessions/fixture-target.js';
import { fixtureTargetOf, startFixtureTarget } from './fixture-sessions/fixture-target.js';
import { readRecording } from '../recording/read-recording.js';
import { expectReplayPasses } from './test-support/replay-passes.js';

const DIR = fileURLToPath(new URL('../fixtures/recordings/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();

let target: RunningTarget | undefined;

afterEach(async () => {
  await target?.stop();
  target = undefined;
});

describe('recorded fixtures replay against the kind of target they were recorded against', () => {
  it('there is a fixture of each simulated profile, stratum-client and the edge cases', () => {
    for (const name of ['nerdminer', 'bitaxe', 'cpu', 'gpu', 'edge-cases'])
      expect(FILES).toContain(`pool-${name}.jsonl`);
    for (const name of ['nerdminer', 'bitaxe', 'stratum-client', 'edge-cases'])
      expect(FILES).toContain(`karoo-${name}.jsonl`);
  });

  it.each(FILES)('%s', async (file) => {
    const recording = readRecording(join(DIR, file));
    const spec = fixtureTargetOf(recording.header.target);
    expect(spec, 'the header names its target').toBeDefined();
    if (spec === undefined) return;
    target = await startFixtureTarget(spec);
    const report = await expectReplayPasses(recording, target);
    expect(report.stats.minerLinesSent).toBeGreaterThan(0);
  });
});
