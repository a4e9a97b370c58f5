import { EventEmitter } from 'node:events';
import { DEFAULT_HASHRATES } from './options.js';
import { PROFILE_SESSIONS } from './profiles/registry.js';
import { DEFAULT_WAIT_MS, Miner } from './simulated-miner.js';
import { MINER_PROFILES } from './types.js';
import type {
  MinerEventName,
  MinerEventPayload,
  MinerOptions,
  MinerProfile,
  MinerStats,
  SimulatedMiner,
} from './types.js';

/** Worker-name suffix per profile: `<user>.nerd-01`, `<user>.bitaxe-01`, ... */
export const WORKER_PREFIXES: Readonly<Record<MinerProfile, string>> = {
  nerdminer: 'nerd',
  bitaxe: 'bitaxe',
  cpu: 'cpu',
  gpu: 'gpu',
};

export const DEFAULT_RACK_USER = 'karoo';
/** Events a rack passes on; tx, rx and console are left out unless asked for (they are per line). */
export const RACK_EVENTS: readonly MinerEventName[] = [
  'connected',
  'subscribed',
  'authorized',
  'job',
  'difficulty',
  'share-sent',
  'share-accepted',
  'share-rejected',
  'disconnected',
  'reconnected',
  'connect-failed',
  'reconnect-ignored',
  'method-ignored',
];

type SharedMinerOptions = Omit<MinerOptions, 'profile' | 'worker' | 'url' | 'console'>;

export interface RackOptions extends SharedMinerOptions {
  url: string;
  /** Account part of every worker name (default "karoo"). */
  user?: string;
  /** How many miners of each profile. */
  counts: Partial<Record<MinerProfile, number>>;
  /** Multiplies every profile's default hashrate cap (1 by default). */
  hashrateScale?: number;
  /** Per-profile hashrate caps (H/s), overriding default x scale. */
  hashrates?: Partial<Record<MinerProfile, number>>;
  /** Also pass on these per-line events (tx, rx, console). */
  wireEvents?: boolean;
  /** Serial console lines, with the worker that printed them. */
  console?: (worker: string, line: string) => void;
  /**
   * Run only every `of`-th miner of the rack, starting at `index` (0-based): how a rack is split
   * across threads while every worker keeps its name.
   */
  select?: { index: number; of: number };
}

export interface RackEvent<E extends MinerEventName = MinerEventName> {
  worker: string;
  profile: MinerProfile;
  event: E;
  payload: MinerEventPayload<E>;
}

export interface Rack {
  readonly miners: readonly SimulatedMiner[];
  on(event: 'event', listener: (e: RackEvent) => void): this;
  off(event: 'event', listener: (e: RackEvent) => void): this;
  stats(): MinerStats[];
  /** Resolves once every miner has emitted `event` at least once since the call. */
  everyMiner(event: MinerEventName, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Worker names for a rack, in start order: nerdminers, bitaxes, cpus, gpus, each numbered from 01. */
export function rackWorkers(
  user: string,
  counts: Partial<Record<MinerProfile, number>>,
): [MinerProfile, string][] {
  const out: [MinerProfile, string][] = [];
  for (const profile of MINER_PROFILES) {
    const n = counts[profile] ?? 0;
    if (!Number.isInteger(n) || n < 0 || n > 1000) {
      throw new TypeError(`counts.${profile}: expected an integer from 0 to 1000, got ${n}`);
    }
    for (let i = 1; i <= n; i += 1) {
      out.push([profile, `${user}.${WORKER_PREFIXES[profile]}-${String(i).padStart(2, '0')}`]);
    }
  }
  return out;
}

class RackImpl extends EventEmitter<{ event: [RackEvent] }> implements Rack {
  readonly miners: Miner[] = [];
  private stopping: Promise<void> | undefined;

  constructor(options: RackOptions) {
    super();
    const {
      counts,
      user,
      hashrateScale,
      hashrates,
      wireEvents,
      console: onConsole,
      select,
      ...shared
    } = options;
    const scale = hashrateScale ?? 1;
    if (!(scale > 0) || !Number.isFinite(scale))
      throw new TypeError(`hashrateScale: expected > 0, got ${scale}`);
    const workers = rackWorkers(user ?? DEFAULT_RACK_USER, counts);
    if (workers.length === 0) throw new TypeError('counts: a rack needs at least one miner');
    if (
      select !== undefined &&
      !(Number.isInteger(select.of) && select.of >= 1 && select.index >= 0 && select.index < select.of)
    ) {
      throw new TypeError(`select: expected 0 <= index < of, got ${JSON.stringify(select)}`);
    }
    const events = wireEvents ? [...RACK_EVENTS, 'tx', 'rx', 'console'] : RACK_EVENTS;
    for (const [i, [profile, worker]] of workers.entries()) {
      if (select !== undefined && i % select.of !== select.index) continue;
      const hashrate = hashrates?.[profile] ?? DEFAULT_HASHRATES[profile] * scale;
      const minerOptions: MinerOptions = { ...shared, profile, worker, hashrate };
      if (onConsole !== undefined) minerOptions.console = (line) => onConsole(worker, line);
      const miner = new Miner(minerOptions, PROFILE_SESSIONS[profile]);
      for (const event of events) {
        const forward = (payload: unknown): void => {
          this.emit('event', { worker, profile, event, payload } as RackEvent);
        };
        (miner.on as (e: string, l: (p: unknown) => void) => Miner)(event, forward);
      }
      this.miners.push(miner);
    }
    for (const miner of this.miners) miner.start();
  }

  stats(): MinerStats[] {
    return this.miners.map((m) => m.stats());
  }

  everyMiner(event: MinerEventName, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return Promise.all(this.miners.map((m) => m.waitFor(event, undefined, timeoutMs))).then(() => undefined);
  }

  stop(): Promise<void> {
    this.stopping ??= Promise.all(this.miners.map((m) => m.stop())).then(() => undefined);
    return this.stopping;
  }
}

/** Starts every miner of a rack against one pool URL; each has a stable worker name. */
export function startRack(options: RackOptions): Rack {
  return new RackImpl(options);
}
