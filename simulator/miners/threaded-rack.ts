import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEFAULT_RACK_USER, rackWorkers } from './rack.js';
import type { RackEvent } from './rack.js';
import type { FromRackThread, PortableRackOptions, RackThreadData, ToRackThread } from './rack-messages.js';
import type { MinerEventName, MinerStats } from './types.js';

/** How often each thread reports its miners' stats. */
export const DEFAULT_STATS_EVERY_MS = 1000;
/** How long a thread may take to stop its miners before it is terminated. */
const STOP_GRACE_MS = 5000;

export interface ThreadedRackOptions extends PortableRackOptions {
  /**
   * Worker threads to spread the miners over (round robin, names unchanged). Default: one per core
   * but one (left for the pool and proxy), at least 1, at most one per miner.
   */
  threads?: number;
  /** Serial console lines, with the worker that printed them. */
  console?: (worker: string, line: string) => void;
  /** The miners' pino level and log file; without a file they do not log. */
  logLevel?: string;
  logFile?: string;
  statsEveryMs?: number;
}

/** A rack whose miners hash in worker threads; what cli/start and bench need of a rack. */
export interface ThreadedRack {
  /** Worker names in rack order. */
  readonly workers: readonly string[];
  readonly threads: number;
  on(event: 'event', listener: (e: RackEvent) => void): this;
  off(event: 'event', listener: (e: RackEvent) => void): this;
  /** The latest stats from the threads (at most `statsEveryMs` old; final after stop). */
  stats(): MinerStats[];
  /** Resolves once every miner has emitted `event` at least once since the call. */
  everyMiner(event: MinerEventName, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The default thread count: leave a core for the pool and proxy. */
export function defaultRackThreads(miners: number): number {
  return Math.max(1, Math.min(miners, availableParallelism() - 1));
}

/**
 * Starts a rack in worker threads (simulator/miners/rack-thread.js) and resolves once every thread
 * runs its miners. The process that started it keeps its event loop to itself: only events and
 * stats cross, as messages. Runs from the build (dist/), where the thread's entry is JavaScript.
 */
export async function startThreadedRack(options: ThreadedRackOptions): Promise<ThreadedRack> {
  const rack = new ThreadedRackImpl(options);
  await rack.started;
  return rack;
}

class ThreadedRackImpl extends EventEmitter<{ event: [RackEvent] }> implements ThreadedRack {
  readonly workers: readonly string[];
  readonly threads: number;
  readonly started: Promise<void>;
  private readonly pool: Worker[] = [];
  private readonly latest = new Map<string, MinerStats>();
  private stopping: Promise<void> | undefined;

  constructor(options: ThreadedRackOptions) {
    super();
    const { threads, console: onConsole, logLevel, logFile, statsEveryMs, ...portable } = options;
    this.workers = rackWorkers(portable.user ?? DEFAULT_RACK_USER, portable.counts).map(([, name]) => name);
    if (this.workers.length === 0) throw new TypeError('counts: a rack needs at least one miner');
    const n = threads ?? defaultRackThreads(this.workers.length);
    if (!Number.isInteger(n) || n < 1) throw new TypeError(`threads: expected a whole number >= 1, got ${n}`);
    this.threads = Math.min(n, this.workers.length);
    const entry = new URL('./rack-thread.js', import.meta.url);
    if (!existsSync(fileURLToPath(entry))) {
      throw new Error(
        `the threaded rack runs from the build: ${fileURLToPath(entry)} is missing (npm run build)`,
      );
    }
    const starts: Promise<void>[] = [];
    for (let index = 0; index < this.threads; index += 1) {
      const data: RackThreadData = {
        options: portable,
        select: { index, of: this.threads },
        console: onConsole !== undefined,
        logLevel: logLevel ?? 'silent',
        logFile,
        statsEveryMs: statsEveryMs ?? DEFAULT_STATS_EVERY_MS,
      };
      const worker = new Worker(entry, { workerData: data });
      this.pool.push(worker);
      starts.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (message: FromRackThread) => {
            if (message.type === 'failed') reject(new TypeError(message.message));
            else if (message.type === 'stats') resolve();
            this.onMessage(message, onConsole);
          });
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`rack thread ${index} exited (code ${code})`)));
        }),
      );
    }
    this.started = Promise.all(starts).then(
      () => undefined,
      async (err: unknown) => {
        await Promise.all(this.pool.map((w) => w.terminate()));
        throw err;
      },
    );
  }

  stats(): MinerStats[] {
    return this.workers.flatMap((w) => {
      const s = this.latest.get(w);
      return s === undefined ? [] : [s];
    });
  }

  everyMiner(event: MinerEventName, timeoutMs = 30_000): Promise<void> {
    const waiting = new Set(this.workers);
    return new Promise((resolve, reject) => {
      const onEvent = (e: RackEvent): void => {
        if (e.event !== event) return;
        waiting.delete(e.worker);
        if (waiting.size > 0) return;
        clearTimeout(timer);
        this.off('event', onEvent);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('event', onEvent);
        reject(new Error(`no ${event} from ${[...waiting].join(', ')} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('event', onEvent);
    });
  }

  stop(): Promise<void> {
    this.stopping ??= Promise.all(this.pool.map((w) => this.stopThread(w))).then(() => undefined);
    return this.stopping;
  }

  private stopThread(worker: Worker): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ type: 'stop' } satisfies ToRackThread);
    });
  }

  private onMessage(message: FromRackThread, onConsole: ThreadedRackOptions['console']): void {
    switch (message.type) {
      case 'event':
        this.emit('event', message.event);
        return;
      case 'console':
        onConsole?.(message.worker, message.line);
        return;
      case 'stats':
      case 'stopped':
        for (const s of message.stats) this.latest.set(s.worker, s);
        return;
      case 'failed':
        return;
    }
  }
}
