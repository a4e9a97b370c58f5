import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { ReadlineParser } from '@serialport/parser-readline';
import { LineCapGuard } from './line-cap-guard.js';
import { ConsoleLineNormaliser, DEFAULT_CONSOLE_LINE_CAP } from './line-normaliser.js';

export interface ConsoleLineStreamOptions {
  /** Longest line kept whole (bytes); default DEFAULT_CONSOLE_LINE_CAP. */
  lineCap?: number;
}

/** Object-mode stream of clean console lines (strings), fed by parser-readline. */
class NormaliseLines extends Transform {
  private readonly normaliser: ConsoleLineNormaliser;

  constructor(lineCap: number) {
    super({ readableObjectMode: true, writableObjectMode: true });
    this.normaliser = new ConsoleLineNormaliser(lineCap);
  }

  override _transform(raw: string | Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const line of this.normaliser.accept(raw.toString())) this.push(line);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    for (const line of this.normaliser.flush()) this.push(line);
    callback();
  }
}

/**
 * Serial bytes in, clean console lines out: a line-cap guard, @serialport/parser-readline split on
 * LF, then CR/LF normalisation and `*wm:` interleave repair (ConsoleLineNormaliser). Source errors
 * end the returned stream with the same error; destroying it unpipes it from the source.
 */
export function createConsoleLineStream(source: Readable, options: ConsoleLineStreamOptions = {}): Readable {
  const lineCap = options.lineCap ?? DEFAULT_CONSOLE_LINE_CAP;
  const lines = new NormaliseLines(lineCap);
  const guard = new LineCapGuard(lineCap);
  source
    .pipe(guard)
    .pipe(new ReadlineParser({ delimiter: '\n', encoding: 'utf8' }))
    .pipe(lines);
  const onError = (err: Error) => lines.destroy(err);
  source.once('error', onError);
  // Destroying the line stream detaches it from the source, which stays open for others.
  lines.once('close', () => {
    source.off('error', onError);
    source.unpipe(guard);
  });
  return lines;
}
