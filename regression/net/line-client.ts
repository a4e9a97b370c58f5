import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { LineConnection } from '../../runtime/line-connection.js';
import type { CloseReason } from '../../runtime/line-connection.js';
import type { Logger } from '../../runtime/logger.js';
import { silentLogger } from '../../runtime/logger.js';
import { DEFAULT_POOL_LINE_CAP } from '../../stratum/index.js';
import type { HostPort } from '../../peers/host-port.js';

/** How long a connect may take. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Lines a transcript keeps; later ones are counted, not kept. */
export const DEFAULT_TRANSCRIPT_LINES = 20_000;
/** Characters of one line a transcript keeps. */
export const DEFAULT_TRANSCRIPT_LINE_CHARS = 4096;
/** Room to queue one deliberately oversized line (the conformance check sends 1 MiB). */
const CLIENT_SEND_QUEUE_BYTES = 8 * 1024 * 1024;

export type TranscriptDir = 'sent' | 'received' | 'closed' | 'note';

export interface TranscriptEntry {
  /** Milliseconds since the epoch (the injected clock's). */
  at: number;
  dir: TranscriptDir;
  line: string;
}

export interface LineClientOptions {
  clock?: Clock;
  logger?: Logger;
  connectTimeoutMs?: number;
  lineCap?: number;
  /** Label for evidence and logs, e.g. "A". */
  label?: string;
}

interface Waiter {
  check(): boolean;
}

/**
 * A Stratum peer for tests of other peers: sends raw lines, keeps every line both ways in a
 * bounded transcript, and lets callers await a condition on what has arrived.
 */
export class LineClient extends EventEmitter<{ line: [line: string]; close: [reason: CloseReason] }> {
  readonly transcript: TranscriptEntry[] = [];
  readonly label: string;
  /** Lines received, in order (the same bound as the transcript). */
  readonly received: string[] = [];
  droppedFromTranscript = 0;
  closeReason: CloseReason | undefined;
  closedAt: number | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly log: Logger;

  private constructor(
    private readonly conn: LineConnection,
    private readonly clock: Clock,
    logger: Logger,
    label: string,
  ) {
    super();
    this.label = label;
    this.log = logger.child({ client: label });
    conn.on('line', (line) => {
      this.log.trace({ line }, 'rx');
      if (this.received.length < DEFAULT_TRANSCRIPT_LINES) this.received.push(line);
      this.note('received', line);
      this.emit('line', line);
      this.poke();
    });
    conn.on('oversize', (err) => this.note('note', `line from target longer than ${err.cap} bytes dropped`));
    conn.on('close', (reason) => {
      this.closeReason = reason;
      this.closedAt = this.clock.now();
      this.note('closed', reason === 'local' ? 'closed by us' : `closed: ${reason}`);
      this.emit('close', reason);
      this.poke();
    });
  }

  static connect(address: HostPort, options: LineClientOptions = {}): Promise<LineClient> {
    const clock = options.clock ?? systemClock;
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address.host, port: address.port });
      const timer = clock.setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${address.host}:${address.port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clock.clearTimeout(timer);
        reject(
          new Error(
            `cannot connect to ${address.host}:${address.port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`,
          ),
        );
      });
      socket.once('connect', () => {
        clock.clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        const conn = new LineConnection(socket, {
          lineCap: options.lineCap ?? DEFAULT_POOL_LINE_CAP,
          maxQueuedBytes: CLIENT_SEND_QUEUE_BYTES,
        });
        resolve(new LineClient(conn, clock, options.logger ?? silentLogger(), options.label ?? 'client'));
      });
    });
  }

  get isClosed(): boolean {
    return this.conn.isClosed;
  }

  /** Sends one line (newline added); false when the connection is closed. */
  send(line: string): boolean {
    if (this.conn.isClosed) return false;
    this.log.trace({ line }, 'tx');
    this.note('sent', line);
    return this.conn.send(line);
  }

  /** Adds a remark to the transcript (what was mined, why a line is sent). */
  note(dir: TranscriptDir, line: string): void {
    if (this.transcript.length >= DEFAULT_TRANSCRIPT_LINES) {
      this.droppedFromTranscript += 1;
      return;
    }
    this.transcript.push({ at: this.clock.now(), dir, line: clip(line) });
  }

  /**
   * Resolves with the probe's first non-undefined value, re-checked on every line and on close;
   * resolves undefined after `timeoutMs`, or as soon as the connection closes when `stopOnClose`.
   */
  waitFor<T>(probe: () => T | undefined, timeoutMs: number, stopOnClose = true): Promise<T | undefined> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    if (stopOnClose && this.conn.isClosed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(probe());
      }, timeoutMs);
      const waiter: Waiter = {
        check: () => {
          const value = probe();
          if (value === undefined && !(stopOnClose && this.conn.isClosed)) return false;
          this.waiters.delete(waiter);
          this.clock.clearTimeout(timer);
          resolve(value);
          return true;
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves true once the peer has closed, false after `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    return (await this.waitFor(() => (this.conn.isClosed ? true : undefined), timeoutMs, false)) === true;
  }

  /** Re-checks every waiter (after state changed outside a line, e.g. a hook ran). */
  poke(): void {
    for (const w of [...this.waiters]) w.check();
  }

  /** Drops the connection at once. */
  close(): void {
    if (!this.conn.isClosed) this.conn.destroy();
  }
}

function clip(line: string): string {
  if (line.length <= DEFAULT_TRANSCRIPT_LINE_CHARS) return line;
  return `${line.slice(0, DEFAULT_TRANSCRIPT_LINE_CHARS)}...(${line.length} characters)`;
}
