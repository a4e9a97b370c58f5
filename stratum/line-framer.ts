import { StratumError } from './errors.js';

/** Miners send short lines (a submit is ~150 bytes); 4 KiB leaves room for long worker names. */
export const DEFAULT_MINER_LINE_CAP = 4 * 1024;
/** A pool's notify grows with its merkle branches and coinbase; 256 KiB holds thousands of branches. */
export const DEFAULT_POOL_LINE_CAP = 256 * 1024;

const LF = 0x0a;
const CR = 0x0d;

export class LineTooLongError extends StratumError {
  readonly cap: number;
  constructor(cap: number) {
    super('INVALID_REQUEST', `line longer than ${cap} bytes`);
    this.name = 'LineTooLongError';
    this.cap = cap;
  }
}

export type FrameEvent = { kind: 'line'; line: string } | { kind: 'error'; error: LineTooLongError };

/**
 * Bytes in, complete lines out. Splits on LF, strips a trailing CR, ignores blank lines, decodes
 * UTF-8 per complete line (LF never occurs inside a multi-byte sequence, so a character split
 * across chunks is reassembled). Never holds more than `cap` bytes: a longer line is reported once
 * and discarded up to its newline.
 */
export class LineFramer {
  readonly cap: number;
  private parts: Buffer[] = [];
  private size = 0;
  private discarding = false;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap <= 0)
      throw new RangeError(`line cap must be a positive integer, got ${cap}`);
    this.cap = cap;
  }

  /** Bytes currently held waiting for a newline. */
  get buffered(): number {
    return this.size;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(LF, start);
      const end = nl === -1 ? buf.length : nl;
      const piece = buf.subarray(start, end);
      if (this.discarding) {
        if (nl !== -1) this.discarding = false;
      } else if (this.size + piece.length > this.cap) {
        this.parts = [];
        this.size = 0;
        this.discarding = nl === -1;
        events.push({ kind: 'error', error: new LineTooLongError(this.cap) });
      } else if (nl === -1) {
        if (piece.length > 0) {
          this.parts.push(Buffer.from(piece));
          this.size += piece.length;
        }
      } else {
        const whole = this.size === 0 ? piece : Buffer.concat([...this.parts, piece]);
        this.parts = [];
        this.size = 0;
        const line = decodeLine(whole);
        if (line !== null) events.push({ kind: 'line', line });
      }
      start = nl === -1 ? buf.length : nl + 1;
    }
    return events;
  }

  /** Drops whatever partial line is held (e.g. after the transport closed). */
  reset(): void {
    this.parts = [];
    this.size = 0;
    this.discarding = false;
  }
}

function decodeLine(bytes: Buffer): string | null {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === CR) end -= 1;
  const line = bytes.toString('utf8', 0, end);
  return line.trim().length === 0 ? null : line;
}
