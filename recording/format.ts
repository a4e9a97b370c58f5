import type { JsonValue } from '../stratum/index.js';

/**
 * The recording format: one session per file, JSON lines. The first line is the header, every
 * other line one record. Times are milliseconds since the session started.
 *
 *   {"format":"karoo-recording","version":1,"session":1,"started":"2025-...Z","miner":"127.0.0.1:5000","upstream":"stratum+tcp://..."}
 *   {"t":0,"from":"miner","line":"{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}"}
 *   {"t":2,"from":"pool","line":"{\"id\":1,\"result\":[...],\"error\":null}"}
 *   {"t":950,"event":"new-block"}
 *   {"t":1204,"from":"miner","close":true}
 */
export const RECORDING_FORMAT = 'karoo-recording';
export const RECORDING_VERSION = 1;
/** What a mining.authorize password is replaced with. */
export const REDACTED_PASSWORD = '<redacted>';

export type Side = 'miner' | 'pool';

/** Something the person or script driving the target did, so a replay can do the same. */
export const MARK_EVENTS = ['new-job', 'new-block'] as const;
export type MarkEvent = (typeof MARK_EVENTS)[number];

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  /** 1 for the recorder's first session, 2 for the next, ... */
  session: number;
  /** ISO 8601 time the miner connected. */
  started: string;
  /** The miner's address as the recorder saw it. */
  miner?: string;
  /** The pool or proxy the session went to. */
  upstream?: string;
  /** Free-form facts about the target (kind, options), for whoever replays it. */
  target?: { [key: string]: JsonValue };
  note?: string;
}

/** One record on disk. */
export type RecordLine =
  | { t: number; from: Side; line: string }
  /** The side that closed the connection first (`error` when it was an error, not a clean close). */
  | { t: number; from: Side; close: true; error?: string }
  /** A line longer than the recorder's cap: not kept, only its length so far. */
  | { t: number; from: Side; oversize: number }
  | { t: number; event: MarkEvent }
  /** Recording of this session stopped here (size cap, write queue full); the tap went on. */
  | { t: number; truncated: string };

/** A record after parsing, with its position in the file (1 = the line after the header). */
export type Entry =
  | { kind: 'line'; index: number; t: number; from: Side; line: string }
  | { kind: 'close'; index: number; t: number; from: Side; error?: string }
  | { kind: 'oversize'; index: number; t: number; from: Side; bytes: number }
  | { kind: 'mark'; index: number; t: number; event: MarkEvent }
  | { kind: 'truncated'; index: number; t: number; reason: string };

export interface Recording {
  /** File name or other label, for reports. */
  name: string;
  header: RecordingHeader;
  entries: Entry[];
}
