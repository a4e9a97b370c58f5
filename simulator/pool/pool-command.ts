import type { Command } from 'commander';
import { createLogger } from '../../runtime/logger.js';
import { ListenError, isSystemError } from '../../runtime/system-error.js';
import { UsageError } from '../../runtime/usage-error.js';
import { ScenarioError, loadScenarioFile } from './faults/scenario-file.js';
import type { PoolOptions } from './pool-options.js';
import {
  DEFAULT_BLOCK_INTERVAL_SECONDS,
  DEFAULT_DIFFICULTY,
  DEFAULT_EXTRANONCE1_SIZE,
  DEFAULT_EXTRANONCE2_SIZE,
  DEFAULT_JOB_INTERVAL_SECONDS,
  DEFAULT_MAX_DIFFICULTY,
  DEFAULT_MIN_DIFFICULTY,
  DEFAULT_POOL_HOST,
  DEFAULT_POOL_PORT,
  DEFAULT_TRANSACTIONS,
  DEFAULT_VERSION_MASK,
  PoolOptionsError,
  parseHostPort,
  resolvePoolOptions,
} from './pool-options.js';
import { startPool } from './pool-server.js';
import type { ProfileName } from './profiles/index.js';
import { PROFILE_NAMES } from './profiles/index.js';

interface PoolFlags {
  listen: string;
  difficulty?: string;
  minDifficulty?: string;
  maxDifficulty?: string;
  extranonce1Size?: string;
  extranonce2Size?: string;
  jobInterval?: string;
  blockInterval?: string;
  faults?: string;
  http?: string;
  allow?: string;
  versionMask?: string;
  transactions?: string;
  profile?: string;
  networkDifficulty?: string;
}

/** Option keys as the command line spells them, for error messages. */
const FLAG_OF: Record<string, string> = {
  host: '--listen',
  port: '--listen',
  difficulty: '--difficulty',
  minDifficulty: '--min-difficulty',
  maxDifficulty: '--max-difficulty',
  extranonce1Size: '--extranonce1-size',
  extranonce2Size: '--extranonce2-size',
  jobIntervalSeconds: '--job-interval',
  blockIntervalSeconds: '--block-interval',
  allowWorkers: '--allow',
  versionMask: '--version-mask',
  transactions: '--transactions',
  http: '--http',
  profile: '--profile',
  networkDifficulty: '--network-difficulty',
};

