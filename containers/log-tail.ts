import type { Readable } from 'node:stream';

export const DEFAULT_LOG_TAIL_LINES = 60;
/** A line longer than this is cut (logs are JSON lines; a runaway one must not grow forever). */
export const DEFAULT_LOG_LINE_CAP = 4096;

/** The last lines a container wrote, kept for failure messages (feed it to withLogConsumer). */
export class LogTail {
  private readonly lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = DEFAULT_LOG_TAIL_LINES,
    private readonly lineCap = DEFAULT_LOG_LINE_CAP,
  ) {}

  /** testcontainers' log consumer: reads the container's merged stdout and stderr. */
  readonly consume = (stream: Readable): void => {
    stream.on('data', (chunk: Buffer | string) => this.push(chunk.toString()));
    stream.on('end', () => this.flush());
    stream.on('error', () => this.flush());
  };

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = (parts.pop() ?? '').slice(0, this.lineCap);
    for (const line of parts) this.add(line);
  }

  text(): string {
    return [...this.lines, ...(this.partial === '' ? [] : [this.partial])].join('\n');
  }

  private flush(): void {
    if (this.partial !== '') this.add(this.partial);
    this.partial = '';
  }

  private add(line: string): void {
    this.lines.push(line.slice(0, this.lineCap));
    if (this.lines.length > this.maxLines) this.lines.shift();
  }
}
