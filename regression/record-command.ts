import type { Command } from 'commander';
import { createLogger } from '../runtime/logger.js';
import { FileError, ListenError, isSystemError } from '../runtime/system-error.js';
import { UsageError } from '../runtime/usage-error.js';
import { hostPortFlag, httpUrlFlag, urlFlag } from './cli-flags.js';
import { formatStratumUrl } from '../peers/host-port.js';
import { PoolControlError, poolTarget, poolWorkMarks } from './capture/pool-marks.js';
import { startRecorder } from './capture/recording-tap.js';

interface RecordFlags {
  listen: string;
  upstream: string;
  out: string;
  note?: string;
  poolHttp?: string;
}

/** `karoo record`: a transparent tap that writes each session to its own JSON-lines file. */
export function registerRecordCommand(program: Command): void {
  program
    .command('record')
    .description(
      'record Stratum sessions between miners and a pool or proxy (one JSON-lines file per session)',
    )
    .requiredOption('--listen <host:port>', 'where miners connect to the tap (port 0 picks one)')
    .requiredOption('--upstream <url>', 'the pool or proxy: stratum+tcp://HOST:PORT')
    .requiredOption('--out <dir>', 'directory for the recordings (created if missing)')
    .option('--note <text>', 'a note copied into every recording header')
    .option(
      '--pool-http <url>',
      "the pool simulator's HTTP API (karoo pool --http): its options go in every header and its own new jobs and blocks become marks",
    )
    .action(async (flags: RecordFlags) => {
      const listen = hostPortFlag(flags.listen, '--listen');
      const upstream = urlFlag(flags.upstream, '--upstream');
      const poolHttp = flags.poolHttp === undefined ? undefined : httpUrlFlag(flags.poolHttp, '--pool-http');
      let target: Awaited<ReturnType<typeof poolTarget>> | undefined;
      if (poolHttp !== undefined) {
        try {
          target = await poolTarget(poolHttp, upstream);
        } catch (err) {
          if (err instanceof PoolControlError) throw new UsageError(`--pool-http: ${err.message}`);
          throw err;
        }
      }
      const recorder = await startRecorder({
        listen,
        upstream,
        outDir: flags.out,
        logger: createLogger('karoo-record', process.env.KAROO_LOG_LEVEL ?? 'warn'),
        ...(flags.note === undefined ? {} : { note: flags.note }),
        ...(target === undefined ? {} : { target }),
        ...(poolHttp === undefined ? {} : { markFor: poolWorkMarks(poolHttp) }),
      }).catch((err: unknown) => {
        throw startFailure(err, flags);
      });
      recorder.on('session-end', (s) =>
        process.stdout.write(`session ${s.miner}: ${s.path} (${s.records} records)\n`),
      );
      process.stdout.write(
        `karoo record: miners connect to ${recorder.url}, sessions go to ${formatStratumUrl(upstream)}, files to ${flags.out}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void recorder.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** A folder that cannot be made (`--out`) or a port that cannot be had (`--listen`), as one line. */
function startFailure(err: unknown, flags: RecordFlags): unknown {
  if (!isSystemError(err)) return err;
  if (err.path !== undefined) return new FileError('--out', flags.out, 'create', err);
  return new ListenError('--listen', flags.listen, err);
}
