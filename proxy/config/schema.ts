import { z } from 'zod';
import * as d from './defaults.js';
import {
  bool,
  cidr,
  hostName,
  intIn,
  listenAddress,
  numberIn,
  oneOf,
  section,
  socksProxy,
  suggestDifficulty,
  text,
} from './schema-helpers.js';

/** The file's own shape (snake_case, Go karoo compatible); parse-config turns it into ProxyConfig. */

const ms = (min: number) => intIn(min, d.MAX_TIMER_MS);

const upstreamShape = {
  host: hostName(),
  port: intIn(1, 65535),
  user: text().optional(),
  pass: text().optional(),
  tls: bool().default(false),
  insecure_skip_verify: bool().default(false),
  backoff_min_ms: ms(100).default(d.DEFAULT_BACKOFF_MIN_MS),
  backoff_max_ms: ms(100).default(d.DEFAULT_BACKOFF_MAX_MS),
  socks_proxy: socksProxy(),
  suggest_difficulty: suggestDifficulty().optional(),
  mode: oneOf(d.UPSTREAM_MODES).default(d.DEFAULT_UPSTREAM_MODE),
  idle_grace_ms: ms(0).default(d.DEFAULT_IDLE_GRACE_MS),
  primary_probe_ms: ms(100).default(d.DEFAULT_PRIMARY_PROBE_MS),
  notify_timeout_ms: ms(1000).default(d.DEFAULT_NOTIFY_TIMEOUT_MS),
};

const upstreamSchema = z.strictObject(upstreamShape, { error: 'an object with at least host and port' });

export const configSchema = z.strictObject(
  {
    proxy: section({
      listen: listenAddress().default(d.DEFAULT_PROXY_LISTEN),
      client_idle_ms: ms(0).default(d.DEFAULT_CLIENT_IDLE_MS),
      max_clients: intIn(1, 1_000_000).default(d.DEFAULT_MAX_CLIENTS),
      read_buf: intIn(256, 1024 * 1024).default(d.DEFAULT_READ_BUF),
      write_buf: intIn(d.MIN_WRITE_BUF, 64 * 1024 * 1024).default(d.DEFAULT_WRITE_BUF),
      tls: section({
        enabled: bool().default(false),
        cert_file: text().default(''),
        key_file: text().default(''),
      }),
      websocket: section({
        enabled: bool().default(false),
        listen: listenAddress().default(d.DEFAULT_WEBSOCKET_LISTEN),
      }),
      subscribe_timeout_ms: intIn(1000, 600_000).default(d.DEFAULT_SUBSCRIBE_TIMEOUT_MS),
    }),
    upstream: upstreamSchema,
    backups: z
      .array(upstreamSchema, { error: `an array of at most ${d.MAX_BACKUPS} upstreams` })
      .max(d.MAX_BACKUPS, { error: `an array of at most ${d.MAX_BACKUPS} upstreams` })
      .default([]),
    http: section({
      listen: listenAddress({ allowEmpty: true }).default(d.DEFAULT_HTTP_LISTEN),
      pprof: bool().default(false),
      token: text().default(''),
      require_token: bool().default(d.DEFAULT_REQUIRE_TOKEN),
      public_pool_api: listenAddress({ allowEmpty: true }).default(''),
    }),
    vardiff: section({
      enabled: bool().default(d.DEFAULT_VARDIFF_ENABLED),
      target_seconds: numberIn(0.1, 3600).default(d.DEFAULT_TARGET_SECONDS),
      min_diff: numberIn(0, 1e15, { minExclusive: true }).default(d.DEFAULT_MIN_DIFF),
      max_diff: numberIn(0, 1e15, { minExclusive: true }).default(d.DEFAULT_MAX_DIFF),
      adjust_every_ms: ms(1000).default(d.DEFAULT_ADJUST_EVERY_MS),
      start_diff: numberIn(0, 1e15, { minExclusive: true }).nullable().default(null),
    }),
    ratelimit: section({
      enabled: bool().default(d.DEFAULT_RATELIMIT_ENABLED),
      max_connections_per_ip: intIn(0, 1_000_000).default(d.DEFAULT_MAX_CONNECTIONS_PER_IP),
      max_connections_per_minute: intIn(0, 1_000_000).default(d.DEFAULT_MAX_CONNECTIONS_PER_MINUTE),
      ban_duration_seconds: intIn(0, 31_536_000).default(d.DEFAULT_BAN_DURATION_SECONDS),
      cleanup_interval_seconds: intIn(1, 86_400).default(d.DEFAULT_CLEANUP_INTERVAL_SECONDS),
      trusted: z
        .array(cidr(), { error: `a list of at most ${d.MAX_TRUSTED_NETWORKS} CIDR ranges` })
        .max(d.MAX_TRUSTED_NETWORKS, { error: `a list of at most ${d.MAX_TRUSTED_NETWORKS} CIDR ranges` })
        .default([]),
    }),
    limits: section({
      auth_fail_backoff_ms: ms(0).default(d.DEFAULT_AUTH_FAIL_BACKOFF_MS),
      reject_ban_ratio: numberIn(0, 1).default(d.DEFAULT_REJECT_BAN_RATIO),
      reject_ban_min_shares: intIn(1, 1_000_000).default(d.DEFAULT_REJECT_BAN_MIN_SHARES),
      reject_ban_seconds: intIn(0, 31_536_000).default(d.DEFAULT_REJECT_BAN_SECONDS),
    }),
    compat: section({
      strict_broadcast: bool().default(d.DEFAULT_STRICT_BROADCAST),
      local_authorize: bool().default(d.DEFAULT_LOCAL_AUTHORIZE),
    }),
    log: section({
      level: oneOf(d.LOG_LEVELS).default(d.DEFAULT_LOG_LEVEL),
    }),
  },
  { error: 'a JSON object' },
);

export type RawConfig = z.output<typeof configSchema>;
export type RawUpstream = z.output<typeof upstreamSchema>;
