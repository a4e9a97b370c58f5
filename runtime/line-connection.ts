import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { LineFramer } from '../stratum/line-framer.js';
import type { CloseReason, LineTransport, LineTransportEvents } from './line-transport.js';

export type { CloseReason } from './line-transport.js';

/** Default cap on bytes queued for a peer that reads slowly before it is cut off. */
export const DEFAULT_SEND_QUEUE_BYTES = 1024 * 1024;

/** How long a closing connection may take to flush its queue and see the peer close before it is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** Where a stream keeps its LineConnection, so one set of listener functions serves every stream. */
const OWNER = Symbol('karoo.lineConnection');
type OwnedStream = Duplex & { [OWNER]?: LineConnection };

export interface LineConnectionOptions {
  /** Longest line accepted from the peer. */
  lineCap: number;
  /** Backlog of bytes the peer has not taken; a send past it closes the connection. */
  maxQueuedBytes?: number;
  /** Close as soon as an oversized line arrives (default); false leaves closing to the owner. */
  closeOnOversize?: boolean;
}

/**
 * Newline-delimited JSON over any byte stream (TCP, TLS, a pseudo-terminal, an in-memory pair):
 * bounded framing in, bounded queue out. The same session code runs over all of them.
 */
export class LineConnection extends EventEmitter<LineTransportEvents> implements LineTransport {
  readonly remoteAddress: string;
  private readonly framer: LineFramer;
  private readonly maxQueuedBytes: number;
  private closed = false;
  private oversized = false;
  private readonly closeOnOversize: boolean;

  constructor(
    private readonly stream: Duplex,
    options: LineConnectionOptions,
    remoteAddress = describeRemote(stream),
  ) {
    super();
    this.remoteAddress = remoteAddress;
    this.framer = new LineFramer(options.lineCap);
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_SEND_QUEUE_BYTES;
    this.closeOnOversize = options.closeOnOversize ?? true;
    // Shared listeners (the stream is `this` in them) instead of four closures per connection:
    // a proxy holds tens of thousands of these.
    (stream as OwnedStream)[OWNER] = this;
    stream.on('data', LineConnection.streamData);
    stream.on('end', LineConnection.streamEnded);
    stream.on('close', LineConnection.streamEnded);
    stream.on('error', LineConnection.streamError);
  }

  private static streamData(this: OwnedStream, chunk: Buffer): void {
    this[OWNER]?.onData(chunk);
  }

  private static streamEnded(this: OwnedStream): void {
    this[OWNER]?.finish('peer-closed');
  }

  private static streamError(this: OwnedStream, err: Error): void {
    this[OWNER]?.finish('error', err);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes written but not yet taken by the kernel. */
  get queuedBytes(): number {
    return this.stream.writableLength;
  }

  /** Sends one line (a newline is added). Returns false when the connection is closed or overflowed. */
  send(line: string, encoded?: Uint8Array): boolean {
    if (this.closed) return false;
    // The backlog is what is bounded: a line always goes out when the peer keeps up, however long
    // (lines are bounded by the peer's own cap), and a peer that stops reading is cut off.
    if (this.stream.writableLength > this.maxQueuedBytes) {
      this.close('send-queue-full');
      return false;
    }
    this.stream.write(encoded ?? `${line}\n`);
    return true;
  }

  /** Closes after flushing what is queued (a bounded wait), reporting `reason`. */
  close(reason: CloseReason = 'local'): void {
    if (this.closed) return;
    this.finish(reason);
    if (reason === 'send-queue-full' || reason === 'error') {
      this.stream.destroy();
      return;
    }
    // Flush what is queued and send our FIN, then go on reading (and dropping) until the peer
    // closes too: a socket closed with bytes of the peer's still unread goes out as a reset, and a
    // reset makes the peer's system throw away what it has not read yet, our last lines with it
    // (the client.reconnect a NerdMiner reads on its next loop). Never longer than the grace.
    const timer = setTimeout(() => this.stream.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    this.stream.once('close', () => clearTimeout(timer));
    this.stream.resume();
    this.stream.end();
  }

  /** Drops the connection at once, nothing flushed. */
  destroy(): void {
    this.finish('local');
    this.stream.destroy();
  }

  /** Stops reading from the peer (backpressure) until resume(). */
  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    if (!this.closed && !this.oversized) this.stream.resume();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.oversized) return;
    for (const event of this.framer.push(chunk)) {
      if (this.closed) return;
      if (event.kind === 'line') this.emit('line', event.line);
      else {
        // Nothing after an oversized line is read. By default the connection closes at once; an
        // owner that still owes answers for earlier lines closes it itself once they are sent.
        this.oversized = true;
        this.stream.pause();
        this.emit('oversize', event.error);
        if (this.closeOnOversize) this.close('line-too-long');
        return;
      }
    }
  }

  private finish(reason: CloseReason, error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.framer.reset();
    this.emit('close', reason, error);
  }
}

function describeRemote(stream: Duplex): string {
  const s = stream as Duplex & { remoteAddress?: string; remotePort?: number };
  if (s.remoteAddress === undefined) return 'local';
  return s.remoteAddress.includes(':')
    ? `[${s.remoteAddress}]:${s.remotePort}`
    : `${s.remoteAddress}:${s.remotePort}`;
}
