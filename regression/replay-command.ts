import type { Command } from 'commander';
import { UsageError } from '../cli/usage-error.js';
import { createLogger } from '../runtime/logger.js';
import { integerFlag, urlFlag, writeReport } from './cli-flags.js';
import { toJUnitXml } from './junit.js';
import { DEFAULT_HASH_BUDGET } from './mining/share-miner.js';
import { RecordingFormatError, readRecording } from './recording/read-recording.js';
import type { Recording } from './recording/format.js';
import { replaySuite } from './report-junit.js';
import type { ReplayReport } from './replay/replay-report.js';
import { formatReplayReport } from './replay/replay-report.js';
import { DEFAULT_REPLAY_TIMEOUT_MS, replayRecording } from './replay/replayer.js';

interface ReplayFlags {
  target: string;
  junit?: string;
  json?: string;
  password?: string;
  timeout?: string;
  hashBudget?: string;
}

/** `karoo replay`: plays recordings' miner side against a target and compares the answers. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'replay recorded sessions against a pool or proxy and compare its answers with the recorded ones',
    )
    .argument('<files...>', 'recordings (karoo record output, or fixtures/recordings/*.jsonl)')
    .requiredOption('--target <url>', 'the pool or proxy: stratum+tcp://HOST:PORT')
    .option('--junit <file>', 'write a JUnit XML report (one suite per recording)')
    .option('--json <file>', 'write the full reports as JSON')
    .option('--password <text>', 'sent where a recording has a redacted authorize password')
    .option(
      '--timeout <ms>',
      `how long to wait for each expected line (default ${DEFAULT_REPLAY_TIMEOUT_MS})`,
    )
    .option('--hash-budget <n>', `hashes tried per re-mined share (default ${DEFAULT_HASH_BUDGET})`)
    .action(async (files: string[], flags: ReplayFlags) => {
      const target = urlFlag(flags.target, '--target');
      const timeoutMs = integerFlag(flags.timeout, '--timeout', DEFAULT_REPLAY_TIMEOUT_MS, 1);
      const hashBudget = integerFlag(flags.hashBudget, '--hash-budget', DEFAULT_HASH_BUDGET, 1);
      const recordings: Recording[] = files.map((f) => {
        try {
          return readRecording(f);
        } catch (err) {
          if (err instanceof RecordingFormatError) throw new UsageError(err.message);
          throw err;
        }
      });
      const logger = createLogger('karoo-replay', process.env.KAROO_LOG_LEVEL ?? 'warn');
      const reports: ReplayReport[] = [];
      for (const recording of recordings) {
        const report = await replayRecording(recording, {
          target,
          timeoutMs,
          hashBudget,
          logger,
          ...(flags.password === undefined ? {} : { password: flags.password }),
        });
        reports.push(report);
        process.stdout.write(`${formatReplayReport(report)}\n`);
      }
      const failed = reports.filter((r) => !r.passed).length;
      process.stdout.write(
        `${reports.length} recording(s): ${reports.length - failed} passed, ${failed} failed\n`,
      );
      if (flags.junit !== undefined)
        writeReport(flags.junit, toJUnitXml(reports.map(replaySuite)), '--junit');
      if (flags.json !== undefined)
        writeReport(flags.json, `${JSON.stringify(reports, null, 2)}\n`, '--json');
      if (failed > 0) process.exitCode = 1;
    });
}
