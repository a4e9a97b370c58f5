import type { Clock } from '../../runtime/clock.js';
import type { BoardHandle } from '../boards/serial-board.js';
import type { ConsoleEvent } from '../serial/console-events.js';

/** Console lines kept per board for report excerpts; the oldest are dropped past this. */
export const DEFAULT_EXCERPT_RING = 4000;
/** Lines of one test case's excerpt (the last ones are kept). */
export const DEFAULT_EXCERPT_LINES = 150;
/** Lines from just before a case that its excerpt starts with, for context (negative times). */
export const DEFAULT_EXCERPT_CONTEXT = 10;
/** Longer console lines (a notify is ~1 KB) are cut in excerpts. */
export const DEFAULT_EXCERPT_LINE_CHARS = 400;

export interface ExcerptLine {
  /** Milliseconds since the test case started. */
  readonly t: number;
  readonly line: string;
}

export interface Excerpt {
  readonly lines: ExcerptLine[];
  /** Earlier lines of the case left out. */
  readonly omitted: number;
}

/**
 * Follows one board's console for the whole run: what scenarios need beyond BoardState (the
 * worker name it authorizes with, whether it was ever seen connecting) and the lines for report
 * excerpts.
 */
export class BoardWatch {
  /** Worker name from --worker, or from the board's own mining.authorize line. */
  worker: string | undefined;
  /** The worker name in the board's last mining.authorize line. */
  lastAuthorized: string | undefined;
  /** True once the console showed the board subscribing since the harness opened it. */
  seenSubscribe = false;
  /** Resets the harness made (tried). */
  resets = 0;
  /** Why the last reset failed, if it did; the board is then waited for, not reset again. */
  resetFailure: string | undefined;
  private readonly ring: { at: number; line: string }[] = [];
  private readonly detach: () => void;

  constructor(
    readonly board: BoardHandle,
    worker: string | undefined,
    private readonly clock: Clock,
    private readonly ringSize = DEFAULT_EXCERPT_RING,
  ) {
    this.worker = worker;
    const onEvent = (event: ConsoleEvent): void => this.onEvent(event);
    board.console.on('event', onEvent);
    this.detach = () => board.console.off('event', onEvent);
  }

  /** The worker name in a mining.authorize line the board sent, if this event is one. */
  static authorizedWorker(event: ConsoleEvent): string | undefined {
    if (event.kind !== 'stratum-tx' || event.payload.method !== 'mining.authorize') return undefined;
    const json = event.payload.json as { params?: unknown } | undefined;
    const user = Array.isArray(json?.params) ? json.params[0] : undefined;
    return typeof user === 'string' && user !== '' ? user : undefined;
  }

  /**
   * Lines seen from `from` to `to` (clock ms), the last `maxLines` of them; when they all fit, led
   * by up to `contextLines` lines from just before `from` (their times are negative).
   */
  excerpt(
    from: number,
    to: number,
    maxLines = DEFAULT_EXCERPT_LINES,
    contextLines = DEFAULT_EXCERPT_CONTEXT,
  ): Excerpt {
    const inCase = this.ring.filter((l) => l.at >= from && l.at <= to);
    const kept = inCase.slice(-maxLines);
    const before =
      kept.length === inCase.length ? this.ring.filter((l) => l.at < from).slice(-contextLines) : [];
    return {
      omitted: inCase.length - kept.length,
      lines: [...before, ...kept].map((l) => ({ t: l.at - from, line: cut(l.line) })),
    };
  }

  stop(): void {
    this.detach();
  }

  private onEvent(event: ConsoleEvent): void {
    this.ring.push({ at: this.clock.now(), line: event.line });
    if (this.ring.length > this.ringSize) this.ring.shift();
    if (
      event.kind === 'subscribe-sent' ||
      (event.kind === 'stratum-tx' && event.payload.method === 'mining.subscribe')
    ) {
      this.seenSubscribe = true;
    }
    const authorized = BoardWatch.authorizedWorker(event);
    if (authorized !== undefined) {
      this.lastAuthorized = authorized;
      this.worker ??= authorized;
    }
  }
}

function cut(line: string): string {
  return line.length > DEFAULT_EXCERPT_LINE_CHARS
    ? `${line.slice(0, DEFAULT_EXCERPT_LINE_CHARS)}… (${line.length} chars)`
    : line;
}
