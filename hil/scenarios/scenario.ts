import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import type { BoardHandle } from '../boards/serial-board.js';
import type { Observation } from '../reports/suite-result.js';
import type { Bench, BenchCapability, StratumSessionView } from '../runner/bench.js';
import type { BoundSession } from '../runner/session-binding.js';
import type { Timing } from '../runner/timing.js';

export interface PollOptions {
  timeoutMs: number;
  /** What is awaited, for the failure message. */
  description: string;
  intervalMs?: number;
}

export interface SessionWaitOptions {
  timeoutMs?: number;
  /** Wait until the bound session also satisfies this. */
  until?: (session: StratumSessionView) => boolean;
  description?: string;
}

/** What a scenario gets to work with, for one board. */
export interface ScenarioContext {
  readonly board: BoardHandle;
  readonly bench: Bench;
  readonly timing: Timing;
  readonly virtual: boolean;
  /** False when the harness must not reset this board (`--no-reset`). */
  readonly canReset: boolean;
  /** The board's expected hash rate, kH/s. */
  readonly hashrateBandKhs: readonly [number, number];
  readonly clock: Clock;
  readonly log: Logger;
  /** Clock ms when the scenario started on this board. */
  readonly startedAt: number;
  /** The worker name the board authorizes with, once known. */
  worker(): string | undefined;
  /** The worker name in the board's own last mining.authorize line, if seen on its console. */
  authorizedAs(): string | undefined;
  /** Resets the board (virtual: restarts its firmware); resolves with the clock time of the reset. */
  reset(): Promise<number>;
  /** Waits until the board is subscribed and has a job, resetting it first if it was never seen connecting. */
  ensureMining(): Promise<void>;
  /** Waits until the bench shows a session tied to this board (and `until` holds). */
  session(options?: SessionWaitOptions): Promise<BoundSession>;
  /** Polls `probe` until it returns something other than undefined. */
  poll<T>(probe: () => Promise<T | undefined> | T | undefined, options: PollOptions): Promise<T>;
  /** Runs `action` once for all boards of this scenario, when each has arrived here (or finished). */
  together<T>(key: string, action: () => Promise<T>): Promise<T>;
  observe(kind: Observation['kind'], message: string): void;
  /** Records a measurement in the report. */
  detail(key: string, value: unknown): void;
  /** Fails the scenario with `message` unless `condition` holds. */
  check(condition: unknown, message: string): asserts condition;
  /** Ends the scenario as skipped. */
  skip(reason: string): never;
}

/** One scenario of the suite: a small file, selected by its name. */
export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** Only run when named explicitly (the long soak). */
  readonly optional?: boolean;
  /** Bench capabilities it cannot run without; it is skipped (with the reason) when missing. */
  readonly needs?: readonly BenchCapability[];
  /** Overall bound (each wait inside has its own). */
  timeoutMs(timing: Timing): number;
  run(ctx: ScenarioContext): Promise<void>;
  /** Runs once after every board finished: puts shared bench state back. */
  cleanup?(bench: Bench): Promise<void>;
}

/** Thrown by ScenarioContext.skip. */
export class ScenarioSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ScenarioSkipped';
  }
}
