import type { Command } from 'commander';
import { registerExplainShare } from './explain-share.js';
import { registerStart } from './start.js';
import { registerPoolCommand } from '../simulator/pool/pool-command.js';
import { registerProxyCommand } from '../proxy/proxy-command.js';
import { registerDashCommand } from '../dashboards/dash-command.js';
import { registerMinersCommand } from '../simulator/miners/miners-command.js';

/** Every subcommand, each from its part's own module. */
export function registerCommands(program: Command): void {
  registerStart(program);
  registerExplainShare(program);
  registerPoolCommand(program);
  registerProxyCommand(program);
  registerDashCommand(program);
  registerMinersCommand(program);
}
