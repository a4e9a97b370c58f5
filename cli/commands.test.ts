import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, registerCommands } from './commands.js';

describe('registerCommands', () => {
  it.each(COMMANDS.map(([name]) => name))('karoo %s registers that command alone', async (name) => {
    const program = new Command();
    await registerCommands(program, ['node', 'karoo', name, '--help']);
    expect(program.commands.map((c) => c.name())).toEqual([name]);
  });

  it('anything but a command name registers every command, in order', async () => {
    for (const argv of [
      ['node', 'karoo'],
      ['node', 'karoo', '--help'],
      ['node', 'karoo', 'nope'],
    ]) {
      const program = new Command();
      await registerCommands(program, argv);
      expect(program.commands.map((c) => c.name())).toEqual(COMMANDS.map(([name]) => name));
    }
  });
});
