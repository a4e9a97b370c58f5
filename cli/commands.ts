import type { Command } from 'commander';
import { registerExplainShare } from './explain-share.js';
import { registerStart } from './start.js';
import { registerPoolCommand } from '../simulator/pool/pool-command.js';
import { registerProxyCommand } from '../proxy/proxy-command.js';
import { registerDashCommand } from '../dashboards/dash-command.js';
import { registerMinersCommand } from '../simulator/miners/miners-command.js';
import { registerHilCommand } from '../hil/hil-command.js';
import { registerRecordCommand } from '../regression/record-command.js';
import { registerReplayCommand } from '../regression/replay-command.js';
import { registerConformanceCommand } from '../regression/conformance-command.js';

/** Every subcommand, each from its part's own module. */
export function registerCommands(program: Command): void {
  registerStart(program);
  registerExplainShare(program);
  registerPoolCommand(program);
  registerProxyCommand(program);
  registerDashCommand(program);
  registerMinersCommand(program);
  registerHilCommand(program);
  registerRecordCommand(program);
  registerReplayCommand(program);
  registerConformanceCommand(program);
}
