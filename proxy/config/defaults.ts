import { DEFAULT_MINER_LINE_CAP } from '../../stratum/index.js';

/** Every default in one place; config.example.json and the README table show the same values. */

/** Miners connect here: every interface, port 3334 (3333 is usually the pool's). */
export const DEFAULT_PROXY_LISTEN = ':3334';
/**
 * A miner that sends no line for 10 minutes is dropped. Generous on purpose: a NerdMiner at a
 * high difficulty can go minutes without a share (its suggest_difficulty keepalive is every 30 s),
 * and NerdMiner itself gives up after 10 minutes without a job, so nothing alive is cut.
 */
export const DEFAULT_CLIENT_IDLE_MS = 600_000;
export const DEFAULT_MAX_CLIENTS = 1000;
/** `read_buf`: the longest line accepted from a miner, in bytes. */
export const DEFAULT_READ_BUF = DEFAULT_MINER_LINE_CAP;
/** `write_buf`: bytes queued towards one miner before it is cut as too slow (~200 jobs). */
export const DEFAULT_WRITE_BUF = 256 * 1024;
/**
 * The smallest `write_buf`: one job line (a few hundred bytes, ~1 KB with a long merkle branch)
 * must fit, or a miner would be cut on its first notify. The Go karoo's example uses 2048 (there
 * a socket write buffer size); here it is the backlog cap, and 1024 still serves a miner that reads.
 */
export const MIN_WRITE_BUF = 1024;
export const DEFAULT_WEBSOCKET_LISTEN = ':3335';
/** A connection that has not subscribed within 10 s is closed (xmrig's login and SRI's subscribe timeout). */
export const DEFAULT_SUBSCRIBE_TIMEOUT_MS = 10_000;

export const DEFAULT_UPSTREAM_USER = '';
export const DEFAULT_UPSTREAM_PASS = 'x';
export const DEFAULT_BACKOFF_MIN_MS = 1000;
export const DEFAULT_BACKOFF_MAX_MS = 60_000;
export const UPSTREAM_MODES = ['on-demand', 'keep-warm'] as const;
export type UpstreamMode = (typeof UPSTREAM_MODES)[number];
export const DEFAULT_UPSTREAM_MODE: UpstreamMode = 'on-demand';
/** With no miner connected for this long, an on-demand upstream hangs up. */
export const DEFAULT_IDLE_GRACE_MS = 30_000;
/** While on a backup, how often to check whether the primary answers again. */
export const DEFAULT_PRIMARY_PROBE_MS = 30_000;
/** A pool that sends no job for this long is a zombie: hang up and redial (ESP-Miner uses 5 min). */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 300_000;
export const MAX_BACKUPS = 32;
/** socks_proxy.port when absent: the SOCKS port (Tor's is 9050). */
export const DEFAULT_SOCKS_PORT = 1080;

/** Loopback only: the status API is not meant for the open network without a token. */
export const DEFAULT_HTTP_LISTEN = '127.0.0.1:8080';
/**
 * false: an HTTP API beyond loopback without a token starts with a loud warning (the Go karoo's
 * configs listen on ":8080" with no token); true: it is refused.
 */
export const DEFAULT_REQUIRE_TOKEN = false;

export const DEFAULT_VARDIFF_ENABLED = true;
/** One share per 10 s per miner (public-pool's choice; ckpool and NOMP use 15-18 s). */
export const DEFAULT_TARGET_SECONDS = 10;
/** Low enough for a 50 kH/s ESP32 (public-pool's MIN_DIFF). */
export const DEFAULT_MIN_DIFF = 1e-5;
export const DEFAULT_MAX_DIFF = 1e12;
export const DEFAULT_ADJUST_EVERY_MS = 60_000;

/** The Go karoo's rate-limit defaults. */
export const DEFAULT_RATELIMIT_ENABLED = true;
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 100;
export const DEFAULT_MAX_CONNECTIONS_PER_MINUTE = 60;
export const DEFAULT_BAN_DURATION_SECONDS = 300;
export const DEFAULT_CLEANUP_INTERVAL_SECONDS = 60;
/** `ratelimit.trusted` ranges at most (each is checked on every connection). */
export const MAX_TRUSTED_NETWORKS = 256;

/** First failed authorize waits 3 s, doubling (ckpool). */
export const DEFAULT_AUTH_FAIL_BACKOFF_MS = 3000;
/** Ban a connection whose shares are at least half rejected over 500 checks, for 600 s (NOMP). */
export const DEFAULT_REJECT_BAN_RATIO = 0.5;
export const DEFAULT_REJECT_BAN_MIN_SHARES = 500;
export const DEFAULT_REJECT_BAN_SECONDS = 600;

export const DEFAULT_STRICT_BROADCAST = false;
export const DEFAULT_LOCAL_AUTHORIZE = true;
/** upstream.suggest_difficulty: ask the pool for about one share every few seconds from the rack. */
export const DEFAULT_SUGGEST_DIFFICULTY = 'auto' as const;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** setTimeout's ceiling (about 24.8 days): every *_ms value is bounded by it. */
export const MAX_TIMER_MS = 2_147_483_647;
