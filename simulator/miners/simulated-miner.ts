import { EventEmitter } from 'node:events';
import { systemClock } from '../../runtime/clock.js';
import { silentLogger } from '../../runtime/logger.js';
import { sharedHashScheduler } from './hash-scheduler.js';
import type { MinerSession, SessionContext } from './miner-session.js';
import { resolveMinerOptions, type ResolvedMinerOptions } from './options.js';
import { StatsTracker } from './stats.js';
import type {
  MinerEventName,
  MinerEventPayload,
  MinerEvents,
  MinerOptions,
  MinerProfile,
  MinerStats,
  SimulatedMiner,
} from './types.js';

/** Generous default for waitFor: long enough for a share on a loaded 2-core machine. */
export const DEFAULT_WAIT_MS = 30_000;

export type SessionFactory = (ctx: SessionContext) => MinerSession;

/** The SimulatedMiner every profile shares: events, stats, waitFor, stop; sessions do the work. */
export class Miner extends EventEmitter<MinerEvents> implements SimulatedMiner {
  readonly profile: MinerProfile;
  readonly worker: string;
  readonly options: ResolvedMinerOptions;
  private readonly tracker: StatsTracker;
  private readonly sessions: MinerSession[] = [];
  private stopping: Promise<void> | undefined;

  constructor(options: MinerOptions, factory: SessionFactory) {
    super();
    this.options = resolveMinerOptions(options);
    this.profile = this.options.profile;
    this.worker = this.options.worker;
    const clock = this.options.clock ?? systemClock;
    this.tracker = new StatsTracker(this.profile, this.worker, this.options.hashrate, () => clock.now());
    const logger = (this.options.logger ?? silentLogger()).child({
      worker: this.worker,
      profile: this.profile,
    });
    const scheduler = this.options.scheduler ?? sharedHashScheduler();
    const perSession = this.options.hashrate / this.options.sessions;
    for (let index = 0; index < this.options.sessions; index += 1) {
      this.sessions.push(
        factory({
          options: this.options,
          index,
          hashrateCap: perSession,
          logger,
          clock,
          scheduler,
          stats: this.tracker,
          emit: (event, payload) => this.fire(event, payload),
          console: (line) => this.printConsole(line),
        }),
      );
    }
  }

  start(): this {
    for (const session of this.sessions) session.start();
    return this;
  }

  stats(): MinerStats {
    return this.tracker.snapshot();
  }

  waitFor<E extends MinerEventName>(
    event: E,
    predicate?: (payload: MinerEventPayload<E>) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<MinerEventPayload<E>> {
    return new Promise((resolve, reject) => {
      const listener = (...args: MinerEvents[E]): void => {
        const payload = args[0] as MinerEventPayload<E>;
        if (predicate !== undefined && !predicate(payload)) return;
        clearTimeout(timer);
        this.off(event, listener as never);
        resolve(payload);
      };
      const timer = setTimeout(() => {
        this.off(event, listener as never);
        reject(new Error(`${this.worker}: no ${event} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on(event, listener as never);
    });
  }

  stop(): Promise<void> {
    this.stopping ??= Promise.all(this.sessions.map((s) => s.stop())).then(() => undefined);
    return this.stopping;
  }

  private fire<E extends MinerEventName>(event: E, payload: MinerEventPayload<E>): void {
    (this.emit as (e: string, p: unknown) => boolean)(event, payload);
  }

  private printConsole(line: string): void {
    this.options.console?.(line);
    this.emit('console', line);
  }
}
