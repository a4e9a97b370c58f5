import type { Command } from 'commander';
import { UsageError } from '../cli/usage-error.js';
import { createLogger } from '../runtime/logger.js';
import { ConfigError, loadConfig } from './config/index.js';
import type { ProxyConfig } from './config/index.js';
import { runProxy } from './run-proxy.js';

export function registerProxyCommand(program: Command): void {
  program
    .command('proxy')
    .description('run the Karoo proxy: many miners, one upstream pool session')
    .requiredOption('-c, --config <file>', 'JSON config (see config/config.example.json)')
    .action(async (opts: { config: string }) => {
      let config: ProxyConfig;
      try {
        config = loadConfig(opts.config);
      } catch (err) {
        if (err instanceof ConfigError) throw new UsageError(err.message);
        throw err;
      }
      const logger = createLogger('karoo-proxy', config.log.level);
      const running = await runProxy(config, logger);
      process.stdout.write(
        `karoo proxy listening on ${running.url}${running.httpUrl ? ` (http ${running.httpUrl})` : ''}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void running.stop().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
