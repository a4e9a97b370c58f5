import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { HilError, ScenarioTimeoutError } from '../errors.js';
import type { BenchSummary, BoardSummary, CaseResult, SuiteResult } from '../reports/suite-result.js';
import { totalsOf } from '../reports/suite-result.js';
import type { Scenario } from '../scenarios/scenario.js';
import { ScenarioSkipped } from '../scenarios/scenario.js';
import { Barrier } from './barrier.js';
import type { Bench } from './bench.js';
import { BoardWatch } from './board-watch.js';
import { CaseContext } from './case-context.js';
import type { ProgressEvent } from './progress-event.js';
import type { BoundSession } from './session-binding.js';
import type { Timing } from './timing.js';

export const SUITE_NAME = 'karoo hil';
const INTERRUPTED = 'interrupted';

export interface SuiteBoard {
  readonly handle: BoardHandle;
  /** Worker name it authorizes with, when known beforehand (--worker, a virtual board's own). */
  readonly worker?: string;
  readonly virtual: boolean;
  /** Expected hash rate, kH/s. */
  readonly hashrateBandKhs: readonly [number, number];
  /** What was built and run, for firmware running on the host. */
  readonly build?: string;
}

export interface RunSuiteOptions {
  boards: readonly SuiteBoard[];
  bench: Bench;
  scenarios: readonly Scenario[];
  timing: Timing;
  /** False: real boards are never reset by the harness (boots-and-connects is skipped). */
  reset?: boolean;
  clock?: Clock;
  log?: Logger;
  /** Lines shown with the suite's start (where real boards must mine to, ...). */
  notes?: readonly string[];
  /** Aborting ends the running cases at once and skips the rest as interrupted. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

const MISSING_CAPABILITY: Record<string, string> = {
  'pool-control':
    'needs the harness to run the pool simulator (not available with --proxy, where the pool is out of reach)',
};

/**
 * Runs each scenario in turn, on every board at once (boards meet at ScenarioContext.together for
 * actions on the shared pool), and collects one test case per board and scenario with the board's
 * serial excerpt. A failing case never stops the suite: a failed or hung reset, a console wait
 * that ran out and a board that went away each fail that case with the reason, and the next one
 * runs (a lost board's later cases fail at once with BOARD_GONE).
 */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteResult> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger();
  const emit = options.onProgress ?? (() => undefined);
  const startedAt = Date.now();
  const t0 = clock.now();
  const watches = options.boards.map((b) => new BoardWatch(b.handle, b.worker, clock));
  const boundWorkers = new Map<string, string>();
  const bench = benchSummary(options.bench);
  const scenarioNames = options.scenarios.map((s) => s.name);
  emit({
    type: 'suite-start',
    boards: boardSummaries(options.boards, watches),
    scenarios: scenarioNames,
    bench,
    notes: [...(options.notes ?? [])],
  });

  const cases: CaseResult[] = [];
  try {
    for (const scenario of options.scenarios) {
      const barrier = new Barrier(options.boards.length);
      const results = await Promise.all(
        options.boards.map((board, index) =>
          runCase({
            ...options,
            scenario,
            board,
            index,
            watch: watches[index]!,
            barrier,
            clock,
            log,
            emit,
            boundWorkers,
          }),
        ),
      );
      const cleanupError = await runCleanup(scenario, options.bench, log);
      for (const result of results) {
        const final = cleanupError === undefined ? result : withCleanupFailure(result, cleanupError);
        cases.push(final);
        emit({ type: 'case-end', result: final });
      }
    }
  } finally {
    for (const w of watches) w.stop();
  }

  const result: SuiteResult = {
    name: SUITE_NAME,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: clock.now() - t0,
    bench,
    boards: boardSummaries(options.boards, watches),
    scenarios: scenarioNames,
    cases,
    totals: totalsOf(cases),
  };
  emit({ type: 'suite-end', result });
  return result;
}

interface CaseRun extends RunSuiteOptions {
  scenario: Scenario;
  board: SuiteBoard;
  index: number;
  watch: BoardWatch;
  barrier: Barrier;
  clock: Clock;
  log: Logger;
  emit: (event: ProgressEvent) => void;
  boundWorkers: Map<string, string>;
}

