import type { Clock } from '../runtime/clock.js';

/** One line sent or received, a close, or a remark, with when (the injected clock's epoch ms). */
export interface TranscriptEntry {
  at: number;
  dir: 'sent' | 'received' | 'closed' | 'note';
  line: string;
}

export type TranscriptDir = TranscriptEntry['dir'];

/** Lines a transcript keeps; later ones are counted, not kept. */
export const DEFAULT_TRANSCRIPT_LINES = 20_000;
/** Characters of one line a transcript keeps. */
export const DEFAULT_TRANSCRIPT_LINE_CHARS = 4096;

/**
 * Both directions of one connection in order, with remarks, time-stamped: the evidence a replay or
 * a conformance check reports. The first `maxLines` are kept (the start of a session explains the
 * rest), each clipped; later ones are only counted.
 */
export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  dropped = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxLines = DEFAULT_TRANSCRIPT_LINES,
  ) {}

  add(dir: TranscriptDir, line: string): void {
    if (this.entries.length >= this.maxLines) {
      this.dropped += 1;
      return;
    }
    this.entries.push({ at: this.clock.now(), dir, line: clip(line) });
  }
}

function clip(line: string): string {
  if (line.length <= DEFAULT_TRANSCRIPT_LINE_CHARS) return line;
  return `${line.slice(0, DEFAULT_TRANSCRIPT_LINE_CHARS)}...(${line.length} characters)`;
}
