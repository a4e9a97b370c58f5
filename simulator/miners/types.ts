import type { Clock } from '../../runtime/clock.js';
import type { Logger } from '../../runtime/logger.js';
import type { JsonValue } from '../../stratum/messages.js';
import type { HashScheduler } from './hash-scheduler.js';
import type { ProfileTimers } from './options.js';
import type { PoolDialer } from './pool-link.js';

export const MINER_PROFILES = ['nerdminer', 'bitaxe', 'cpu', 'gpu'] as const;
export type MinerProfile = (typeof MINER_PROFILES)[number];

/**
 * Deliberate misbehaviour for tests. Each `...Every: N` applies to every Nth share the miner finds
 * (1 = all of them), so a test knows exactly which shares are affected.
 */
export interface MinerFaults {
  /** Send the share with its nonce changed, so it fails the hash check (pools answer 23). */
  badShareEvery?: number;
  /** Send the share under a job id the pool has forgotten or never issued (pools answer 21). */
  staleShareEvery?: number;
  /** Send the share twice; the second copy is a duplicate (pools answer 22). */
  duplicateEvery?: number;
  /** Before the share, send a line that is not JSON. */
  malformedLineEvery?: number;
  /** Stop reading the socket for `pauseMs` after every `everyLines` lines received (default 1). */
  slowReader?: { pauseMs: number; everyLines?: number };
}

export interface MinerOptions {
  profile: MinerProfile;
  /** `stratum+tcp://host:port` */
  url: string;
  /** The worker name sent in authorize and submit, e.g. `wallet.nerd-01`. */
  worker: string;
  password?: string;
  /** Hashrate cap in H/s (the profile's simulated default otherwise; see DEFAULT_HASHRATES). */
  hashrate?: number;
  /**
   * Multiplies every firmware timer (handshake waits, keepalive, no-notify timeout, reconnect
   * delays). 1 is real firmware time; tests use e.g. 0.001.
   */
  timeScale?: number;
  /** Reconnect delay range in ms, overriding the profile's (after timeScale). */
  reconnectDelayMs?: readonly [number, number];
  /** Individual firmware timers in ms, overriding the profile's (after timeScale). */
  timers?: Partial<ProfileTimers>;
  faults?: MinerFaults;
  logger?: Logger;
  /** The firmware's timers (handshake waits, keepalive, timeouts, reconnect delays). */
  clock?: Clock;
  /** How each session reaches the pool: TCP by default; tests pass an in-memory network's. */
  dial?: PoolDialer;
  /** Serial console lines the firmware would print (nerdminer prints the full NerdMiner log). */
  console?: (line: string) => void;
  /** Shares the CPU with other miners; the process-wide scheduler by default. */
  scheduler?: HashScheduler;
  /** Random numbers in [0, 1) for reconnect jitter; Math.random by default. */
  random?: () => number;
  /** nerdminer: firmware version in the user agent (V1.8.3). bitaxe: version (v2.9.0). */
  firmwareVersion?: string;
  /** bitaxe: ASIC model in the user agent (BM1370). */
  model?: string;
  /** Difficulty the miner suggests (nerdminer 0.00015, bitaxe 1000; cpu and gpu send none). */
  suggestDifficulty?: number;
  /** bitaxe: also send mining.extranonce.subscribe after setup (the firmware's option, off by default). */
  extranonceSubscribe?: boolean;
  /** gpu: sessions the rig opens (default 4), all under the same worker name. */
  sessions?: number;
}

export interface ShareSent {
  session: number;
  id: JsonValue;
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
  /** Difficulty of the share's hash. */
  shareDifficulty: number;
  /** Difficulty the miner believed the pool wanted. */
  targetDifficulty: number;
  fault?: 'bad' | 'stale' | 'duplicate';
}

export interface ShareAnswer {
  session: number;
  id: JsonValue;
  jobId: string;
  latencyMs: number;
}

export interface ShareRejection extends ShareAnswer {
  /** The pool's error code, or null when it answered `result: false` without one. */
  code: number | null;
  message: string;
}

export interface MinerEvents {
  connected: [{ session: number; attempt: number }];
  subscribed: [{ session: number; extranonce1: string; extranonce2Size: number }];
  authorized: [{ session: number; ok: boolean }];
  job: [{ session: number; jobId: string; cleanJobs: boolean }];
  difficulty: [{ session: number; difficulty: number }];
  'share-sent': [ShareSent];
  'share-accepted': [ShareAnswer];
  'share-rejected': [ShareRejection];
  disconnected: [{ session: number; reason: string }];
  reconnected: [{ session: number; attempt: number; afterMs: number }];
  'connect-failed': [{ session: number; message: string }];
  'reconnect-ignored': [{ session: number; params: JsonValue }];
  'method-ignored': [{ session: number; method: string }];
  /** Every line the miner sends, exactly as written (without the newline). */
  tx: [{ session: number; line: string }];
  /** Every line the miner receives. */
  rx: [{ session: number; line: string }];
  console: [line: string];
}

export type MinerEventName = keyof MinerEvents;
export type MinerEventPayload<E extends MinerEventName> = MinerEvents[E][0];

export interface MinerStats {
  profile: MinerProfile;
  worker: string;
  sent: number;
  accepted: number;
  rejected: number;
  /** Rejections by `"<code> <message up to the first colon>"`. */
  rejectedByReason: Record<string, number>;
  /** Shares sent that got no answer before the connection closed. */
  unanswered: number;
  meanLatencyMs: number | null;
  hashes: number;
  /** Measured hashes per second since start. */
  hashrate: number;
  hashrateCap: number;
  connects: number;
  disconnects: number;
  jobs: number;
  difficulty: number | null;
}

export interface SimulatedMiner {
  readonly profile: MinerProfile;
  readonly worker: string;
  on<E extends MinerEventName>(event: E, listener: (...args: MinerEvents[E]) => void): this;
  off<E extends MinerEventName>(event: E, listener: (...args: MinerEvents[E]) => void): this;
  once<E extends MinerEventName>(event: E, listener: (...args: MinerEvents[E]) => void): this;
  stats(): MinerStats;
  /** Resolves with the next event's payload that passes `predicate`; rejects after `timeoutMs`. */
  waitFor<E extends MinerEventName>(
    event: E,
    predicate?: (payload: MinerEventPayload<E>) => boolean,
    timeoutMs?: number,
  ): Promise<MinerEventPayload<E>>;
  /** Stops hashing, cancels timers and closes every connection. */
  stop(): Promise<void>;
}
