import type { Command } from 'commander';

type Register = (program: Command) => void;

/** Every subcommand by name, each registered by its part's own module, in help order. */
export const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['start', async () => (await import('./start.js')).registerStart],
  ['explain-share', async () => (await import('./explain-share.js')).registerExplainShare],
  ['pool', async () => (await import('../simulator/pool/pool-command.js')).registerPoolCommand],
  ['proxy', async () => (await import('../proxy/proxy-command.js')).registerProxyCommand],
  ['dash', async () => (await import('../dashboards/dash-command.js')).registerDashCommand],
  ['miners', async () => (await import('../simulator/miners/miners-command.js')).registerMinersCommand],
  ['hil', async () => (await import('../hil/hil-command.js')).registerHilCommand],
  ['record', async () => (await import('../regression/record-command.js')).registerRecordCommand],
  ['replay', async () => (await import('../regression/replay-command.js')).registerReplayCommand],
  [
    'conformance',
    async () => (await import('../regression/conformance-command.js')).registerConformanceCommand,
  ],
];

/**
 * Registers the subcommand that `argv` names (`karoo <command> ...`), loading only its part's
 * modules, so a command starts without loading every other one; anything else (help, a name that
 * is not a command, an option first) gets every command.
 */
export async function registerCommands(program: Command, argv: readonly string[] = []): Promise<void> {
  const named = COMMANDS.find(([name]) => name === argv[2]);
  for (const [, load] of named ? [named] : COMMANDS) (await load())(program);
}
