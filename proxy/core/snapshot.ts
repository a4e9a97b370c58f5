import type { RegistrySnapshot } from '../stats/index.js';
import type { UpstreamMode } from './core-options.js';
import type { MinerKind } from './miner-kind.js';
import type { UpstreamState } from './upstream/upstream-manager.js';

/** What the books keep of a worker after its connection has gone. */
export interface RetiredWorker {
  worker: string;
  kind: MinerKind;
  userAgent: string | null;
  remote: string;
  disconnectedAt: number;
  /** The difficulty it was last sent, and the history of what it was sent. */
  difficulty: number | null;
  history: { at: number; from: number; to: number; reason: string }[];
}

/** One connected miner. */
export interface MinerSnapshot {
  id: number;
  remote: string;
  connectedAt: number;
  lastActivityAt: number;
  userAgent: string | null;
  kind: MinerKind;
  worker: string;
  workers: string[];
  subscribed: boolean;
  authorized: boolean;
  /** Subscribed, authorized, with an extranonce: it gets jobs. */
  ready: boolean;
  extranonce1: string | null;
  prefix: string | null;
  extranonce2Size: number | null;
  extranonceSubscribed: boolean;
  /** The difficulty last sent to the miner (null before the first). */
  difficulty: number | null;
  /** The version-rolling mask granted (null when the miner did not ask). */
  versionMask: number | null;
  submits: number;
  /** Vardiff's current choice, and what the miner was sent with mining.set_difficulty, and why. */
  vardiff: { current: number; history: { at: number; from: number; to: number; reason: string }[] } | null;
}

export interface UpstreamSnapshot {
  state: UpstreamState;
  since: number;
  endpointIndex: number;
  /** The pool of the ready session, else the one dialled next (no password). */
  endpoint: { host: string; port: number; user: string; tls: boolean };
  url: string;
  lastError: string | null;
  /** Failed attempts in a row (the backoff exponent). */
  attempt: number;
  dials: number;
  nextDialAt: number | null;
  /** The ready session, when there is one. */
  session: {
    extranonce1: string;
    extranonce2Size: number;
    difficulty: number;
    versionMask: number;
    lastNotifyAt: number | null;
    connectedAt: number | null;
  } | null;
  latestJobId: string | null;
  jobs: number;
  /** The share difficulty last asked of the pool (mining.suggest_difficulty), if any. */
  suggestedDifficulty: number | null;
  /** Why the pool's extranonce cannot be split among miners, when it cannot. */
  splitError: string | null;
}

export interface ExtranonceSnapshot {
  poolExtranonce1: string | null;
  poolExtranonce2Size: number | null;
  prefixBytes: number | null;
  minerExtranonce2Size: number | null;
  live: number;
  quarantined: number;
  slots: number | null;
}

/** The one read model of the core: /status, /metrics, events and the dashboard read this. */
export interface CoreSnapshot {
  at: number;
  mode: UpstreamMode;
  minerCount: number;
  upstream: UpstreamSnapshot;
  extranonce: ExtranonceSnapshot;
  books: {
    /** What the proxy answered its miners, per worker. */
    local: RegistrySnapshot;
    /** What the pool answered for the shares forwarded to it, per worker. */
    pool: RegistrySnapshot;
    forwarded: Record<string, number>;
    forwardedTotal: number;
    /** Shares whose hash met the network target (each went upstream as a block). */
    blockCandidates: Record<string, number>;
    blockCandidatesTotal: number;
  };
  /** Header hashes remembered for duplicate checks. */
  remembered: number;
  /** Workers whose connection has gone, as they were last seen (bounded in number and age). */
  retiredWorkers: RetiredWorker[];
  /** Every connected miner; empty when asked for without miners. */
  miners: MinerSnapshot[];
}

export interface SnapshotOptions {
  /** Include every miner (default true); /metrics and events need only the totals. */
  miners?: boolean;
}

/** 200 while the proxy can serve: upstream ready, or idle with no miners on demand. */
export function healthOf(s: CoreSnapshot): { ok: boolean; reason: string } {
  const up = s.upstream;
  if (up.state === 'ready') return { ok: true, reason: 'upstream connected' };
  if (s.mode === 'on-demand' && s.minerCount === 0 && up.state === 'idle')
    return { ok: true, reason: 'idle: no miners, upstream dialled on demand' };
  const why = up.splitError ?? up.lastError;
  return { ok: false, reason: `upstream ${up.state}${why ? `: ${why}` : ''}` };
}
