import type { RackEvent, RackOptions } from './rack.js';
import type { MinerStats } from './types.js';

/** Rack options that cross to a worker thread: everything but functions, loggers, clocks and dialers. */
export type PortableRackOptions = Omit<
  RackOptions,
  'logger' | 'clock' | 'dial' | 'console' | 'scheduler' | 'random' | 'select'
>;

/** What a rack thread is started with (its workerData). */
export interface RackThreadData {
  options: PortableRackOptions;
  select: { index: number; of: number };
  /** Pass the miners' serial console lines to the parent. */
  console: boolean;
  /** pino level for the thread's miners, and the file they log to (none: no logs). */
  logLevel: string;
  logFile: string | undefined;
  /** How often the thread sends its miners' stats. */
  statsEveryMs: number;
}

export type ToRackThread = { type: 'stop' };

export type FromRackThread =
  | { type: 'event'; event: RackEvent }
  | { type: 'console'; worker: string; line: string }
  | { type: 'stats'; stats: MinerStats[] }
  | { type: 'stopped'; stats: MinerStats[] }
  | { type: 'failed'; message: string };
