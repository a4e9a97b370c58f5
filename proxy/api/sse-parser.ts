import { createParser } from 'eventsource-parser';
import type { EventSourceParser, ParseError } from 'eventsource-parser';

/** The most an incomplete line and an event's pending data may hold before the stream is given up. */
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
 * Server-sent events, text in, messages out (no I/O), parsed by eventsource-parser: lines end in
 * LF, CRLF or CR, even split across chunks; `:` comments (heartbeats) are skipped; a blank line
 * dispatches the event. Memory is bounded by `cap` characters of pending line and data (the
 * library's maxBufferSize); past it the stream is given up with SseLineTooLongError.
 */
export class SseParser {
  private readonly parser: EventSourceParser;
  private out: SseMessage[] = [];
  private failed: ParseError | undefined;

  constructor(private readonly cap = DEFAULT_SSE_LINE_CAP) {
    this.parser = createParser({
      maxBufferSize: cap,
      onEvent: (e) => this.out.push({ event: e.event || 'message', data: e.data }),
      // Unknown fields and a bad `retry:` are the peer's business (ignored, as EventSource does).
      onError: (err) => {
        if (err.type === 'max-buffer-size-exceeded') this.failed = err;
      },
    });
  }

  /** Feeds decoded text; returns the events it completed. Throws SseLineTooLongError. */
  push(text: string): SseMessage[] {
    if (this.failed) throw new SseLineTooLongError(this.cap);
    this.parser.feed(text);
    if (this.failed) throw new SseLineTooLongError(this.cap);
    const done = this.out;
    this.out = [];
    return done;
  }
}
