import type { Clock } from '../../runtime/clock.js';
import type { BoardConsole, TimedConsoleEvent } from '../serial/board-console.js';
import type { BoardState } from '../serial/board-state.js';
import type { ConsoleEvent } from '../serial/console-events.js';

/** True when the board is subscribed and has had a job since. */
export function isMining(s: Readonly<BoardState>): boolean {
  return s.subscribed && s.lastJob !== undefined && s.lastJob.at >= (s.times.subscribed ?? 0);
}

/** Difficulties as printed with %.12f compare equal to what was sent. */
export function sameDifficulty(a: number | null | undefined, b: number): boolean {
  if (a === null || a === undefined) return false;
  return Math.abs(a - b) <= Math.max(1e-12, Math.abs(b) * 1e-6);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A wait armed early whose failure is looked at later: no unhandled rejection meanwhile. */
export function armed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

/** Console events from now on (bounded), for judging what a board did after a message. */
export interface EventRecorder {
  readonly events: readonly TimedConsoleEvent[];
  /** Events at or after `at` matching `match`. */
  since(at: number, match: (event: ConsoleEvent) => boolean): TimedConsoleEvent[];
  stop(): void;
}

export const DEFAULT_RECORDER_EVENTS = 5000;

export function recordEvents(
  console: BoardConsole,
  clock: Clock,
  max = DEFAULT_RECORDER_EVENTS,
): EventRecorder {
  const events: TimedConsoleEvent[] = [];
  const onEvent = (event: ConsoleEvent): void => {
    events.push({ at: clock.now(), event });
    if (events.length > max) events.shift();
  };
  console.on('event', onEvent);
  return {
    events,
    since: (at, match) => events.filter((e) => e.at >= at && match(e.event)),
    stop: () => console.off('event', onEvent),
  };
}

/** The board (re)opening its pool connection. */
export function isReconnecting(event: ConsoleEvent): boolean {
  return (
    event.kind === 'pool-connecting' ||
    event.kind === 'subscribe-sent' ||
    (event.kind === 'stratum-tx' && event.payload.method === 'mining.subscribe')
  );
}

/** A pool message of `method` echoed on the console. */
export function isReceived(method: string): (event: ConsoleEvent) => boolean {
  return (event) => event.kind === 'stratum-rx' && event.payload.method === method;
}
