import type { Command } from 'commander';
import { createLogger } from '../runtime/logger.js';
import { integerFlag, numberFlag, urlFlag, writeReport } from './cli-flags.js';
import { formatConformanceReport, passed } from './conformance/report.js';
import {
  DEFAULT_CONFORMANCE_TIMEOUT_MS,
  DEFAULT_CONFORMANCE_WORKER,
  DEFAULT_SUGGEST_DIFFICULTY,
  runConformance,
} from './conformance/run-conformance.js';
import { toJUnitXml } from '../runtime/junit-report.js';
import { DEFAULT_HASH_BUDGET } from './mining/share-miner.js';
import { conformanceSuite } from './report-junit.js';

interface ConformanceFlags {
  target: string;
  json?: string;
  junit?: string;
  worker: string;
  password: string;
  suggestDifficulty?: string;
  timeout?: string;
  hashBudget?: string;
  cleanWait?: string;
  verbose?: boolean;
}

/** `karoo conformance`: the check catalogue against a pool or proxy; exit 0 only when none fails. */
export function registerConformanceCommand(program: Command): void {
  program
    .command('conformance')
    .description('run the Stratum V1 conformance checks against a pool or proxy (exit 1 when any fails)')
    .requiredOption('--target <url>', 'the pool or proxy: stratum+tcp://HOST:PORT')
    .option('--json <file>', 'write the full report (every check with its evidence) as JSON')
    .option('--junit <file>', 'write a JUnit XML report (one case per check)')
    .option('--worker <name>', 'worker name to authorize', DEFAULT_CONFORMANCE_WORKER)
    .option('--password <text>', 'authorize password', 'x')
    .option(
      '--suggest-difficulty <d>',
      `mining.suggest_difficulty sent before authorize, 0 for none (default ${DEFAULT_SUGGEST_DIFFICULTY})`,
    )
    .option(
      '--timeout <ms>',
      `how long each answer or job may take (default ${DEFAULT_CONFORMANCE_TIMEOUT_MS})`,
    )
    .option(
      '--hash-budget <n>',
      `hashes tried per share before a check is skipped (default ${DEFAULT_HASH_BUDGET})`,
    )
    .option('--clean-wait <seconds>', "how long to wait for the target's next clean_jobs notify (default 0)")
    .option('--verbose', 'print the evidence of every check, not only of failures')
    .action(async (flags: ConformanceFlags) => {
      const target = urlFlag(flags.target, '--target');
      const report = await runConformance({
        target,
        worker: flags.worker,
        password: flags.password,
        suggestDifficulty: numberFlag(
          flags.suggestDifficulty,
          '--suggest-difficulty',
          DEFAULT_SUGGEST_DIFFICULTY,
        ),
        timeoutMs: integerFlag(flags.timeout, '--timeout', DEFAULT_CONFORMANCE_TIMEOUT_MS, 1),
        hashBudget: integerFlag(flags.hashBudget, '--hash-budget', DEFAULT_HASH_BUDGET, 1),
        cleanWaitMs: numberFlag(flags.cleanWait, '--clean-wait', 0) * 1000,
        logger: createLogger('karoo-conformance', process.env.KAROO_LOG_LEVEL ?? 'warn'),
      });
      process.stdout.write(`${formatConformanceReport(report, flags.verbose === true)}\n`);
      if (flags.json !== undefined) writeReport(flags.json, `${JSON.stringify(report, null, 2)}\n`, '--json');
      if (flags.junit !== undefined)
        writeReport(flags.junit, toJUnitXml([conformanceSuite(report)]), '--junit');
      if (!passed(report)) process.exitCode = 1;
    });
}
