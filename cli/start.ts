import type { Command } from 'commander';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the whole bench on this machine (what `npm start` runs)')
    .action(() => {
      process.stdout.write(
        [
          'Karoo bench: the proxy and simulators are still being built. Available now:',
          '  karoo explain-share FILE [--json]   rebuild a share and say why a pool would accept or reject it',
          '  karoo --help                        every subcommand',
          '',
        ].join('\n'),
      );
    });
}
