import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { DEFAULT_HASH_BUDGET } from '../mining/share-miner.js';
import type { HostPort } from '../../peers/host-port.js';
import { formatStratumUrl } from '../../peers/host-port.js';
import { CHECKS } from './catalogue.js';
import type { CheckId } from './catalogue.js';
import { runCleanJobsCheck } from './clean-jobs-check.js';
import { runHandshakeChecks } from './handshake-checks.js';
import { runMethodChecks } from './method-checks.js';
import { DEFAULT_OVERSIZE_BYTES, runOversizeCheck } from './oversize-check.js';
import type { ConformanceReport } from './report.js';
import type { ConformanceHooks } from './run-context.js';
import { RunContext } from './run-context.js';
import { runShareChecks } from './share-checks.js';
import { runVersionRollingChecks } from './version-rolling-checks.js';

/** Asked for first; pools clamp it to their minimum (the simulator 1e-9, Karoo 1e-5). */
export const DEFAULT_SUGGEST_DIFFICULTY = 1e-6;
/** How long each answer or job may take. */
export const DEFAULT_CONFORMANCE_TIMEOUT_MS = 10_000;
export const DEFAULT_CONFORMANCE_WORKER = 'karoo-conformance.probe';

export interface ConformanceOptions {
  target: HostPort;
  worker?: string;
  password?: string;
  /** mining.suggest_difficulty sent before authorize; 0 sends none. */
  suggestDifficulty?: number;
  timeoutMs?: number;
  /** Hashes tried per share. */
  hashBudget?: number;
  /** How long to wait for the target's next clean_jobs notify (0: only what has come already). */
  cleanWaitMs?: number;
  oversizeBytes?: number;
  hooks?: ConformanceHooks;
  clock?: Clock;
  logger?: Logger;
}

/** Each phase and the checks it judges, in catalogue order. */
const PHASES: { run: (ctx: RunContext) => Promise<void>; checks: readonly CheckId[] }[] = [
  {
    run: runHandshakeChecks,
    checks: [
      'subscribe.answer',
      'subscribe.extranonce2-size',
      'authorize',
      'work.difficulty-before-notify',
      'work.notify-shape',
    ],
  },
  {
    run: runShareChecks,
    checks: [
      'share.valid-accepted',
      'share.low-difficulty',
      'share.duplicate',
      'share.duplicate-hex-case',
      'share.unknown-job',
      'share.extranonce2-length',
      'share.ntime-out-of-range',
    ],
  },
  {
    run: runVersionRollingChecks,
    checks: [
      'version-rolling.negotiate',
      'version-rolling.share-accepted',
      'version-rolling.bits-outside-mask',
    ],
  },
  { run: runMethodChecks, checks: ['method.ping', 'method.unknown'] },
  { run: runOversizeCheck, checks: ['line.oversized'] },
  { run: runCleanJobsCheck, checks: ['clean-jobs'] },
];

/** Runs every check in the catalogue against the target; never throws for a misbehaving target. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const clock = options.clock ?? systemClock;
  const target = formatStratumUrl(options.target);
  const suggest = options.suggestDifficulty ?? DEFAULT_SUGGEST_DIFFICULTY;
  const ctx = new RunContext(
    {
      target: options.target,
      clock,
      logger: (options.logger ?? silentLogger()).child({ target }),
      timeoutMs: options.timeoutMs ?? DEFAULT_CONFORMANCE_TIMEOUT_MS,
      hashBudget: options.hashBudget ?? DEFAULT_HASH_BUDGET,
      worker: options.worker ?? DEFAULT_CONFORMANCE_WORKER,
      password: options.password ?? 'x',
      suggestDifficulty: suggest,
    },
    clock,
    options.hooks ?? {},
    options.cleanWaitMs ?? 0,
    options.oversizeBytes ?? DEFAULT_OVERSIZE_BYTES,
  );
  try {
    for (const phase of PHASES) {
      try {
        await phase.run(ctx);
      } catch (err) {
        // A bug here must not pass for the target's: what the phase left unjudged fails, saying why.
        for (const id of phase.checks) {
          if (!ctx.has(id)) ctx.record(id, 'FAIL', `conformance run error: ${(err as Error).message}`);
        }
      }
    }
  } finally {
    ctx.closeAll();
  }
  const checks = CHECKS.map(
    (c) =>
      ctx.results.get(c.id) ?? {
        id: c.id,
        title: c.title,
        status: 'SKIP' as const,
        reason: 'not run',
        evidence: [],
      },
  );
  const count = (s: string): number => checks.filter((c) => c.status === s).length;
  const firstSession = ctx.sessions[0];
  return {
    tool: 'karoo conformance',
    version: 1,
    target,
    startedAt: new Date(ctx.startedAt).toISOString(),
    durationMs: clock.now() - ctx.startedAt,
    difficulty: {
      suggested: suggest > 0 ? suggest : null,
      set: firstSession?.tracker.difficultyAnnounced
        ? (firstSession.tracker.jobs.values().next().value?.difficulty ?? null)
        : null,
    },
    summary: { pass: count('PASS'), fail: count('FAIL'), skip: count('SKIP') },
    checks,
  };
}
