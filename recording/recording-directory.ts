import { once } from 'node:events';
import { createWriteStream, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import type { JsonValue } from '../stratum/index.js';
import type { RecordSink, SessionRecorderOptions } from './session-recorder.js';
import { SessionRecorder } from './session-recorder.js';

/** Bytes a session's file may have waiting for the disk before its recording stops. */
export const DEFAULT_MAX_PENDING_WRITE_BYTES = 8 * 1024 * 1024;

export interface RecordingDirectoryOptions {
  clock?: Clock;
  maxBytes?: number;
  lineCap?: number;
  /** Copied into every header's `target`. */
  target?: { [key: string]: JsonValue };
  note?: string;
  /** File name prefix (default "session"). */
  prefix?: string;
  /** Marks the pool's own new work (see SessionRecorderOptions.markFor). */
  markFor?: SessionRecorderOptions['markFor'];
}

export interface OpenedSession {
  path: string;
  recorder: SessionRecorder;
}

/**
 * One JSON-lines file per session in `dir`: `<prefix>-<UTC yyyymmdd-hhmmss>-<seq>.jsonl`, never
 * overwriting a file that exists. This is the recorder API a proxy wires in: open a session when
 * a miner connects, feed it lines, end it when the miner goes.
 */
export class RecordingDirectory {
  private seq = 0;
  private readonly clock: Clock;

  constructor(
    readonly dir: string,
    private readonly options: RecordingDirectoryOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    mkdirSync(dir, { recursive: true });
  }

  open(info: { miner?: string; upstream?: string }): OpenedSession {
    this.seq += 1;
    const { path, fd } = this.createFile();
    const stream = createWriteStream('', { fd, encoding: 'utf8' });
    stream.on('error', () => undefined);
    const sink: RecordSink = {
      write: (text) => {
        if (stream.destroyed || stream.writableEnded) return false;
        if (stream.writableLength > DEFAULT_MAX_PENDING_WRITE_BYTES) return false;
        stream.write(`${text}\n`);
        return true;
      },
      end: async () => {
        if (stream.destroyed || stream.writableFinished) return;
        stream.end();
        await once(stream, 'close').catch(() => undefined);
      },
    };
    const recorderOptions: SessionRecorderOptions = { clock: this.clock };
    if (this.options.maxBytes !== undefined) recorderOptions.maxBytes = this.options.maxBytes;
    if (this.options.lineCap !== undefined) recorderOptions.lineCap = this.options.lineCap;
    if (this.options.markFor !== undefined) recorderOptions.markFor = this.options.markFor;
    const recorder = new SessionRecorder(
      sink,
      {
        session: this.seq,
        ...(info.miner === undefined ? {} : { miner: info.miner }),
        ...(info.upstream === undefined ? {} : { upstream: info.upstream }),
        ...(this.options.target === undefined ? {} : { target: this.options.target }),
        ...(this.options.note === undefined ? {} : { note: this.options.note }),
      },
      recorderOptions,
    );
    return { path, recorder };
  }

  private createFile(): { path: string; fd: number } {
    const stamp = new Date(this.clock.now())
      .toISOString()
      .replace(/[-:]/g, '')
      .replace('T', '-')
      .slice(0, 15);
    const base = `${this.options.prefix ?? 'session'}-${stamp}-${String(this.seq).padStart(4, '0')}`;
    for (let n = 0; ; n += 1) {
      const path = join(this.dir, n === 0 ? `${base}.jsonl` : `${base}-${n}.jsonl`);
      try {
        return { path, fd: openSync(path, 'wx') };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw err;
      }
    }
  }
}