export function registerPoolCommand(program: Command): void {
  program
    .command('pool')
    .description('run a Stratum V1 pool simulator that checks every share and misbehaves on demand')
    .option(
      '--listen <host:port>',
      'where miners connect (port 0 picks one)',
      `${DEFAULT_POOL_HOST}:${DEFAULT_POOL_PORT}`,
    )
    .option(
      '--difficulty <d>',
      `starting share difficulty, fractions allowed (default ${DEFAULT_DIFFICULTY})`,
    )
    .option('--min-difficulty <d>', `floor for mining.suggest_difficulty (default ${DEFAULT_MIN_DIFFICULTY})`)
    .option(
      '--max-difficulty <d>',
      `ceiling for mining.suggest_difficulty (default ${DEFAULT_MAX_DIFFICULTY})`,
    )
    .option('--extranonce1-size <n>', `bytes, 1 to 8 (default ${DEFAULT_EXTRANONCE1_SIZE})`)
    .option('--extranonce2-size <n>', `bytes, 1 to 8 (default ${DEFAULT_EXTRANONCE2_SIZE})`)
    .option(
      '--job-interval <seconds>',
      `new job every so often, 0 = never (default ${DEFAULT_JOB_INTERVAL_SECONDS})`,
    )
    .option(
      '--block-interval <seconds>',
      `new block every so often, 0 = never (default ${DEFAULT_BLOCK_INTERVAL_SECONDS})`,
    )
    .option('--faults <file>', 'scenario file (JSON or YAML) of faults to inject')
    .option('--http <host:port>', 'serve GET /stats, /sessions and /healthz here')
    .option('--allow <workers>', 'comma-separated worker names or accounts to authorize (default: everyone)')
    .option(
      '--version-mask <hex>',
      `version-rolling bits granted at most, 0 = none (default ${DEFAULT_VERSION_MASK.toString(16)})`,
    )
    .option('--transactions <n>', `synthetic transactions per job (default ${DEFAULT_TRANSACTIONS})`)
    .option(
      '--profile <name>',
      `a real pool's habits and defaults: ${PROFILE_NAMES.join(', ')} (default default)`,
    )
    .option(
      '--network-difficulty <d>',
      'network target of the jobs: a share meeting it is a block (default mainnet)',
    )
    .action(async (flags: PoolFlags) => {
      const options = optionsFromFlags(flags);
      const logger = createLogger('pool');
      // Quiet until it listens: a start that fails is the one `karoo:` line below, not log lines too.
      const level = logger.level;
      logger.level = 'silent';
      const pool = await startPool({ ...options, logger }).catch((err: unknown) => {
        throw listenFailure(err, options, flags);
      });
      logger.level = level;
      process.stdout.write(`pool listening on ${pool.url}\n`);
      if (pool.httpUrl !== undefined) process.stdout.write(`pool stats on ${pool.httpUrl}/stats\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await pool.close();
    });
}

/**
 * Which listener failed (--listen or --http, told apart by the port in the error) as one line:
 * `--http: cannot listen on 127.0.0.1:8080: address already in use (EADDRINUSE)`.
 */
function listenFailure(err: unknown, options: PoolOptions, flags: PoolFlags): unknown {
  if (!isSystemError(err)) return err;
  const failedPort = (err as { port?: number }).port;
  const http = options.http !== undefined && flags.http !== undefined && failedPort === options.http.port;
  return new ListenError(http ? '--http' : '--listen', http ? (flags.http as string) : flags.listen, err);
}

/** Command-line strings to checked PoolOptions; UsageError names the flag. */
export function optionsFromFlags(flags: PoolFlags): PoolOptions {
  try {
    const listen = parseHostPort(flags.listen, '--listen');
    const partial: Partial<PoolOptions> = {
      host: listen.host,
      port: listen.port,
      difficulty: num(flags.difficulty, '--difficulty'),
      minDifficulty: num(flags.minDifficulty, '--min-difficulty'),
      maxDifficulty: num(flags.maxDifficulty, '--max-difficulty'),
      extranonce1Size: num(flags.extranonce1Size, '--extranonce1-size'),
      extranonce2Size: num(flags.extranonce2Size, '--extranonce2-size'),
      jobIntervalSeconds: num(flags.jobInterval, '--job-interval'),
      blockIntervalSeconds: num(flags.blockInterval, '--block-interval'),
      transactions: num(flags.transactions, '--transactions'),
      profile: profileName(flags.profile),
      networkDifficulty: num(flags.networkDifficulty, '--network-difficulty'),
      versionMask: hexMask(flags.versionMask),
      allowWorkers: flags.allow
        ?.split(',')
        .map((w) => w.trim())
        .filter((w) => w !== ''),
      http: flags.http === undefined ? undefined : parseHostPort(flags.http, '--http'),
      faults: flags.faults === undefined ? [] : loadScenarioFile(flags.faults).entries,
    };
    return resolvePoolOptions(partial);
  } catch (err) {
    if (err instanceof ScenarioError) throw new UsageError(`--faults ${err.message}`);
    if (err instanceof PoolOptionsError) throw new UsageError(renameKeys(err.message));
    throw err;
  }
}

function num(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new UsageError(`${flag}: expected a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

function profileName(text: string | undefined): ProfileName | undefined {
  if (text === undefined) return undefined;
  if (!(PROFILE_NAMES as readonly string[]).includes(text)) {
    throw new UsageError(
      `--profile: expected one of ${PROFILE_NAMES.join(', ')}, got ${JSON.stringify(text)}`,
    );
  }
  return text as ProfileName;
}

function hexMask(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0x)?[0-9a-fA-F]{1,8}$/.test(text)) {
    throw new UsageError(`--version-mask: expected 1 to 8 hex characters, got ${JSON.stringify(text)}`);
  }
  return Number.parseInt(text.replace(/^0x/, ''), 16) >>> 0;
}

function renameKeys(message: string): string {
  return message
    .split('; ')
    .map((part) => part.replace(/^([A-Za-z0-9]+)(?=[:.[])/, (key) => FLAG_OF[key] ?? key))
    .join('; ');
}
