import type { Command } from 'commander';
import { UsageError } from '../runtime/usage-error.js';
import { createLogger } from '../runtime/logger.js';
import { ConfigError, loadConfig } from './config/index.js';
import type { ProxyConfig } from './config/index.js';
import { TlsFilesError } from './listeners/tls-listener.js';
import { systemClock } from '../runtime/clock.js';
import { FileError, isSystemError } from '../runtime/system-error.js';
import { runProxy } from './run-proxy.js';
import { recordedUpstream, sessionRecorder } from './session-recording.js';
import type { RunningProxy } from './run-proxy.js';
import { MAX_WORKERS, runProxyCluster } from './cluster/cluster-primary.js';
import type { ReloadReport } from './reload/reload-proxy.js';
import { reloadFromFile } from './reload/reload-from-file.js';

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('run the Karoo proxy: many miners, one upstream pool session (SIGHUP reloads the config)')
    .requiredOption('-c, --config <file>', 'JSON config (see config/config.example.json)')
    .option('--record <dir>', 'write every miner session to DIR as a recording (see karoo replay)')
    .option(
      '--workers <n>',
      `worker processes behind the one port, each with its own upstream session (1 to ${MAX_WORKERS})`,
      '1',
    )
    .action(async (opts: { config: string; record?: string; workers: string }) => {
      const workers = parseWorkers(opts.workers);
      let config: ProxyConfig;
      try {
        config = loadConfig(opts.config);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      // Allowed but worth a look (an HTTP API open beyond loopback without a token, Go keys that do
      // nothing): said in plain words on stderr as well as in the JSON log.
      for (const w of config.warnings) process.stderr.write(`karoo proxy: warning: ${w}\n`);
      const logger = createLogger('karoo-proxy', config.log.level);
      if (workers > 1) {
        if (opts.record !== undefined) recorderIn(opts.record, '');
        const running = await runProxyCluster({
          config,
          workers,
          record: opts.record ?? null,
          logger,
        });
        announce(running, `${workers} workers`);
        await untilStopped(
          async () => say(await running.reloadFile(opts.config)),
          () => running.stop(),
        );
        return;
      }
      const upstream = recordedUpstream(config.upstream);
      const tapSession = opts.record === undefined ? undefined : recorderIn(opts.record, upstream);
      let running: RunningProxy;
      try {
        running = await runProxy(config, logger, tapSession ? { tapSession } : {});
      } catch (err) {
        // A listener that cannot open is already a one-line UsageError (ListenError) naming its key.
        if (err instanceof TlsFilesError || err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      announce(running);
      await untilStopped(
        () => say(reloadFromFile(running, opts.config)),
        () => running.stop(),
      );
    });
}

function parseWorkers(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_WORKERS)
    throw new UsageError(
      `--workers: expected an integer from 1 to ${MAX_WORKERS}, got ${JSON.stringify(text)}`,
    );
  return n;
}

function announce(
  running: { url: string; websocketUrl: string | undefined; httpUrl: string | undefined },
  ...more: string[]
): void {
  const extra = [
    ...more,
    running.websocketUrl ? `websocket ${running.websocketUrl}` : '',
    running.httpUrl ? `http ${running.httpUrl}` : '',
  ].filter((s) => s !== '');
  process.stdout.write(
    `karoo proxy listening on ${running.url}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}\n`,
  );
}

function say(report: ReloadReport): void {
  const restart =
    report.needsRestart.length > 0 ? `; needs a restart: ${report.needsRestart.join(', ')}` : '';
  process.stdout.write(
    report.ok
      ? `karoo proxy: config reloaded (${report.changes.length} changed${restart})\n`
      : `karoo proxy: config reload refused: ${report.error ?? 'unknown error'}\n`,
  );
}

/** Runs until SIGINT or SIGTERM (then `stop`); SIGHUP calls `reload`. */
function untilStopped(reload: () => unknown, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onHup = (): void => void reload();
    const onStop = (): void => {
      process.off('SIGINT', onStop);
      process.off('SIGTERM', onStop);
      process.off('SIGHUP', onHup);
      void stop().then(resolve);
    };
    process.on('SIGINT', onStop);
    process.on('SIGTERM', onStop);
    process.on('SIGHUP', onHup);
  });
}

/** `--record DIR`: the folder is made now, so a path that cannot be one is a one-line error at start. */
function recorderIn(dir: string, upstreamUrl: string): ReturnType<typeof sessionRecorder> {
  try {
    return sessionRecorder(dir, upstreamUrl, systemClock);
  } catch (err) {
    if (isSystemError(err)) throw new FileError('--record', dir, 'create', err);
    throw err;
  }
}
