import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { LineConnection } from '../runtime/line-connection.js';
import type { CloseReason } from '../runtime/line-connection.js';
import type { Logger } from '../runtime/logger.js';
import { silentLogger } from '../runtime/logger.js';
import { DEFAULT_POOL_LINE_CAP } from '../stratum/line-framer.js';
import { formatHostPort } from './host-port.js';
import { LineWaits } from './line-waits.js';
import { ReceivedLines } from './received-lines.js';
import type { Answer, Notification, ReceivedLine } from './received-lines.js';
import { DEFAULT_TRANSCRIPT_LINES, Transcript } from './transcript.js';
import type { TranscriptEntry } from './transcript.js';

export type { Answer, Notification, ReceivedLine } from './received-lines.js';
export type { TranscriptDir, TranscriptEntry } from './transcript.js';

/** How long a wait may take before it fails: generous, as a loaded 2-core CI machine can be slow. */
export const DEFAULT_WAIT_MS = 15_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Received lines kept for lookups (the most recent). */
export const DEFAULT_KEEP_LINES = 10_000;
/** Room to queue one deliberately oversized line (conformance sends 1 MiB) to a slow reader. */
export const DEFAULT_CLIENT_SEND_QUEUE_BYTES = 8 * 1024 * 1024;

export interface StratumClientOptions {
  /** Times the connect, the waits and the transcript (the system clock by default). */
  clock?: Clock;
  /** Traces every line both ways. */
  logger?: Logger;
  /** Names the client in logs and reports, e.g. a recording's name. */
  label?: string;
  /** Longest line accepted; a longer one closes the connection (default DEFAULT_POOL_LINE_CAP). */
  lineCap?: number;
  maxQueuedBytes?: number;
  keepLines?: number;
  transcriptLines?: number;
  /** The bound of a wait given no timeout. */
  waitMs?: number;
}

export interface ClientTarget {
  host?: string;
  port: number;
  /** Source address to connect from (a ban or a limit then lands on it alone). */
  localAddress?: string;
  connectTimeoutMs?: number;
}

/**
 * The one Stratum client of the tests, replay, conformance and bench: over TCP or any byte stream
 * (TLS, a WebSocket seen as lines). Sends requests, raw lines or raw bytes; keeps what arrives
 * (bounded) to look answers up by id and notifications by method, and a transcript of both
 * directions; waits on what arrives, never by polling.
 */
export class StratumClient extends EventEmitter<{ line: [line: string]; close: [reason: CloseReason] }> {
  readonly label: string;
  closeReason: CloseReason | undefined;
  closedAt: number | undefined;
  private readonly lines: ReceivedLines;
  private readonly record: Transcript;
  private readonly waits: LineWaits;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly waitMs: number;
  private nextId = 1;

  private constructor(
    private readonly conn: LineConnection,
    private readonly stream: Duplex,
    options: StratumClientOptions,
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.label = options.label ?? 'client';
    this.log = (options.logger ?? silentLogger()).child({ client: this.label });
    this.waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    this.lines = new ReceivedLines(options.keepLines ?? DEFAULT_KEEP_LINES);
    this.record = new Transcript(this.clock, options.transcriptLines ?? DEFAULT_TRANSCRIPT_LINES);
    this.waits = new LineWaits(this.clock, () => this.conn.isClosed);
    conn.on('line', (line) => {
      this.log.trace({ line }, 'rx');
      this.lines.push(line);
      this.record.add('received', line);
      this.emit('line', line);
      this.waits.poke();
    });
    conn.on('oversize', (err) => this.note(`line from the peer longer than ${err.cap} bytes dropped`));
    conn.on('close', (reason) => {
      this.closeReason = reason;
      this.closedAt = this.clock.now();
      this.record.add('closed', reason === 'local' ? 'closed by us' : `closed: ${reason}`);
      this.emit('close', reason);
      this.waits.poke();
    });
  }

