import type { Command } from 'commander';
import { UsageError } from '../../runtime/usage-error.js';
import { createLogger } from '../../runtime/logger.js';
import { DEFAULT_RACK_USER, startRack, type Rack, type RackEvent, type RackOptions } from './rack.js';
import { formatSummary } from './summary-table.js';
import { MINER_PROFILES, type MinerEventPayload, type MinerProfile } from './types.js';
import { parseStratumUrl } from './options.js';

interface MinersFlags {
  url?: string;
  user: string;
  pass?: string;
  nerdminer?: string;
  bitaxe?: string;
  cpu?: string;
  gpu?: string;
  duration?: string;
  json?: boolean;
  hashrateScale?: string;
  timeScale?: string;
  console?: boolean;
  wire?: boolean;
}

export interface MinersRun {
  rack: Rack;
  /** Resolves when the run ended (duration, SIGINT, SIGTERM or an unreachable pool) and the summary was written. */
  done: Promise<void>;
  /** Set when the pool refused the very first connection: why (the run then ends at once). */
  readonly unreachable: string | undefined;
}

export function registerMinersCommand(program: Command): void {
  program
    .command('miners')
    .description('start a rack of simulated miners (NerdMiner, Bitaxe, cpuminer, GPU) against a pool')
    .option('--url <url>', 'pool to mine on, stratum+tcp://HOST:PORT')
    .option('--user <name>', 'account part of every worker name (<user>.nerd-01, ...)', DEFAULT_RACK_USER)
    .option('--pass <password>', 'password sent in mining.authorize (default "x")')
    .option('--nerdminer <n>', 'NerdMiner v2 devices')
    .option('--bitaxe <n>', 'Bitaxe (ESP-Miner) devices')
    .option('--cpu <n>', 'cpuminer instances')
    .option('--gpu <n>', 'GPU rigs (4 sessions each)')
    .option('--duration <seconds>', 'stop after this long (default: until Ctrl-C)')
    .option('--json', 'write one JSON event per line to stdout, and the summary as the last one')
    .option('--hashrate-scale <x>', "multiply every profile's hashrate cap (default 1)")
    .option('--time-scale <x>', 'multiply every firmware timer, e.g. 0.01 for fast reconnects (default 1)')
    .option('--console', 'print the NerdMiner and Bitaxe serial console lines to stderr')
    .option('--wire', 'with --json, also every line sent and received (tx, rx)')
    .action(async (flags: MinersFlags) => {
      const options = rackOptionsFromFlags(flags);
      const duration =
        flags.duration === undefined ? undefined : positiveNumber('--duration', flags.duration);
      const run = runMiners(options, { durationS: duration, json: flags.json === true });
      await run.done;
      if (run.unreachable !== undefined) {
        process.stderr.write(`karoo miners: ${run.unreachable}\n`);
        process.exitCode = 1;
      }
    });
}

/** Command-line strings to checked rack options; UsageError names the flag. */
export function rackOptionsFromFlags(flags: MinersFlags): RackOptions {
  if (flags.url === undefined)
    throw new UsageError('--url: required, e.g. --url stratum+tcp://127.0.0.1:3333');
  try {
    parseStratumUrl(flags.url);
  } catch (err) {
    throw new UsageError(`--url: ${(err as Error).message.replace(/^url: /, '')}`);
  }
  const counts: Partial<Record<MinerProfile, number>> = {};
  for (const profile of MINER_PROFILES) {
    const text = flags[profile];
    if (text === undefined) continue;
    if (!/^\d{1,4}$/.test(text))
      throw new UsageError(`--${profile}: expected a count from 0 to 1000, got ${text}`);
    counts[profile] = Number(text);
  }
  if (Object.values(counts).every((n) => n === 0)) {
    throw new UsageError('no miners: give at least one of --nerdminer, --bitaxe, --cpu, --gpu');
  }
  const options: RackOptions = { url: flags.url, user: flags.user, counts };
  if (!/^[^"\\\s]{1,64}$/.test(flags.user))
    throw new UsageError(`--user: expected 1 to 64 characters without quotes or spaces`);
  if (flags.pass !== undefined) options.password = flags.pass;
  if (flags.hashrateScale !== undefined)
    options.hashrateScale = positiveNumber('--hashrate-scale', flags.hashrateScale);
  if (flags.timeScale !== undefined) options.timeScale = positiveNumber('--time-scale', flags.timeScale);
  if (flags.wire) options.wireEvents = true;
  if (flags.console) options.console = (worker, line) => process.stderr.write(`[${worker}] ${line}\n`);
  return options;
}

function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: expected a number above 0, got ${text}`);
  return n;
}

/**
 * Runs a rack until the duration ends or SIGINT/SIGTERM arrives, then stops every miner and writes
 * the summary (a table, or a final JSON line with --json).
 */
export function runMiners(
  options: RackOptions,
  run: { durationS?: number | undefined; json: boolean },
  out: NodeJS.WritableStream = process.stdout,
): MinersRun {
  const logger = createLogger('miners');
  const rack = startRack({ ...options, logger });
  let unreachable: string | undefined;
  let connected = false;
  let finish: () => void = () => undefined;
  // Firmware retries a refused connect for ever; the command says so once and stops instead.
  rack.on('event', (e: RackEvent) => {
    if (e.event === 'connected') connected = true;
    if (e.event !== 'connect-failed' || connected || unreachable !== undefined) return;
    const { message } = e.payload as MinerEventPayload<'connect-failed'>;
    unreachable = `cannot connect to ${options.url}: ${message}`;
    finish();
  });
  if (run.json) {
    rack.on('event', (e: RackEvent) => out.write(`${jsonEventLine(e)}\n`));
  } else {
    process.stderr.write(
      `karoo miners: ${rack.miners.length} miners on ${options.url}${run.durationS === undefined ? ' (Ctrl-C to stop)' : ` for ${run.durationS} s`}\n`,
    );
  }
  const done = new Promise<void>((resolve) => {
    let finished = false;
    finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      void rack.stop().then(() => {
        const stats = rack.stats();
        if (run.json)
          out.write(
            `${JSON.stringify({ time: new Date().toISOString(), event: 'summary', miners: stats })}\n`,
          );
        else out.write(formatSummary(stats));
        resolve();
      });
    };
    const timer = run.durationS === undefined ? undefined : setTimeout(finish, run.durationS * 1000);
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
  return {
    rack,
    done,
    get unreachable() {
      return unreachable;
    },
  };
}

/** One `--json` line: an object payload's keys inline; a console line (a string) as `line`. */
export function jsonEventLine(e: RackEvent): string {
  const payload = typeof e.payload === 'object' && e.payload !== null ? e.payload : { line: e.payload };
  return JSON.stringify({
    time: new Date().toISOString(),
    event: e.event,
    worker: e.worker,
    profile: e.profile,
    ...payload,
  });
}
