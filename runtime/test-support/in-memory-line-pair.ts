import { EventEmitter } from 'node:events';
import { LineFramer } from '../../stratum/line-framer.js';
import type { CloseReason, LineTransport, LineTransportEvents } from '../line-transport.js';

export interface LineEndOptions {
  /** Longest line this end accepts (its framer's cap). */
  lineCap?: number;
  /** This end closes on an oversized line (default), or leaves closing to its owner. */
  closeOnOversize?: boolean;
  /** Bytes this end may have waiting at a peer that stopped reading before it is cut off. */
  maxQueuedBytes?: number;
  remoteAddress?: string;
}

/** Lines sent but not yet delivered, across every pair. */
let inFlight = 0;

/**
 * Runs the event loop until every in-memory line sent has been delivered and every promise
 * continuation has run: the network and the code around it are quiet. Timers of a ManualClock do
 * not run (advance the clock for those).
 */
export async function settle(maxTurns = 100_000): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    if (inFlight === 0) return;
  }
  throw new Error(`in-memory network still busy after ${maxTurns} turns`);
}

/**
 * One end of an in-memory connection: what a miner or pool sends arrives at the other end in a
 * later turn of the event loop (as from a socket), framed by a real LineFramer, in order; closing delivers what was sent first.
 * As with a socket, pause() stops the next chunk, not the lines of one already read.
 * `hold()` makes an end stop reading (a stalled peer) so the sender's backlog grows.
 */
export class InMemoryLineEnd extends EventEmitter<LineTransportEvents> implements LineTransport {
  readonly remoteAddress: string;
  peer: InMemoryLineEnd | undefined;
  /** Every line this end sent, in order. */
  readonly sent: string[] = [];
  private readonly framer: LineFramer;
  private readonly closeOnOversize: boolean;
  private readonly maxQueuedBytes: number;
  private closed = false;
  private oversized = false;
  private paused = false;
  private held = false;
  private readonly inbox: string[] = [];
  private inboxBytes = 0;

  constructor(options: LineEndOptions = {}) {
    super();
    this.remoteAddress = options.remoteAddress ?? 'memory';
    this.framer = new LineFramer(options.lineCap ?? 256 * 1024);
    this.closeOnOversize = options.closeOnOversize ?? true;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(line: string): boolean {
    return this.sendRaw(`${line}\n`, line);
  }

  /** Raw text, no newline added: partial lines, several lines at once, garbage. */
  sendRaw(text: string, asLine?: string): boolean {
    if (this.closed) return false;
    const peer = this.peer;
    if (peer && peer.inboxBytes > this.maxQueuedBytes) {
      this.close('send-queue-full');
      return false;
    }
    this.sent.push(asLine ?? text);
    if (peer) deliver(() => peer.receive(text));
    return true;
  }

  close(reason: CloseReason = 'local'): void {
    if (this.closed) return;
    this.finish(reason);
    const peer = this.peer;
    if (peer) deliver(() => peer.finish('peer-closed'));
  }

  destroy(): void {
    this.close('local');
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (this.closed || this.oversized) return;
    this.paused = false;
    this.drain();
  }

  /** Stops reading (a peer that stalls): what arrives waits, and the sender's backlog grows. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.drain();
  }

  private receive(text: string): void {
    if (this.closed) return;
    this.inbox.push(text);
    this.inboxBytes += Buffer.byteLength(text);
    this.drain();
  }

  private drain(): void {
    while (this.inbox.length > 0 && !this.paused && !this.held && !this.closed && !this.oversized) {
      const text = this.inbox.shift() as string;
      this.inboxBytes -= Buffer.byteLength(text);
      for (const event of this.framer.push(Buffer.from(text))) {
        if (this.closed) return;
        if (event.kind === 'line') this.emit('line', event.line);
        else {
          this.oversized = true;
          this.emit('oversize', event.error);
          if (this.closeOnOversize) this.close('line-too-long');
          return;
        }
      }
    }
  }

  private finish(reason: CloseReason): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', reason);
  }
}

function deliver(fn: () => void): void {
  inFlight += 1;
  setImmediate(() => {
    inFlight -= 1;
    fn();
  });
}

/** Two connected ends: `a` talks to `b`. */
export function linePair(a: LineEndOptions = {}, b: LineEndOptions = {}): [InMemoryLineEnd, InMemoryLineEnd] {
  const left = new InMemoryLineEnd(a);
  const right = new InMemoryLineEnd(b);
  left.peer = right;
  right.peer = left;
  return [left, right];
}
