/** The longest line (and the most data one event may carry) before the stream is given up. */
export const DEFAULT_SSE_LINE_CAP = 64 * 1024;

export interface SseMessage {
  /** The `event:` field, "message" when none was sent. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
}

/** A line or an event's data grew past the cap: the stream is broken or hostile. */
export class SseLineTooLongError extends Error {
  readonly code = 'SSE_LINE_TOO_LONG';
  constructor(readonly cap: number) {
    super(`event stream line longer than ${cap} characters`);
    this.name = 'SseLineTooLongError';
  }
}

/**
 * Server-sent events, text in, messages out (no I/O). Lines end in LF, CRLF or CR, even split
 * across chunks; `:` comments (heartbeats) are skipped; a blank line dispatches the event.
 * Memory is bounded by `cap` characters for the pending line and for the pending data.
 */
export class SseParser {
  private line = '';
  private afterCr = false;
  private event = '';
  private data: string[] = [];
  private dataLength = 0;

  constructor(private readonly cap = DEFAULT_SSE_LINE_CAP) {}

  /** Feeds decoded text; returns the events it completed. Throws SseLineTooLongError. */
  push(text: string): SseMessage[] {
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      if (ch === 10 && this.afterCr && i === start) {
        // The LF of a CRLF: its CR (perhaps at the end of the previous chunk) ended the line.
        this.afterCr = false;
        start = i + 1;
        continue;
      }
      this.appendToLine(text.slice(start, i));
      this.takeLine(out);
      this.afterCr = ch === 13;
      start = i + 1;
    }
    if (start < text.length) {
      this.afterCr = false;
      this.appendToLine(text.slice(start));
    }
    return out;
  }

  private appendToLine(part: string): void {
    if (this.line.length + part.length > this.cap) throw new SseLineTooLongError(this.cap);
    this.line += part;
  }

  private takeLine(out: SseMessage[]): void {
    const line = this.line;
    this.line = '';
    if (line === '') {
      if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      this.dataLength = 0;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') {
      this.dataLength += value.length + 1;
      if (this.dataLength > this.cap) throw new SseLineTooLongError(this.cap);
      this.data.push(value);
    }
    // id and retry are not used: the dashboard reconnects on its own schedule.
  }
}
