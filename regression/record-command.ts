import type { Command } from 'commander';
import { createLogger } from '../runtime/logger.js';
import { hostPortFlag, urlFlag } from './cli-flags.js';
import { formatStratumUrl } from './net/address.js';
import { startRecorder } from './recording/recording-tap.js';

interface RecordFlags {
  listen: string;
  upstream: string;
  out: string;
  note?: string;
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
    .action(async (flags: RecordFlags) => {
      const listen = hostPortFlag(flags.listen, '--listen');
      const upstream = urlFlag(flags.upstream, '--upstream');
      const recorder = await startRecorder({
        listen,
        upstream,
        outDir: flags.out,
        logger: createLogger('karoo-record', process.env.KAROO_LOG_LEVEL ?? 'warn'),
        ...(flags.note === undefined ? {} : { note: flags.note }),
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
