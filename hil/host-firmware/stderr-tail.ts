import type { Readable } from 'node:stream';

/** Lines kept of a firmware process's standard error, for the reason it stopped. */
export const STDERR_TAIL_LINES = 20;
const MAX_LINE = 400;

/** The last lines a stream printed (bounded in count and length). */
export class StderrTail {
  private readonly lines: string[] = [];
  private partial = '';

  follow(stream: Readable): void {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.push(chunk));
  }

  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = (parts.pop() ?? '').slice(0, MAX_LINE);
    for (const line of parts) {
      const text = line.replace(/\r$/, '').slice(0, MAX_LINE);
      if (text.trim() === '') continue;
      this.lines.push(text);
      if (this.lines.length > STDERR_TAIL_LINES) this.lines.shift();
    }
  }

  get(): string[] {
    return this.partial.trim() === '' ? [...this.lines] : [...this.lines, this.partial];
  }
}
