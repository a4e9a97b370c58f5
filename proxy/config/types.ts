import type { LogLevel, UpstreamMode } from './defaults.js';
import type { HostPort } from './host-port.js';

/** The validated configuration, camelCase, every default filled in. */
export interface ProxyConfig {
  proxy: ProxySection;
  upstream: UpstreamConfig;
  /** Tried in order after `upstream` fails; user/pass inherited from `upstream` when absent. */
  backups: UpstreamConfig[];
  http: HttpSection;
  vardiff: VardiffSection;
  ratelimit: RateLimitSection;
  limits: LimitsSection;
  compat: CompatSection;
  log: { level: LogLevel };
  /**
   * One line each, logged at startup and on reload: keys accepted for compatibility that do
   * nothing, and settings that are allowed but unsafe (an HTTP API beyond loopback without a token).
   */
  warnings: string[];
}

export interface ProxySection {
  listen: HostPort;
  /** 0 = never drop a silent miner. */
  clientIdleMs: number;
  maxClients: number;
  /** Longest line accepted from a miner, bytes (`read_buf`). */
  readBuf: number;
  /** Bytes queued towards one miner before it is dropped as too slow (`write_buf`). */
  writeBuf: number;
  tls: { enabled: boolean; certFile: string; keyFile: string };
  websocket: { enabled: boolean; listen: HostPort };
  subscribeTimeoutMs: number;
}

export interface UpstreamConfig {
  host: string;
  port: number;
  user: string;
  pass: string;
  tls: boolean;
  insecureSkipVerify: boolean;
  backoffMinMs: number;
  backoffMaxMs: number;
  mode: UpstreamMode;
  idleGraceMs: number;
  /** While on a backup, how often the primary is probed. */
  primaryProbeMs: number;
  /** No job from the pool for this long: hang up and redial. */
  notifyTimeoutMs: number;
  /** Dial the pool through this SOCKS5 proxy (`socks_proxy`); null = directly. */
  socksProxy: SocksProxyConfig | null;
  /**
   * The share difficulty asked of this pool (`suggest_difficulty`): "auto" from the rack's rate,
   * a fixed number, or "off". A backup without the key takes upstream's.
   */
  suggestDifficulty: 'auto' | 'off' | number;
}

/** An enabled `socks_proxy` (SOCKS5, e.g. Tor's 127.0.0.1:9050). */
export interface SocksProxyConfig {
  host: string;
  port: number;
  /** '' = no authentication (with a username, RFC 1929 username/password). */
  username: string;
  password: string;
}

export interface HttpSection {
  /** null when `http.listen` is "" (HTTP disabled). */
  listen: HostPort | null;
  /** Bearer token the HTTP API requires; null = none. */
  token: string | null;
  /**
   * Refuse to start (and to reload) with the API beyond loopback and no token; false (or absent,
   * in a config built by hand) = start with a warning. parseConfig always sets it.
   */
  requireToken?: boolean;
  /**
   * Where public-pool's client API (GET /api/client/<address>) is served for NerdMiners' screens;
   * null or absent = nowhere (`http.public_pool_api` "").
   */
  publicPoolApi?: HostPort | null;
}

export interface VardiffSection {
  enabled: boolean;
  targetSeconds: number;
  minDiff: number;
  maxDiff: number;
  adjustEveryMs: number;
  /** Difficulty before any suggest_difficulty; null = let the proxy pick (e.g. the pool's). */
  startDiff: number | null;
}

export interface RateLimitSection {
  enabled: boolean;
  /** 0 = unlimited. */
  maxConnectionsPerIp: number;
  /** 0 = unlimited. */
  maxConnectionsPerMinute: number;
  banDurationSeconds: number;
  cleanupIntervalSeconds: number;
  /** CIDR ranges (`ADDRESS/PREFIX`) exempt from the per-IP count and rate limits and from bans. */
  trusted: string[];
}

export interface LimitsSection {
  /** 0 = no backoff after a failed authorize. */
  authFailBackoffMs: number;
  /** 0 = never ban for rejected shares. */
  rejectBanRatio: number;
  rejectBanMinShares: number;
  rejectBanSeconds: number;
}

export interface CompatSection {
  strictBroadcast: boolean;
  localAuthorize: boolean;
}