async function runCase(run: CaseRun): Promise<CaseResult> {
  const { scenario, board, clock } = run;
  const name = board.handle.name;
  const startedAt = new Date().toISOString();
  run.emit({ type: 'case-start', board: name, scenario: scenario.name });
  const ctx = new CaseContext({
    index: run.index,
    board: board.handle,
    watch: run.watch,
    bench: run.bench,
    timing: run.timing,
    virtual: board.virtual,
    canReset: board.virtual || run.reset !== false,
    hashrateBandKhs: board.hashrateBandKhs,
    clock,
    log: run.log.child({ board: name, scenario: scenario.name }),
    barrier: run.barrier,
    takenBy: (board) =>
      new Set([...run.boundWorkers].filter(([other]) => other !== board).map(([, worker]) => worker)),
    onBound: (bound) => noteBinding(run, name, bound),
  });
  const base = { board: name, scenario: scenario.name, title: scenario.title, startedAt };
  let outcome: Pick<CaseResult, 'status' | 'message' | 'errorCode' | 'errorDetail'>;
  const missing = (scenario.needs ?? []).filter((c) => !run.bench.capabilities.has(c));
  try {
    if (run.signal?.aborted === true) throw new ScenarioSkipped(INTERRUPTED);
    if (missing.length > 0)
      throw new ScenarioSkipped(missing.map((c) => MISSING_CAPABILITY[c] ?? c).join('; '));
    const gone = board.handle.console.gone;
    if (gone !== undefined) throw gone;
    await bounded(scenario.run(ctx), scenario.timeoutMs(run.timing), scenario.name, clock, run.signal, () => {
      ctx.aborted = true;
    });
    outcome = { status: 'passed' };
  } catch (err) {
    outcome = err instanceof ScenarioSkipped ? { status: 'skipped', message: err.reason } : failure(err);
  } finally {
    run.barrier.leave(run.index);
    // Waits the scenario left behind (it failed or timed out first) end with the case.
    board.handle.console.cancelWaits(new Error(`test case ${scenario.name} on ${name} ended`));
  }
  const excerpt = run.watch.excerpt(ctx.startedAt, clock.now());
  return {
    ...base,
    ...outcome,
    durationMs: clock.now() - ctx.startedAt,
    observations: ctx.observations,
    details: ctx.details,
    ...(ctx.bound !== undefined && {
      binding: { by: ctx.bound.by, worker: ctx.bound.session.worker, remote: ctx.bound.session.remote },
    }),
    excerpt: excerpt.lines,
    excerptOmitted: excerpt.omitted,
  };
}

function noteBinding(run: CaseRun, board: string, bound: BoundSession): void {
  const worker = bound.session.worker;
  if (run.boundWorkers.get(board) === worker) return;
  run.boundWorkers.set(board, worker);
  run.emit({ type: 'bound', board, by: bound.by, worker, remote: bound.session.remote });
}

function failure(err: unknown): Pick<CaseResult, 'status' | 'message' | 'errorCode' | 'errorDetail'> {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    status: 'failed',
    message: e.message,
    errorCode: e instanceof HilError ? e.code : e.name,
    ...(e.stack !== undefined && { errorDetail: e.stack }),
  };
}

async function runCleanup(scenario: Scenario, bench: Bench, log: Logger): Promise<Error | undefined> {
  if (scenario.cleanup === undefined) return undefined;
  try {
    await scenario.cleanup(bench);
    return undefined;
  } catch (err) {
    log.error({ err, scenario: scenario.name }, 'scenario cleanup failed');
    return err instanceof Error ? err : new Error(String(err));
  }
}

function withCleanupFailure(result: CaseResult, err: Error): CaseResult {
  if (result.status !== 'passed') return result;
  return { ...result, ...failure(err), message: `cleanup failed: ${err.message}` };
}

/** The scenario's work, ended early by its overall bound or by the signal. */
function bounded<T>(
  work: Promise<T>,
  timeoutMs: number,
  scenario: string,
  clock: Clock,
  signal: AbortSignal | undefined,
  onGiveUp: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (): void => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      onGiveUp();
      reject(new ScenarioSkipped(INTERRUPTED));
    };
    const timer = clock.setTimeout(() => {
      finish();
      onGiveUp();
      reject(new ScenarioTimeoutError(scenario, timeoutMs));
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        finish();
        resolve(value);
      },
      (err: unknown) => {
        finish();
        reject(err);
      },
    );
  });
}

function benchSummary(bench: Bench): BenchSummary {
  return {
    kind: bench.kind,
    stratumUrl: bench.stratumUrl,
    ...(bench.proxyUrl !== undefined && { proxyUrl: bench.proxyUrl }),
    ...(bench.pool !== undefined && { poolUrl: bench.pool.url }),
  };
}

function boardSummaries(boards: readonly SuiteBoard[], watches: readonly BoardWatch[]): BoardSummary[] {
  return boards.map((b, i) => {
    const worker = watches[i]?.worker ?? b.worker;
    const firmware = b.handle.console.state.firmware;
    return {
      name: b.handle.name,
      path: b.handle.info.path,
      virtual: b.virtual,
      ...(worker !== undefined && { worker }),
      ...(firmware !== undefined && { firmware }),
      ...(b.build !== undefined && { build: b.build }),
    };
  });
}
