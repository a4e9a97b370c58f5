#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.js';
import { UsageError } from '../runtime/usage-error.js';

const program = new Command();
program
  .name('karoo')
  .description('Karoo: a Stratum V1 proxy for racks of small miners, with a pool simulator and test bench')
  .version(process.env.npm_package_version ?? '0.1.0')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

await registerCommands(program, process.argv);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`karoo: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  throw err;
}
