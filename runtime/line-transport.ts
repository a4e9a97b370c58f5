import type { EventEmitter } from 'node:events';
import type { LineTooLongError } from '../stratum/line-framer.js';

export type CloseReason = 'peer-closed' | 'line-too-long' | 'send-queue-full' | 'error' | 'local';

export interface LineTransportEvents {
  line: [line: string];
  oversize: [error: LineTooLongError];
  close: [reason: CloseReason, error?: Error];
}

/**
 * One peer, line by line: what the proxy core talks through. TCP, TLS and WebSocket streams are
 * adapted by LineConnection; tests use an in-memory pair. Lines are bounded on the way in (an
 * `oversize` event instead of the line), the backlog on the way out.
 */
export interface LineTransport extends EventEmitter<LineTransportEvents> {
  readonly remoteAddress: string;
  readonly isClosed: boolean;
  /**
   * Sends one line (a newline is added). False when closed or when the backlog overflowed.
   * `encoded`, when given, is that line and its newline as bytes, shared among many peers (a job's
   * notify, encoded once for the rack): a byte stream writes it as it is.
   */
  send(line: string, encoded?: Uint8Array): boolean;
  /** Closes after flushing what is queued (bounded), reporting `reason`. */
  close(reason?: CloseReason): void;
  /** Drops the connection at once, nothing flushed. */
  destroy(): void;
  /** Stops reading from the peer until resume() (backpressure). */
  pause(): void;
  resume(): void;
}
