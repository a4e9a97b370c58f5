import { DEFAULT_POOL_LINE_CAP, LineFramer } from '../stratum/index.js';
import type { Clock } from '../runtime/clock.js';
import type { MarkEvent, RecordLine, RecordingHeader, Side } from './format.js';
import { RECORDING_FORMAT, RECORDING_VERSION } from './format.js';
import { redactPassword } from './redact.js';

/** A recording stops (the tap goes on) when its file would grow past this. */
export const DEFAULT_MAX_RECORDING_BYTES = 64 * 1024 * 1024;
/** Lines longer than this are noted by length only; a pool's notify is far below it. */
export const DEFAULT_RECORD_LINE_CAP = DEFAULT_POOL_LINE_CAP;

/** Where a session's records go: a file in practice, an array in tests. */
export interface RecordSink {
  /** Writes one line (newline added); false when the sink cannot take more (queue full). */
  write(text: string): boolean;
  end(): Promise<void>;
}

export interface SessionRecorderOptions {
  clock: Clock;
  /** Stop recording after this many bytes (default DEFAULT_MAX_RECORDING_BYTES). */
  maxBytes?: number;
  /** Longest line kept whole (default DEFAULT_RECORD_LINE_CAP). */
  lineCap?: number;
  /**
   * Asks whether a pool line is new work the pool announced on its own (a job or block timer):
   * a promise of the mark to write just before that line, or undefined when the line is not one
   * to ask about. Records after it wait (in order, with their own times) until it settles.
   */
  markFor?: (poolLine: string) => Promise<MarkEvent | undefined> | undefined;
}

/** A record waiting behind a pool line whose mark is still being looked up. */
interface Held {
  rec: RecordLine;
  settled: boolean;
  mark?: MarkEvent | undefined;
}

export type SessionHeaderFields = Omit<RecordingHeader, 'format' | 'version' | 'started'>;

/**
 * Records one Stratum session: every line each side sent, with its time offset, passwords
 * redacted. Feed it raw bytes (`minerBytes`/`poolBytes`, framed here) from a tap, or whole lines
 * (`minerLine`/`poolLine`) from a proxy that already frames them. Bounded: after `maxBytes` it
 * writes a `truncated` record and ignores the rest.
 */
export class SessionRecorder {
  readonly startedAt: number;
  private readonly clock: Clock;
  private readonly maxBytes: number;
  private readonly framers: Record<Side, LineFramer>;
  private bytes = 0;
  private records = 0;
  private stopped = false;
  private closeRecorded = false;
  private ending: Promise<void> | undefined;
  private readonly markFor: SessionRecorderOptions['markFor'];
  private readonly held: Held[] = [];
  private readonly lookups = new Set<Promise<unknown>>();

  constructor(
    private readonly sink: RecordSink,
    header: SessionHeaderFields,
    options: SessionRecorderOptions,
  ) {
    this.clock = options.clock;
    this.startedAt = options.clock.now();
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_RECORDING_BYTES;
    const cap = options.lineCap ?? DEFAULT_RECORD_LINE_CAP;
    this.framers = { miner: new LineFramer(cap), pool: new LineFramer(cap) };
    this.markFor = options.markFor;
    const full: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      session: header.session,
      started: new Date(this.startedAt).toISOString(),
      ...withoutSession(header),
    };
    this.put(JSON.stringify(full), true);
  }

  /** Records written after the header. */
  get recordCount(): number {
    return this.records;
  }

  minerBytes(chunk: Uint8Array): void {
    this.frame('miner', chunk);
  }

  poolBytes(chunk: Uint8Array): void {
    this.frame('pool', chunk);
  }

  minerLine(line: string): void {
    this.record({ t: this.offset(), from: 'miner', line: redactPassword(line) });
  }

  poolLine(line: string): void {
    const rec: RecordLine = { t: this.offset(), from: 'pool', line };
    const lookup = this.stopped || this.ending !== undefined ? undefined : this.markFor?.(line);
    if (lookup === undefined) {
      this.record(rec);
      return;
    }
    const entry: Held = { rec, settled: false };
    this.held.push(entry);
    const settled = lookup.then(
      (mark) => {
        entry.mark = mark;
      },
      () => undefined,
    );
    this.lookups.add(settled);
    void settled.then(() => {
      this.lookups.delete(settled);
      entry.settled = true;
      this.flush();
    });
  }

  /** Notes what the driver did to the target (new job, new block), for replays to repeat. */
  mark(event: MarkEvent): void {
    this.record({ t: this.offset(), event });
  }

  /** The side that closed first; later calls are ignored. */
  closed(by: Side, error?: string): void {
    if (this.closeRecorded) return;
    this.closeRecorded = true;
    this.record({ t: this.offset(), from: by, close: true, ...(error === undefined ? {} : { error }) });
  }

  /** Waits for marks being looked up, then flushes and closes the sink. */
  end(): Promise<void> {
    this.ending ??= (async () => {
      while (this.lookups.size > 0) await Promise.all([...this.lookups]);
      await this.sink.end();
    })();
    return this.ending;
  }

  private frame(from: Side, chunk: Uint8Array): void {
    if (this.stopped) return;
    for (const ev of this.framers[from].push(chunk)) {
      if (ev.kind === 'line') {
        if (from === 'miner') this.minerLine(ev.line);
        else this.poolLine(ev.line);
      } else {
        this.record({ t: this.offset(), from, oversize: ev.error.cap });
      }
    }
  }

  private offset(): number {
    return Math.max(0, this.clock.now() - this.startedAt);
  }

  private record(rec: RecordLine): void {
    if (this.stopped || this.ending !== undefined) return;
    if (this.held.length > 0) this.held.push({ rec, settled: true });
    else this.write(rec);
  }

  /** Writes held records in order, up to the first whose mark is still being looked up. */
  private flush(): void {
    while (this.held[0]?.settled === true) {
      const { rec, mark } = this.held.shift() as Held;
      if (mark !== undefined) this.write({ t: rec.t, event: mark });
      this.write(rec);
    }
  }

  private write(rec: RecordLine): void {
    if (this.stopped) return;
    const text = JSON.stringify(rec);
    if (this.bytes + text.length + 1 > this.maxBytes) {
      this.stop(`size cap of ${this.maxBytes} bytes reached`);
      return;
    }
    this.records += 1;
    if (!this.put(text)) this.stop('write queue full');
  }

  private stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sink.write(JSON.stringify({ t: this.offset(), truncated: reason } satisfies RecordLine));
  }

  private put(text: string, force = false): boolean {
    this.bytes += text.length + 1;
    const ok = this.sink.write(text);
    return ok || force;
  }
}

function withoutSession(h: SessionHeaderFields): Omit<SessionHeaderFields, 'session'> {
  const { session: _session, ...rest } = h;
  return rest;
}
