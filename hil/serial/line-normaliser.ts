import { breakLongLines } from './line-cap-guard.js';

/** Prefix of WiFiManager's debug lines (WiFiManager.cpp DEBUG_WM: print(prefix), text, println()). */
export const WIFI_MANAGER_PREFIX = '*wm:';

/** Longest console line kept whole; longer ones are cut (a bound on every buffer). */
export const DEFAULT_CONSOLE_LINE_CAP = 16 * 1024;

/**
 * Turns LF-delimited raw console lines into clean lines:
 * - CR is a line break too, so CRLF (Serial.println), LF (printf "\n") and bare CR all end a line;
 * - blank lines are dropped (a serial reader cannot tell "\n\n" from "\n" reliably anyway);
 * - a WiFiManager `*wm:` line printed by another FreeRTOS task into the middle of a line is split
 *   out, and the cut line is rejoined with its continuation (the next line that is not `*wm:`).
 */
export class ConsoleLineNormaliser {
  private held = '';

  constructor(private readonly lineCap = DEFAULT_CONSOLE_LINE_CAP) {}

  /** One raw line (without its LF); returns the finished lines. */
  accept(raw: string): string[] {
    const out: string[] = [];
    for (const segment of raw.split('\r')) this.segment(segment, out);
    return out;
  }

  /** End of input: a line still waiting for its continuation is emitted as it is. */
  flush(): string[] {
    const rest = this.held;
    this.held = '';
    return rest === '' ? [] : [rest];
  }

  private segment(segment: string, out: string[]): void {
    if (segment === '') return;
    const at = segment.indexOf(WIFI_MANAGER_PREFIX);
    if (at > 0) {
      this.held += segment.slice(0, at);
      out.push(segment.slice(at));
      if (this.held.length > this.lineCap) out.push(...this.flush());
      return;
    }
    if (at === 0) {
      out.push(segment);
      return;
    }
    out.push(this.held + segment);
    this.held = '';
  }
}

/** Splits a whole console capture (a fixture) exactly as the stream pipeline would. */
export function splitConsoleText(text: string, lineCap = DEFAULT_CONSOLE_LINE_CAP): string[] {
  const capped = breakLongLines(Buffer.from(text, 'utf8'), { sinceNewline: 0 }, lineCap).out.toString('utf8');
  const normaliser = new ConsoleLineNormaliser(lineCap);
  const lines: string[] = [];
  for (const raw of capped.split('\n')) lines.push(...normaliser.accept(raw));
  lines.push(...normaliser.flush());
  return lines;
}
