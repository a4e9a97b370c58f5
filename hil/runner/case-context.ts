import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { BoardResetTimeoutError, ScenarioAssertionError, SessionNotBoundError } from '../errors.js';
import type { Observation } from '../reports/suite-result.js';
import type { PollOptions, ScenarioContext, SessionWaitOptions } from '../scenarios/scenario.js';
import { ScenarioSkipped } from '../scenarios/scenario.js';
import { isMining } from '../scenarios/board-checks.js';
import type { Barrier } from './barrier.js';
import type { Bench } from './bench.js';
import type { BoardWatch } from './board-watch.js';
import type { BoundSession } from './session-binding.js';
import { bindSession } from './session-binding.js';
import type { Timing } from './timing.js';

export interface CaseContextOptions {
  index: number;
  board: BoardHandle;
  watch: BoardWatch;
  bench: Bench;
  timing: Timing;
  virtual: boolean;
  canReset: boolean;
  hashrateBandKhs: readonly [number, number];
  clock: Clock;
  log: Logger;
  barrier: Barrier;
  /** Worker names tied to the other boards (not candidates for remote or timing matches). */
  takenBy: (board: string) => ReadonlySet<string>;
  /** Called when the board is tied to a session (the runner remembers and reports it). */
  onBound: (bound: BoundSession) => void;
}

/** ScenarioContext for one board in one scenario; collects what goes in its test case. */
export class CaseContext implements ScenarioContext {
  readonly startedAt: number;
  readonly observations: Observation[] = [];
  readonly details: Record<string, unknown> = {};
  bound: BoundSession | undefined;
  /** Set when the runner gave up on the case; loops stop early. */
  aborted = false;

  constructor(private readonly o: CaseContextOptions) {
    this.startedAt = o.clock.now();
  }

  get board(): BoardHandle {
    return this.o.board;
  }
  get bench(): Bench {
    return this.o.bench;
  }
  get timing(): Timing {
    return this.o.timing;
  }
  get virtual(): boolean {
    return this.o.virtual;
  }
  get canReset(): boolean {
    return this.o.canReset;
  }
  get hashrateBandKhs(): readonly [number, number] {
    return this.o.hashrateBandKhs;
  }
  get clock(): Clock {
    return this.o.clock;
  }
  get log(): Logger {
    return this.o.log;
  }

  worker(): string | undefined {
    return this.o.watch.worker;
  }

  authorizedAs(): string | undefined {
    return this.o.watch.lastAuthorized;
  }

  /** Resets the board, bounded by `timing.resetMs`; a failure is remembered so later cases wait instead. */
  async reset(): Promise<number> {
    const { board, watch, timing, clock } = this.o;
    const at = clock.now();
    watch.resets++;
    try {
      await withTimeout(board.reset(), timing.resetMs, clock, () => {
        return new BoardResetTimeoutError(board.name, timing.resetMs);
      });
    } catch (err) {
      watch.resetFailure = (err as Error).message;
      throw err;
    }
    watch.resetFailure = undefined;
    return at;
  }

  async ensureMining(): Promise<void> {
    const { watch, board, timing } = this.o;
    if (isMining(board.console.state)) return;
    this.failIfGone();
    if (!watch.seenSubscribe && watch.resets === 0) {
      if (!this.o.canReset) {
        this.observe('info', 'not seen connecting since the console opened, and resets are off: waiting');
      } else {
        await this.reset();
      }
    } else if (watch.resetFailure !== undefined && !watch.seenSubscribe) {
      this.observe(
        'info',
        `an earlier reset failed (${watch.resetFailure}): waiting for the board to connect`,
      );
    }
    await board.console.waitFor(isMining, {
      timeoutMs: timing.bootMs,
      description: 'the board to subscribe and get a job',
    });
  }

  async session(options: SessionWaitOptions = {}): Promise<BoundSession> {
    const timeoutMs = options.timeoutMs ?? this.o.timing.sessionMs;
    const { board, watch, bench } = this.o;
    const deadline = this.o.clock.now() + timeoutMs;
    let last: BoundSession | undefined;
    for (;;) {
      const s = board.console.state;
      const clues = { worker: watch.worker, ip: s.ip, subscribedAt: s.times.subscribed };
      last = bindSession(clues, await bench.sessions(), {
        skewMs: this.o.timing.skewMs,
        taken: this.o.takenBy(board.name),
      });
      if (last !== undefined) {
        this.bound = last;
        this.o.onBound(last);
        if (options.until === undefined || options.until(last.session)) return last;
      }
      if (this.aborted || this.o.clock.now() >= deadline) break;
      this.failIfGone();
      await this.sleep(this.o.timing.pollMs);
    }
    if (last !== undefined) {
      throw new ScenarioAssertionError(
        `${options.description ?? 'the session condition'} did not hold within ${timeoutMs} ms ` +
          `(session ${last.session.worker}: ${JSON.stringify(summary(last))})`,
      );
    }
    const known = [
      watch.worker === undefined ? 'worker unknown' : `worker ${watch.worker}`,
      board.console.state.ip === undefined ? 'IP unknown' : `IP ${board.console.state.ip}`,
    ].join(', ');
    throw new SessionNotBoundError(board.name, timeoutMs, known);
  }

  async poll<T>(probe: () => Promise<T | undefined> | T | undefined, options: PollOptions): Promise<T> {
    const deadline = this.o.clock.now() + options.timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      this.failIfGone();
      if (this.aborted || this.o.clock.now() >= deadline) {
        throw new ScenarioAssertionError(
          `${options.description} did not happen within ${options.timeoutMs} ms`,
        );
      }
      await this.sleep(options.intervalMs ?? this.o.timing.pollMs);
    }
  }

  together<T>(key: string, action: () => Promise<T>): Promise<T> {
    return this.o.barrier.arrive(this.o.index, key, action);
  }

  observe(kind: Observation['kind'], message: string): void {
    this.observations.push({ kind, message });
    this.o.log.info({ board: this.o.board.name, kind }, message);
  }

  detail(key: string, value: unknown): void {
    this.details[key] = value;
  }

  check(condition: unknown, message: string): asserts condition {
    if (!condition) throw new ScenarioAssertionError(message);
  }

  skip(reason: string): never {
    throw new ScenarioSkipped(reason);
  }

  /** A lost board fails the case at once with why, rather than at the end of a wait. */
  private failIfGone(): void {
    const gone = this.o.board.console.gone;
    if (gone !== undefined) throw gone;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.o.clock.setTimeout(resolve, ms));
  }
}

function summary(bound: BoundSession): Record<string, unknown> {
  const s = bound.session;
  return {
    by: bound.by,
    connected: s.connected,
    difficulty: s.difficulty,
    accepted: s.accepted,
    poolAccepted: s.poolAccepted,
  };
}

/** `work`, or `timeout()` thrown after `ms` (the work itself is abandoned, its failure ignored). */
function withTimeout<T>(work: Promise<T>, ms: number, clock: Clock, timeout: () => Error): Promise<T> {
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(timeout()), ms);
    work.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clock.clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
