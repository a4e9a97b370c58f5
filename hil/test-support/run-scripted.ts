import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { runSuite } from '../runner/run-suite.js';
import type { Timing } from '../runner/timing.js';
import { VIRTUAL_TIMING } from '../runner/timing.js';
import { selectScenarios } from '../scenarios/index.js';
import type { Scenario } from '../scenarios/scenario.js';
import { FakeBench, fakeSession } from './fake-bench.js';
import type { FakeBenchOptions } from './fake-bench.js';
import { ScriptedNerdMiner } from './scripted-nerdminer.js';
import type { ScriptedNerdMinerOptions } from './scripted-nerdminer.js';

export type BoardScript = Partial<Omit<ScriptedNerdMinerOptions, 'clock' | 'session' | 'name' | 'worker'>>;

export interface ScriptedRun {
  result: Awaited<ReturnType<typeof runSuite>>;
  bench: FakeBench;
  boards: ScriptedNerdMiner[];
  clock: ManualClock;
}

/** Longest a scripted run may take on the manual clock before the test gives up on it. */
const MAX_VIRTUAL_MS = 30 * 60_000;

/**
 * Runs scenarios with the real runner on scripted NerdMiners against the fake bench, all on a
 * manual clock advanced 5 ms at a time (promises settle between timers): no socket, no pty, no
 * real wait.
 */
export async function runScripted(options: {
  bench: Omit<FakeBenchOptions, 'clock'>;
  boards: BoardScript[];
  scenarios: readonly string[] | readonly Scenario[];
  timing?: Partial<Timing>;
  reset?: boolean;
  virtual?: boolean;
}): Promise<ScriptedRun> {
  const clock = new ManualClock(1_750_000_000_000);
  const bench = new FakeBench({ ...options.bench, clock });
  const boards = options.boards.map((script, i) => {
    const worker = `bc1qscripted.rig${i + 1}`;
    const session = fakeSession(worker);
    bench.views.push(session);
    const board = new ScriptedNerdMiner({ ...script, name: `nerd-${i + 1}`, worker, clock, session });
    bench.boards.push(board);
    return board;
  });
  const scenarios = options.scenarios.map((s) => (typeof s === 'string' ? selectScenarios([s])[0]! : s));
  const result = await onManualClock(
    clock,
    runSuite({
      boards: boards.map((b) => ({
        handle: b,
        worker: b.session.worker,
        virtual: options.virtual ?? true,
        hashrateBandKhs: [3, 90] as const,
      })),
      bench,
      scenarios,
      timing: { ...VIRTUAL_TIMING, ...options.timing },
      clock,
      ...(options.reset !== undefined && { reset: options.reset }),
    }),
  );
  for (const b of boards) await b.close();
  return { result, bench, boards, clock };
}

/** Advances `clock` 5 ms at a time (promises settle between timers) until `work` ends. */
export async function onManualClock<T>(clock: ManualClock, work: Promise<T>): Promise<T> {
  let done = false;
  const watched = work.finally(() => {
    done = true;
  });
  watched.catch(() => undefined);
  const end = clock.now() + MAX_VIRTUAL_MS;
  while (!done && clock.now() < end) await clock.tick(5);
  if (!done) throw new Error(`not done within ${MAX_VIRTUAL_MS} ms of manual time`);
  return watched;
}
