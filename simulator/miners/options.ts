import { parseStratumUrl as parseUrl, type HostPort } from '../../peers/host-port.js';
import { MINER_PROFILES } from './types.js';
import type { MinerFaults, MinerOptions, MinerProfile } from './types.js';

/**
 * Simulated hashrate caps (H/s). Real devices are far faster (NerdMiner 1.8.x ~350 kH/s, Bitaxe
 * ~0.5-1.2 TH/s); a laptop core does ~0.8 MH/s of sha256d, so each profile gets a cap that keeps a
 * 7-miner rack inside one core while share timing still comes from real hashing. Ratios follow the
 * devices' order (NerdMiner slowest), not their magnitudes.
 */
export const DEFAULT_HASHRATES: Readonly<Record<MinerProfile, number>> = {
  nerdminer: 40_000,
  bitaxe: 200_000,
  cpu: 100_000,
  gpu: 200_000,
};

export const DEFAULT_PASSWORD = 'x';
export const DEFAULT_GPU_SESSIONS = 4;

/** Firmware timers (ms, at timeScale 1), each from the firmware source named in its profile file. */
export interface ProfileTimers {
  reconnectDelayMs: readonly [number, number];
  /** nerdminer: vTaskDelay(200) after subscribe and after authorize. */
  handshakeWaitMs: number;
  /** nerdminer: readStringUntil's default 1000 ms timeout for the subscribe answer. */
  subscribeReadTimeoutMs: number;
  /** nerdminer: KEEPALIVE_TIME_ms, re-suggest the difficulty after this long without sending. */
  keepaliveMs: number;
  /** nerdminer: POOLINACTIVITY_TIME_ms, reconnect after this long without hashing. */
  zeroHashrateMs: number;
  /** nerdminer: reconnect after this long without a mining.notify. */
  noNotifyMs: number;
  /** nerdminer: the monitor's 1 s hashrate line. */
  hashrateLogMs: number;
  /** bitaxe: how often new work (next extranonce2) goes to the ASIC. */
  jobIntervalMs: number;
  /** nerdminer: the stratum task's vTaskDelay(50) per loop (how soon it reconnects after a drop). */
  loopDelayMs: number;
}

const BASE_TIMERS: ProfileTimers = {
  reconnectDelayMs: [1000, 1000],
  handshakeWaitMs: 0,
  subscribeReadTimeoutMs: 30_000,
  keepaliveMs: 0,
  zeroHashrateMs: 0,
  noNotifyMs: 0,
  hashrateLogMs: 0,
  jobIntervalMs: 0,
  loopDelayMs: 0,
};

export const PROFILE_TIMERS: Readonly<Record<MinerProfile, ProfileTimers>> = {
  nerdminer: {
    ...BASE_TIMERS,
    reconnectDelayMs: [1000, 60_000],
    handshakeWaitMs: 200,
    subscribeReadTimeoutMs: 1000,
    keepaliveMs: 30_000,
    zeroHashrateMs: 60_000,
    noNotifyMs: 10 * 60_000,
    hashrateLogMs: 1000,
    loopDelayMs: 50,
  },
  // stratum_close_connection waits 1 s before the task loop reconnects.
  bitaxe: { ...BASE_TIMERS, reconnectDelayMs: [1000, 1000], jobIntervalMs: 500 },
  // cpuminer's opt_fail_pause (--retry-pause) defaults to 30 s.
  cpu: { ...BASE_TIMERS, reconnectDelayMs: [30_000, 30_000] },
  gpu: { ...BASE_TIMERS, reconnectDelayMs: [5000, 5000] },
};

export type PoolAddress = HostPort;

/** Parses `stratum+tcp://host:port` (IPv6 hosts in brackets), by peers/host-port.ts. */
export function parseStratumUrl(url: string): PoolAddress {
  const address = parseUrl(url);
  if (address === null) {
    throw new TypeError(
      `url: expected stratum+tcp://HOST:PORT (port 1 to 65535), got ${JSON.stringify(url)}`,
    );
  }
  return address;
}

export interface ResolvedMinerOptions extends MinerOptions {
  password: string;
  hashrate: number;
  timers: ProfileTimers;
  pool: PoolAddress;
  faults: MinerFaults;
  random: () => number;
  sessions: number;
}

