import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { systemClock } from '../../runtime/clock.js';
import type { Clock } from '../../runtime/clock.js';
import { silentLogger } from '../../runtime/logger.js';
import type { Logger } from '../../runtime/logger.js';
import { BoardGoneError, ConsoleWaitTimeoutError } from '../errors.js';
import { BoardStateTracker } from './board-state.js';
import type { BoardState } from './board-state.js';
import type { ConsoleEvent, ConsoleEventKind, ConsoleEventOf } from './console-events.js';
import { createConsoleLineStream } from './console-stream.js';
import { parseConsoleLine } from './parse-console-line.js';

/** Console events kept for reports and failure messages; the oldest are dropped past this. */
export const DEFAULT_CONSOLE_HISTORY = 500;

export interface TimedConsoleEvent {
  readonly at: number;
  readonly event: ConsoleEvent;
}

export interface BoardConsoleOptions {
  /** Names the board in logs and errors (its serial number or path). */
  name?: string;
  clock?: Clock;
  log?: Logger;
  historySize?: number;
  lineCap?: number;
}

export interface WaitOptions {
  timeoutMs: number;
  /** What is awaited, for the timeout error. */
  description?: string;
}

interface BoardConsoleEvents {
  event: [event: ConsoleEvent, state: Readonly<BoardState>];
  /** The byte source ended or closed (a reset may do that; `gone` is the board's handle deciding it is lost). */
  closed: [error?: Error];
  gone: [error: BoardGoneError];
}

const LOG_LEVELS: Partial<Record<ConsoleEventKind, 'info' | 'warn'>> = {
  boot: 'info',
  'wifi-connected': 'info',
  'pool-connect-failed': 'warn',
  'pool-disconnected': 'warn',
  'pool-stall': 'warn',
  'stratum-error': 'warn',
  'share-refused': 'warn',
  'block-found': 'info',
};

/**
 * One board's console: lines in (from a serial port, a pty, or a fixture), typed events and an
 * aggregated BoardState out, for scenarios to wait on and assert against.
 */
export class BoardConsole extends EventEmitter<BoardConsoleEvents> {
  readonly name: string;
  private readonly tracker = new BoardStateTracker();
  private readonly ring: TimedConsoleEvent[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly historySize: number;
  private readonly lineCap: number | undefined;
  /** Rejecters of the waits in progress, so a lost board or an ended test case can end them. */
  private readonly waiting = new Set<(err: Error) => void>();
  private goneError: BoardGoneError | undefined;

  constructor(options: BoardConsoleOptions = {}) {
    super();
    this.name = options.name ?? 'board';
    this.clock = options.clock ?? systemClock;
    this.log = (options.log ?? silentLogger()).child({ board: this.name });
    this.historySize = options.historySize ?? DEFAULT_CONSOLE_HISTORY;
    this.lineCap = options.lineCap;
  }

  /** A snapshot of the board's state. */
  get state(): BoardState {
    return structuredClone(this.tracker.state);
  }

  /** Set once the board is lost: every wait then fails at once with it. */
  get gone(): BoardGoneError | undefined {
    return this.goneError;
  }

  /** The board is lost (its port closed for good): waits in progress and later ones fail with why. */
  markGone(reason: string): void {
    if (this.goneError !== undefined) return;
    this.goneError = new BoardGoneError(this.name, reason);
    this.log.warn({ reason }, 'board gone');
    this.cancelWaits(this.goneError);
    this.emit('gone', this.goneError);
  }

  /** Ends every wait in progress with `err` (the runner does this when a test case ends). */
  cancelWaits(err: Error): void {
    for (const reject of [...this.waiting]) reject(err);
  }

  /** The most recent events, oldest first. */
  history(): readonly TimedConsoleEvent[] {
    return [...this.ring];
  }

  /** Parses and applies one console line; returns its event. */
  feedLine(line: string): ConsoleEvent {
    const event = parseConsoleLine(line);
    this.apply(event);
    return event;
  }

  apply(event: ConsoleEvent): void {
    const at = this.clock.now();
    this.tracker.apply(event, at);
    this.ring.push({ at, event });
    if (this.ring.length > this.historySize) this.ring.shift();
    this.log.trace({ kind: event.kind, line: event.line }, 'console');
    const level = LOG_LEVELS[event.kind];
    if (level !== undefined) this.log[level]({ kind: event.kind, line: event.line }, 'board event');
    this.emit('event', event, this.tracker.state);
  }

  /** Reads console bytes from `source` until it ends; returns a function that stops reading. */
  attach(source: Readable): () => void {
    const lines = createConsoleLineStream(
      source,
      this.lineCap === undefined ? {} : { lineCap: this.lineCap },
    );
    let attached = true;
    const closed = (err?: Error): void => {
      if (!attached) return;
      attached = false;
      this.emit('closed', err);
    };
    // serialport closes a port whose device vanished without ending the stream ('close' with an error).
    const onSourceClose = (err?: unknown): void => closed(err instanceof Error ? err : undefined);
    lines.on('data', (line: string) => this.feedLine(line));
    lines.once('end', () => closed());
    lines.once('error', (err) => {
      this.log.warn({ err }, 'console stream failed');
      closed(err);
    });
    source.once('close', onSourceClose);
    return () => {
      attached = false;
      source.off('close', onSourceClose);
      lines.destroy();
    };
  }

  /** Resolves with the state once `predicate` holds (checked now and after each event). */
  waitFor(
    predicate: (state: Readonly<BoardState>, event?: ConsoleEvent) => boolean,
    options: WaitOptions,
  ): Promise<BoardState> {
    if (predicate(this.tracker.state)) return Promise.resolve(this.state);
    return this.waitForNext((event, state) => predicate(state, event), options).then(() => this.state);
  }

  /** Resolves with the next event of `kind` (matching `where`, if given) seen after this call. */
  waitForEvent<K extends ConsoleEventKind>(
    kind: K,
    options: WaitOptions & { where?: (event: ConsoleEventOf<K>) => boolean },
  ): Promise<ConsoleEventOf<K>> {
    const matches = (event: ConsoleEvent): event is ConsoleEventOf<K> =>
      event.kind === kind && (options.where === undefined || options.where(event as ConsoleEventOf<K>));
    return this.waitForNext(matches, { description: `a ${kind} event`, ...options }) as Promise<
      ConsoleEventOf<K>
    >;
  }

  private waitForNext(
    matches: (event: ConsoleEvent, state: Readonly<BoardState>) => boolean,
    options: WaitOptions,
  ): Promise<ConsoleEvent> {
    const description = `${options.description ?? 'a console condition'} on ${this.name}`;
    const wait = new Promise<ConsoleEvent>((resolve, reject) => {
      if (this.goneError !== undefined) {
        reject(this.goneError);
        return;
      }
      const onEvent = (event: ConsoleEvent, state: Readonly<BoardState>): void => {
        if (!matches(event, state)) return;
        cleanup();
        resolve(event);
      };
      const fail = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const timer = this.clock.setTimeout(
        () => fail(new ConsoleWaitTimeoutError(description, options.timeoutMs)),
        options.timeoutMs,
      );
      const cleanup = (): void => {
        this.off('event', onEvent);
        this.clock.clearTimeout(timer);
        this.waiting.delete(fail);
      };
      this.waiting.add(fail);
      this.on('event', onEvent);
    });
    // A wait its scenario gave up on (it failed on something else first) must not end the process
    // as an unhandled rejection; whoever awaits it still gets the error.
    wait.catch(() => undefined);
    return wait;
  }
}
