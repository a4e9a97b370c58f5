import { DEFAULT_MINER_LINE_CAP } from '../../stratum/index.js';
import * as d from '../config/defaults.js';
import type { UpstreamMode } from '../config/defaults.js';
import type { UpstreamEndpoint } from './upstream/upstream-endpoint.js';

export type { UpstreamMode } from '../config/defaults.js';

/** Timings of the upstream sessions that no config key sets (tests shorten them). */
export interface UpstreamTimings {
  /** Dial, configure, subscribe and authorize must finish within this. */
  handshakeTimeoutMs: number;
  /** A request (a submit) the pool does not answer within this gets a code-20 verdict. */
  requestTimeoutMs: number;
  /**
   * After the subscribe answer, how long to still wait for the answer to mining.configure (sent
   * before it, so a pool answering in order has answered already). Some pools (NOMP's stratum
   * server) never answer a method they do not know: go on without rolling, and do not ask that
   * pool again. Short, so a cold subscribe still gets its answer within NerdMiner's 1 s.
   */
  configureWaitMs: number;
  /** A replaced session stays open this long for the verdicts it owes. */
  retireGraceMs: number;
  /** A session that delivered a job and stayed up this long resets the redial backoff. */
  healthyAfterMs: number;
  /** Consecutive failures on one pool before the next in the list is tried. */
  failoverAfter: number;
  /** Submits waiting for the pool's answer; past it new submits fail at once. */
  maxPendingSubmits: number;
}

/** Everything the proxy core runs on; `karoo proxy` builds it from the config file. */
export interface CoreOptions {
  endpoints: UpstreamEndpoint[];
  upstreamMode: UpstreamMode;
  idleGraceMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  primaryProbeMs: number;
  /** How long a cold subscribe may wait for the upstream (NerdMiner gives up after 1 s). */
  coldStartWaitMs: number;
  notifyTimeoutMs: number;
  maxClients: number;
  clientIdleMs: number;
  subscribeTimeoutMs: number;
  minerLineCap: number;
  minerSendQueueBytes: number;
  strictBroadcast: boolean;
  /**
   * The share difficulty asked of the pool after authorize: "auto" from the rack's rate (about one
   * share for the pool every few seconds, again when the rate moves by a factor of 4), a fixed
   * difficulty, or "off" (the pool's own choice).
   */
  upstreamSuggest: 'auto' | 'off' | number;
  /**
   * Answer mining.authorize locally (the default); false: each new worker name is authorized by
   * the pool on the shared session first (the Go karoo's compat.local_authorize).
   */
  localAuthorize: boolean;
  vardiff: {
    enabled: boolean;
    targetSecondsPerShare: number;
    minDiff: number;
    maxDiff: number;
    retargetEveryMs: number;
    startDiff?: number;
  };
  userAgent: string;
  /** How often the per-worker report line is logged; 0 turns it off. */
  reportEveryMs: number;
  upstream: UpstreamTimings;
}

/** Options as the core hands them out: nothing in them can be written from outside. */
export type FrozenOptions = {
  readonly [K in keyof CoreOptions]: CoreOptions[K] extends readonly (infer E)[]
    ? readonly Readonly<E>[]
    : CoreOptions[K] extends object
      ? Readonly<CoreOptions[K]>
      : CoreOptions[K];
};

/** A cold subscribe waits this long for the pool: NerdMiner reads its answer with a 1 s timeout. */
export const DEFAULT_COLD_START_WAIT_MS = 750;

export const DEFAULT_UPSTREAM_TIMINGS: UpstreamTimings = {
  handshakeTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  configureWaitMs: 250,
  retireGraceMs: 5_000,
  healthyAfterMs: 30_000,
  failoverAfter: 2,
  maxPendingSubmits: 10_000,
};

/** The defaults of every option; the config file's defaults (config/defaults.ts) are the same values. */
export function defaultCoreOptions(endpoints: UpstreamEndpoint[]): CoreOptions {
  return {
    endpoints,
    upstreamMode: d.DEFAULT_UPSTREAM_MODE,
    idleGraceMs: d.DEFAULT_IDLE_GRACE_MS,
    backoffMinMs: d.DEFAULT_BACKOFF_MIN_MS,
    backoffMaxMs: d.DEFAULT_BACKOFF_MAX_MS,
    primaryProbeMs: d.DEFAULT_PRIMARY_PROBE_MS,
    coldStartWaitMs: DEFAULT_COLD_START_WAIT_MS,
    notifyTimeoutMs: d.DEFAULT_NOTIFY_TIMEOUT_MS,
    maxClients: d.DEFAULT_MAX_CLIENTS,
    clientIdleMs: d.DEFAULT_CLIENT_IDLE_MS,
    subscribeTimeoutMs: d.DEFAULT_SUBSCRIBE_TIMEOUT_MS,
    minerLineCap: DEFAULT_MINER_LINE_CAP,
    minerSendQueueBytes: d.DEFAULT_WRITE_BUF,
    strictBroadcast: d.DEFAULT_STRICT_BROADCAST,
    localAuthorize: d.DEFAULT_LOCAL_AUTHORIZE,
    upstreamSuggest: d.DEFAULT_SUGGEST_DIFFICULTY,
    vardiff: {
      enabled: d.DEFAULT_VARDIFF_ENABLED,
      targetSecondsPerShare: d.DEFAULT_TARGET_SECONDS,
      minDiff: d.DEFAULT_MIN_DIFF,
      maxDiff: d.DEFAULT_MAX_DIFF,
      retargetEveryMs: d.DEFAULT_ADJUST_EVERY_MS,
    },
    userAgent: 'karoo/0.1.0',
    reportEveryMs: 60_000,
    upstream: { ...DEFAULT_UPSTREAM_TIMINGS },
  };
}
