import type { Command } from 'commander';
import { UsageError } from '../runtime/usage-error.js';
import { createLogger } from '../runtime/logger.js';
import { httpUrlFlag, integerFlag, urlFlag, writeReport } from './cli-flags.js';
import { toJUnitXml } from '../runtime/junit-report.js';
import { DEFAULT_HASH_BUDGET } from './mining/share-miner.js';
import { RecordingFormatError, readRecording } from '../recording/read-recording.js';
import type { Recording } from '../recording/format.js';
import { replaySuite } from './report-junit.js';
import type { ReplayReport } from './replay/replay-report.js';
import { formatReplayReport } from './replay/replay-report.js';
import { DEFAULT_REPLAY_TIMEOUT_MS, replayRecording } from './replay/replayer.js';
import type { TargetHooks } from './replay/replayer.js';
import type { TargetSpec } from './replay/recreate-target.js';
import { recreateTarget, targetSpecOf } from './replay/recreate-target.js';
import { PoolControlError, poolAction } from './capture/pool-marks.js';

interface ReplayFlags {
  target?: string;
  poolHttp?: string;
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
    .option(
      '--target <url>',
      'a running pool or proxy, stratum+tcp://HOST:PORT (default: start, for each recording, the target its header names)',
    )
    .option(
      '--pool-http <url>',
      "with --target: the pool simulator's HTTP API (karoo pool --http); its timers are paused and the recording's marks make its new jobs and blocks",
    )
    .option('--junit <file>', 'write a JUnit XML report (one suite per recording)')
    .option('--json <file>', 'write the full reports as JSON')
    .option('--password <text>', 'sent where a recording has a redacted authorize password')
    .option(
      '--timeout <ms>',
      `how long to wait for each expected line (default ${DEFAULT_REPLAY_TIMEOUT_MS})`,
    )
    .option('--hash-budget <n>', `hashes tried per re-mined share (default ${DEFAULT_HASH_BUDGET})`)
    .action(async (files: string[], flags: ReplayFlags) => {
      const target = flags.target === undefined ? undefined : urlFlag(flags.target, '--target');
      if (flags.poolHttp !== undefined && target === undefined) {
        throw new UsageError('--pool-http goes with --target (without it each recording gets its own pool)');
      }
      const poolHttp = flags.poolHttp === undefined ? undefined : httpUrlFlag(flags.poolHttp, '--pool-http');
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
      const specs = target === undefined ? recordings.map((r, i) => recreatable(r, files[i] as string)) : [];
      const logger = createLogger('karoo-replay', process.env.KAROO_LOG_LEVEL ?? 'warn');
      // The targets started here are provoked on purpose (oversized lines, bad shares): errors only.
      const targetLogger = createLogger('karoo-replay', process.env.KAROO_LOG_LEVEL ?? 'error');
      const common = {
        timeoutMs,
        hashBudget,
        logger,
        ...(flags.password === undefined ? {} : { password: flags.password }),
      };
      const reports: ReplayReport[] = [];
      const print = (report: ReplayReport): void => {
        reports.push(report);
        process.stdout.write(`${formatReplayReport(report)}\n`);
      };
      if (target === undefined) {
        for (const [i, recording] of recordings.entries()) {
          const running = await recreateTarget(specs[i] as TargetSpec, targetLogger);
          try {
            print(
              await replayRecording(recording, { ...common, target: running.address, hooks: running.hooks }),
            );
          } finally {
            await running.stop();
          }
        }
      } else {
        await withPausedPool(poolHttp, async (hooks) => {
          for (const recording of recordings) {
            print(await replayRecording(recording, { ...common, target, ...(hooks ? { hooks } : {}) }));
          }
        });
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

/** The target a recording's header names; a usage error when it names none that can be started. */
function recreatable(recording: Recording, file: string): TargetSpec {
  const spec = targetSpecOf(recording.header.target);
  if (spec !== undefined) return spec;
  const kind = recording.header.target?.kind;
  throw new UsageError(
    `${file}: its header names no target to start (${kind === undefined ? 'no target' : `target kind ${JSON.stringify(kind)}`}); replay it against a running one with --target`,
  );
}

/**
 * Runs `work` with the pool simulator's timers paused and hooks that ask it for the recording's
 * new jobs and blocks; resumes the timers afterwards (also on Ctrl-C). Without `poolHttp`, no hooks.
 */
async function withPausedPool(
  poolHttp: string | undefined,
  work: (hooks: TargetHooks | undefined) => Promise<void>,
): Promise<void> {
  if (poolHttp === undefined) return work(undefined);
  const act = async (action: Parameters<typeof poolAction>[1]): Promise<void> => {
    try {
      await poolAction(poolHttp, action);
    } catch (err) {
      if (err instanceof PoolControlError) throw new UsageError(`--pool-http: ${err.message}`);
      throw err;
    }
  };
  await act('timers/pause');
  const interrupted = (): void => {
    void act('timers/resume').finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    await work({ newJob: () => act('new-job'), newBlock: () => act('new-block') });
  } finally {
    process.off('SIGINT', interrupted);
    await act('timers/resume');
  }
}