  /** Connects over TCP (host 127.0.0.1 unless given); rejects naming the address and the cause. */
  static connect(target: number | ClientTarget, options: StratumClientOptions = {}): Promise<StratumClient> {
    const t = typeof target === 'number' ? { port: target } : target;
    const address = formatHostPort({ host: t.host ?? '127.0.0.1', port: t.port });
    const clock = options.clock ?? systemClock;
    const timeoutMs = t.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: t.host ?? '127.0.0.1',
        port: t.port,
        noDelay: true,
        ...(t.localAddress === undefined ? {} : { localAddress: t.localAddress }),
      });
      const timer = clock.setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${address} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clock.clearTimeout(timer);
        reject(new Error(`cannot connect to ${address}: ${err.code ?? err.message}`));
      });
      socket.once('connect', () => {
        clock.clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(StratumClient.over(socket, options));
      });
    });
  }

  /** A client over a stream that is already open: a TLS socket, a WebSocket's line stream. */
  static over(stream: Duplex, options: StratumClientOptions = {}): StratumClient {
    const conn = new LineConnection(stream, {
      lineCap: options.lineCap ?? DEFAULT_POOL_LINE_CAP,
      maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_CLIENT_SEND_QUEUE_BYTES,
    });
    return new StratumClient(conn, stream, options);
  }

  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  /** The most recent lines received (DEFAULT_KEEP_LINES), in order. */
  get received(): readonly ReceivedLine[] {
    return this.lines.kept;
  }

  /** Every line received, kept or not. */
  get receivedCount(): number {
    return this.lines.count;
  }

  get transcript(): TranscriptEntry[] {
    return this.record.entries;
  }

  get droppedFromTranscript(): number {
    return this.record.dropped;
  }

  /** One line, a newline added; false when the connection is closed. */
  sendLine(line: string): boolean {
    if (this.conn.isClosed) return false;
    this.log.trace({ line }, 'tx');
    this.record.add('sent', line);
    return this.conn.send(line);
  }

  send(message: Record<string, unknown>): boolean {
    return this.sendLine(JSON.stringify(message));
  }

  /** Bytes exactly as given (no newline added): split lines, garbage. */
  write(bytes: string | Buffer): void {
    if (this.conn.isClosed) return;
    this.record.add('sent', bytes.toString());
    this.stream.write(bytes);
  }

  /** A remark in the transcript (what was mined, why a line is sent). */
  note(text: string): void {
    this.record.add('note', text);
  }

  /** Sends a request with a fresh id (or `id`) and awaits its answer. */
  request(method: string, params: unknown[] = [], id: unknown = this.nextId++): Promise<Answer> {
    this.send({ id, method, params });
    return this.answer(id);
  }

  answer(id: unknown, timeoutMs = this.waitMs): Promise<Answer> {
    return this.until(`an answer to id ${JSON.stringify(id)}`, () => this.lines.answersTo(id)[0], timeoutMs);
  }

  /** Every answer received (and kept) with this id, JSON-equal. */
  answersTo(id: unknown): Answer[] {
    return this.lines.answersTo(id);
  }

  answers(): Answer[] {
    return this.lines.answers();
  }

  /** Waits until `count` answers have come in all (and are kept). */
  answerCount(count: number, timeoutMs = this.waitMs): Promise<Answer[]> {
    return this.until(
      `${count} answers`,
      () => {
        const all = this.lines.answers();
        return all.length >= count ? all : undefined;
      },
      timeoutMs,
    );
  }

  /** The next notification of `method` not taken by an earlier call. */
  notification(method: string, timeoutMs = this.waitMs): Promise<Notification> {
    return this.until(`notification ${method}`, () => this.lines.takeNotification(method), timeoutMs);
  }

  notifications(method: string): Notification[] {
    return this.lines.notifications(method);
  }

  /** The first kept line that matches. */
  line(
    description: string,
    match: (r: ReceivedLine) => boolean,
    timeoutMs = this.waitMs,
  ): Promise<ReceivedLine> {
    return this.until(description, () => this.lines.kept.find(match), timeoutMs);
  }

  /** The probe's first value; rejects, with the last lines, on the timeout or when the connection closes. */
  async until<T>(description: string, probe: () => T | undefined, timeoutMs = this.waitMs): Promise<T> {
    const value = await this.waits.waitFor(probe, timeoutMs, true);
    if (value !== undefined) return value;
    const why = this.isClosed ? `connection closed (${this.closeReason})` : `timed out after ${timeoutMs} ms`;
    throw new Error(`${this.label}: ${why} waiting for ${description}; last lines:\n${this.lines.tail()}`);
  }

  /**
   * The probe's first value, re-checked on every line and on close; undefined after `timeoutMs`,
   * or once the connection closes when `stopOnClose`. For callers that report a miss themselves.
   */
  waitFor<T>(
    probe: () => T | undefined,
    timeoutMs = this.waitMs,
    stopOnClose = true,
  ): Promise<T | undefined> {
    return this.waits.waitFor(probe, timeoutMs, stopOnClose);
  }

  /** Resolves once the peer has closed the connection; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = this.waitMs): Promise<void> {
    const closed = await this.waits.waitFor(() => (this.isClosed ? true : undefined), timeoutMs, false);
    if (closed !== true) {
      throw new Error(`${this.label}: timed out after ${timeoutMs} ms waiting for the connection to close`);
    }
  }

  /** Stops reading (the kernel's buffers fill, then the peer's send queue). */
  pause(): void {
    this.conn.pause();
  }

  resume(): void {
    this.conn.resume();
  }

  /** Drops the connection at once; pending waits are dropped unsettled. */
  destroy(): void {
    this.waits.drop();
    if (!this.conn.isClosed) this.conn.destroy();
    this.stream.destroy();
  }

  /** destroy(), then resolves once the stream has closed. */
  async close(): Promise<void> {
    this.destroy();
    if (this.stream.closed) return;
    await new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
  }
}