/** Checks options and fills defaults; a bad option is a TypeError naming it. */
export function resolveMinerOptions(options: MinerOptions): ResolvedMinerOptions {
  if (!MINER_PROFILES.includes(options.profile)) {
    throw new TypeError(
      `profile: expected one of ${MINER_PROFILES.join(', ')}, got ${String(options.profile)}`,
    );
  }
  const pool = parseStratumUrl(options.url);
  checkName('worker', options.worker);
  const password = options.password ?? DEFAULT_PASSWORD;
  checkName('password', password, true);
  const hashrate = options.hashrate ?? DEFAULT_HASHRATES[options.profile];
  if (!Number.isFinite(hashrate) || hashrate < 0) {
    throw new TypeError(`hashrate: expected H/s >= 0, got ${hashrate}`);
  }
  const scale = options.timeScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new TypeError(`timeScale: expected > 0, got ${scale}`);
  const base = PROFILE_TIMERS[options.profile];
  const timers: ProfileTimers = {
    reconnectDelayMs: [base.reconnectDelayMs[0] * scale, base.reconnectDelayMs[1] * scale],
    handshakeWaitMs: base.handshakeWaitMs * scale,
    subscribeReadTimeoutMs: base.subscribeReadTimeoutMs * scale,
    keepaliveMs: base.keepaliveMs * scale,
    zeroHashrateMs: base.zeroHashrateMs * scale,
    noNotifyMs: base.noNotifyMs * scale,
    hashrateLogMs: base.hashrateLogMs,
    jobIntervalMs: base.jobIntervalMs * scale,
    loopDelayMs: base.loopDelayMs * scale,
  };
  for (const [key, value] of Object.entries(options.timers ?? {})) {
    if (!(key in timers)) throw new TypeError(`timers.${key}: not a timer of this profile`);
    if (key === 'reconnectDelayMs') continue;
    if (typeof value !== 'number' || !(value >= 0)) throw new TypeError(`timers.${key}: expected ms >= 0`);
    (timers as unknown as Record<string, number>)[key] = value;
  }
  const reconnect = options.reconnectDelayMs ?? options.timers?.reconnectDelayMs;
  if (reconnect !== undefined) {
    const [min, max] = reconnect;
    if (!(min >= 0) || !(max >= min)) {
      throw new TypeError(`reconnectDelayMs: expected [min, max] with 0 <= min <= max, got [${min}, ${max}]`);
    }
    timers.reconnectDelayMs = [min, max];
  }
  const sessions = options.sessions ?? (options.profile === 'gpu' ? DEFAULT_GPU_SESSIONS : 1);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 64) {
    throw new TypeError(`sessions: expected an integer from 1 to 64, got ${sessions}`);
  }
  if (options.profile !== 'gpu' && sessions !== 1) {
    throw new TypeError(`sessions: only the gpu profile opens several sessions`);
  }
  const faults = options.faults ?? {};
  for (const key of ['badShareEvery', 'staleShareEvery', 'duplicateEvery', 'malformedLineEvery'] as const) {
    const n = faults[key];
    if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
      throw new TypeError(`faults.${key}: expected an integer >= 1, got ${n}`);
    }
  }
  if (faults.slowReader !== undefined && !(faults.slowReader.pauseMs > 0)) {
    throw new TypeError(`faults.slowReader.pauseMs: expected > 0, got ${faults.slowReader.pauseMs}`);
  }
  return {
    ...options,
    password,
    hashrate,
    timers,
    pool,
    faults,
    random: options.random ?? Math.random,
    sessions,
  };
}

/** Firmware builds JSON with sprintf("%s"), unescaped: a quote or backslash would break the line. */
function checkName(field: string, value: unknown, allowEmpty = false): void {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0) || value.length > 128) {
    throw new TypeError(`${field}: expected a string of 1 to 128 characters, got ${JSON.stringify(value)}`);
  }
  if ([...value].some((ch) => ch === '"' || ch === '\\' || ch.charCodeAt(0) < 0x20)) {
    throw new TypeError(`${field}: quotes, backslashes and control characters are not allowed`);
  }
}
