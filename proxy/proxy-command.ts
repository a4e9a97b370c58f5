import type { Command } from 'commander';
import { UsageError } from '../runtime/usage-error.js';
import { createLogger } from '../runtime/logger.js';
import { ConfigError, loadConfig } from './config/index.js';
import type { ProxyConfig } from './config/index.js';
import { checkHttpExposure } from './http/http-auth.js';
import { TlsFilesError } from './listeners/tls-listener.js';
import { systemClock } from '../runtime/clock.js';
import { runProxy } from './run-proxy.js';
import { sessionRecorder } from './session-recording.js';
import type { RunningProxy } from './run-proxy.js';

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('run the Karoo proxy: many miners, one upstream pool session (SIGHUP reloads the config)')
    .requiredOption('-c, --config <file>', 'JSON config (see config/config.example.json)')
    .option('--record <dir>', 'write every miner session to DIR as a recording (see karoo replay)')
    .action(async (opts: { config: string; record?: string }) => {
      let config: ProxyConfig;
      try {
        config = loadConfig(opts.config);
        checkHttpExposure(config);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      const logger = createLogger('karoo-proxy', config.log.level);
      let running: RunningProxy;
      try {
        const upstreamUrl = `stratum+tcp://${config.upstream.host}:${config.upstream.port}`;
        running = await runProxy(
          config,
          logger,
          opts.record ? { tapSession: sessionRecorder(opts.record, upstreamUrl, systemClock) } : {},
        );
      } catch (err) {
        if (err instanceof TlsFilesError || err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      const extra = [
        running.websocketUrl ? `websocket ${running.websocketUrl}` : '',
        running.httpUrl ? `http ${running.httpUrl}` : '',
      ].filter((s) => s !== '');
      process.stdout.write(
        `karoo proxy listening on ${running.url}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}\n`,
      );
      await new Promise<void>((resolve) => {
        const reload = (): void => {
          const report = running.reloadFile(opts.config);
          const restart =
            report.needsRestart.length > 0 ? `; needs a restart: ${report.needsRestart.join(', ')}` : '';
          process.stdout.write(
            report.ok
              ? `karoo proxy: config reloaded (${report.changes.length} changed${restart})\n`
              : `karoo proxy: config reload refused: ${report.error ?? 'unknown error'}\n`,
          );
        };
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.off('SIGHUP', reload);
          void running.stop().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        process.on('SIGHUP', reload);
      });
    });
}
