import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

const LF = 0x0a;
const NEWLINE = Buffer.from([LF]);

export interface LineCapState {
  /** Bytes seen since the last LF. */
  sinceNewline: number;
}

/**
 * Inserts an LF wherever more than `cap` bytes arrive without one, so the line splitter after it
 * never buffers more than `cap` bytes (a console with no newline, e.g. baud-rate garbage, cannot
 * grow memory). Returns the new bytes and how many breaks were forced.
 */
export function breakLongLines(
  chunk: Buffer,
  state: LineCapState,
  cap: number,
): { out: Buffer; forced: number } {
  const parts: Buffer[] = [];
  let start = 0;
  let forced = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === LF) {
      state.sinceNewline = 0;
      continue;
    }
    if (++state.sinceNewline > cap) {
      parts.push(chunk.subarray(start, i), NEWLINE);
      start = i;
      state.sinceNewline = 1;
      forced++;
    }
  }
  if (forced === 0) return { out: chunk, forced };
  parts.push(chunk.subarray(start));
  return { out: Buffer.concat(parts), forced };
}

/** Stream form of breakLongLines, placed before @serialport/parser-readline. */
export class LineCapGuard extends Transform {
  /** Lines cut because they exceeded the cap. */
  forcedBreaks = 0;
  private readonly state: LineCapState = { sinceNewline: 0 };

  constructor(private readonly cap: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const { out, forced } = breakLongLines(chunk, this.state, this.cap);
    this.forcedBreaks += forced;
    callback(null, out);
  }
}
