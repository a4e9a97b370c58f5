/**
 * What the boards mine against: the harness's own pool simulator and proxy, the pool simulator
 * alone (`--direct`), or a proxy that is already running (`--proxy`). Scenarios see the Stratum
 * side only through this interface.
 */
import { parseHostPort } from '../../peers/host-port.js';

export type BenchKind = 'proxy' | 'direct' | 'remote-proxy';

/** `pool-control`: the harness runs the pool and can change its difficulty, drop it, send it messages. */
export type BenchCapability = 'pool-control';

/** One Stratum session as the proxy's `/status` (or the pool simulator) shows it. */
export interface StratumSessionView {
  worker: string;
  /** `host:port` of the board's TCP connection, as the proxy or pool saw it. */
  remote: string | null;
  connected: boolean;
  /** Epoch ms, on the bench's clock. */
  connectedAt: number | null;
  userAgent: string | null;
  extranonce1: string | null;
  /** The difficulty the board was last sent. */
  difficulty: number | null;
  /** Shares the proxy accepted (the pool, in direct mode), cumulative for the worker name. */
  accepted: number;
  rejected: number;
  /** Of those, shares the pool accepted and rejected. */
  poolAccepted: number;
  poolRejected: number;
  /** Share-based estimate, H/s, when the bench has one. */
  hashrate: number | null;
}

/** The proxy's own pool session. */
export interface UpstreamView {
  connected: boolean;
  extranonce1: string | null;
  difficulty: number | null;
}

/** Which of the pool's sessions a message goes to: all, or the one(s) carrying a worker name. */
export type PoolTarget = 'all' | { worker: string };

/** The pool simulator, driven by scenarios. In proxy mode its only session is the proxy's upstream. */
export interface PoolControl {
  readonly url: string;
  /** The share difficulty the pool now gives. */
  difficulty(): number;
  setDifficulty(difficulty: number): void;
  /** Connections the pool has accepted since it started (a redial shows up here). */
  connections(): number;
  /** Closes the pool's connections (the proxy's upstream, or the boards themselves in direct mode). */
  drop(target: PoolTarget): void;
  /** Sends client.reconnect pointing back at the pool. */
  sendReconnect(target: PoolTarget): void;
  /** Gives the sessions a new extranonce1 with mining.set_extranonce, then a clean job. */
  sendSetExtranonce(target: PoolTarget): void;
}

export interface Bench {
  readonly kind: BenchKind;
  /** What boards mine to, stratum+tcp://HOST:PORT. */
  readonly stratumUrl: string;
  /** The proxy's HTTP API, when there is a proxy. */
  readonly proxyUrl: string | undefined;
  readonly capabilities: ReadonlySet<BenchCapability>;
  /** Present when the harness runs the pool (capability `pool-control`). */
  readonly pool: PoolControl | undefined;
  sessions(): Promise<StratumSessionView[]>;
  /** The proxy's upstream; undefined in direct mode. */
  upstream(): Promise<UpstreamView | undefined>;
  close(): Promise<void>;
}

/** `host` of `host:port`, `[v6]:port` or a bare address; IPv4-mapped IPv6 made plain. */
export function remoteHost(remote: string | null | undefined): string | undefined {
  if (remote === null || remote === undefined || remote === '') return undefined;
  const host = parseHostPort(remote)?.host ?? remote.replace(/^\[(.*)\]$/, '$1');
  return host.replace(/^::ffff:/i, '');
}
