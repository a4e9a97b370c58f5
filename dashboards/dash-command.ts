import type { Command } from 'commander';
import {
  DEFAULT_DASH_URL,
  DEFAULT_PLAIN_INTERVAL_S,
  DEFAULT_REFRESH_S,
  TOKEN_ENV,
  parseDashOptions,
} from './dash-options.js';
import type { RawDashOptions } from './dash-options.js';
import { runPlain } from './run-plain.js';

export function registerDashCommand(program: Command): void {
  program
    .command('dash')
    .description('terminal dashboard of a running proxy (plain-text tables when stdout is not a terminal)')
    .option('--url <url>', `the proxy's HTTP API`, DEFAULT_DASH_URL)
    .option('--token <token>', `bearer token for the HTTP API (default: $${TOKEN_ENV})`)
    .option('--plain', 'print plain-text tables even on a terminal')
    .option('--once', 'print one plain-text table and exit (exit 1 when the proxy cannot be read)')
    .option('--interval <seconds>', 'seconds between plain-text tables', String(DEFAULT_PLAIN_INTERVAL_S))
    .option(
      '--refresh <seconds>',
      'seconds between /status refreshes while /events streams',
      String(DEFAULT_REFRESH_S),
    )
    .action(async (raw: RawDashOptions) => {
      const options = parseDashOptions(raw);
      if (!options.plain) {
        // blessed is loaded only for the full-screen dashboard, not for every karoo command.
        const { runTui } = await import('./tui/run-tui.js');
        await runTui(options);
        // blessed leaves stdin listeners behind; the dashboard is done, so is the process.
        process.exit(0);
      }
      // Ctrl-C, a service stop, or the reader going away (`karoo dash | head`) ends the loop.
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.on('error', stop);
      try {
        process.exitCode = await runPlain(options, {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
          stopped,
        });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stdout.off('error', stop);
      }
    });
}
