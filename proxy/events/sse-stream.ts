import type { ServerResponse } from 'node:http';

/** Bytes that may wait for one slow /events reader before it is dropped. */
export const DEFAULT_SSE_MAX_QUEUED_BYTES = 256 * 1024;

/**
 * One server-sent-events response: `event: <type>\ndata: <one-line JSON>\n\n` records and
 * `: comment` lines, with a bounded queue: a reader that falls behind by more than
 * `maxQueuedBytes` is disconnected rather than buffered without end.
 */
export class SseStream {
  private dropped = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly maxQueuedBytes = DEFAULT_SSE_MAX_QUEUED_BYTES,
  ) {
    res.once('close', () => {
      this.dropped = true;
    });
  }

  get isOpen(): boolean {
    return !this.dropped && !this.res.destroyed;
  }

  /** JSON.stringify never emits a raw newline, so the data is always one line. */
  send(type: string, data: unknown): boolean {
    return this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  comment(text: string): boolean {
    return this.write(`: ${text}\n\n`);
  }

  close(): void {
    this.dropped = true;
    this.res.end();
  }

  private write(text: string): boolean {
    if (!this.isOpen) return false;
    if (this.res.writableLength + Buffer.byteLength(text) > this.maxQueuedBytes) {
      this.dropped = true;
      this.res.destroy();
      return false;
    }
    this.res.write(text);
    return true;
  }
}
