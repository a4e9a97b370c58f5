import type { Writable } from 'node:stream';

/** Console bytes a virtual board may have queued towards a reader that is not keeping up. */
export const DEFAULT_UART_BACKLOG_BYTES = 256 * 1024;

/**
 * Writes console lines into the board end of a pseudo-terminal pair, as the firmware's UART
 * would. Bounded like a real UART: when the reader stops taking bytes, lines are dropped (and
 * counted) rather than queued without limit.
 */
export class UartWriter {
  private droppedCount = 0;

  constructor(
    private readonly port: Writable,
    private readonly maxBacklogBytes = DEFAULT_UART_BACKLOG_BYTES,
  ) {}

  /** Lines dropped because the backlog was full or the port closed. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Queues `line` and its ending (CRLF, as Serial.println); false when it was dropped. */
  writeLine(line: string, ending = '\r\n'): boolean {
    if (this.port.destroyed || this.port.writableEnded || this.port.writableLength > this.maxBacklogBytes) {
      this.droppedCount++;
      return false;
    }
    this.port.write(line + ending);
    return true;
  }
}
