import { DEFAULT_SUGGEST_DIFFICULTY, DEFAULT_UPSTREAM_PASS, DEFAULT_UPSTREAM_USER } from './defaults.js';
import { ConfigError, describeValue } from './errors.js';
import { parseHostPort, type HostPort } from './host-port.js';
import { judgeHttpExposure } from './http-exposure.js';
import type { RawConfig, RawUpstream } from './schema.js';
import { socksProxyOf } from './socks-proxy.js';
import type { ProxyConfig, UpstreamConfig } from './types.js';

/** Turns the schema's output into ProxyConfig, checking what relates two keys. */
export function buildConfig(raw: RawConfig): ProxyConfig {
  const warnings: string[] = [];
  const { proxy, http, vardiff, ratelimit, limits, compat, log } = raw;

  if (proxy.tls.enabled) {
    requireText(
      'proxy.tls.cert_file',
      proxy.tls.cert_file,
      'a certificate file path when proxy.tls.enabled is true',
    );
    requireText('proxy.tls.key_file', proxy.tls.key_file, 'a key file path when proxy.tls.enabled is true');
  }
  if (vardiff.max_diff < vardiff.min_diff) {
    invalid('vardiff.max_diff', `a number >= vardiff.min_diff (${vardiff.min_diff})`, vardiff.max_diff);
  }
  if (
    vardiff.start_diff !== null &&
    (vardiff.start_diff < vardiff.min_diff || vardiff.start_diff > vardiff.max_diff)
  ) {
    invalid(
      'vardiff.start_diff',
      `a number from vardiff.min_diff (${vardiff.min_diff}) to vardiff.max_diff (${vardiff.max_diff})`,
      vardiff.start_diff,
    );
  }
  if (http.pprof)
    warnings.push('http.pprof: accepted for compatibility with the Go karoo and ignored (no pprof in Node)');

  const httpSection = {
    listen: http.listen === '' ? null : address(http.listen),
    token: http.token === '' ? null : http.token,
    requireToken: http.require_token,
    publicPoolApi: http.public_pool_api === '' ? null : address(http.public_pool_api),
  };
  const exposed = judgeHttpExposure(httpSection);
  if (exposed !== null) warnings.push(exposed);

  const upstream = toUpstream(raw.upstream, 'upstream', null);
  return {
    proxy: {
      listen: address(proxy.listen),
      clientIdleMs: proxy.client_idle_ms,
      maxClients: proxy.max_clients,
      readBuf: proxy.read_buf,
      writeBuf: proxy.write_buf,
      tls: { enabled: proxy.tls.enabled, certFile: proxy.tls.cert_file, keyFile: proxy.tls.key_file },
      websocket: { enabled: proxy.websocket.enabled, listen: address(proxy.websocket.listen) },
      subscribeTimeoutMs: proxy.subscribe_timeout_ms,
    },
    upstream,
    backups: raw.backups.map((b, i) => toUpstream(b, `backups[${i}]`, upstream)),
    http: httpSection,
    vardiff: {
      enabled: vardiff.enabled,
      targetSeconds: vardiff.target_seconds,
      minDiff: vardiff.min_diff,
      maxDiff: vardiff.max_diff,
      adjustEveryMs: vardiff.adjust_every_ms,
      startDiff: vardiff.start_diff,
    },
    ratelimit: {
      enabled: ratelimit.enabled,
      maxConnectionsPerIp: ratelimit.max_connections_per_ip,
      maxConnectionsPerMinute: ratelimit.max_connections_per_minute,
      banDurationSeconds: ratelimit.ban_duration_seconds,
      cleanupIntervalSeconds: ratelimit.cleanup_interval_seconds,
      trusted: [...new Set(ratelimit.trusted)],
    },
    limits: {
      authFailBackoffMs: limits.auth_fail_backoff_ms,
      rejectBanRatio: limits.reject_ban_ratio,
      rejectBanMinShares: limits.reject_ban_min_shares,
      rejectBanSeconds: limits.reject_ban_seconds,
    },
    compat: { strictBroadcast: compat.strict_broadcast, localAuthorize: compat.local_authorize },
    log: { level: log.level },
    warnings,
  };
}

function toUpstream(raw: RawUpstream, key: string, inheritFrom: UpstreamConfig | null): UpstreamConfig {
  if (raw.backoff_max_ms < raw.backoff_min_ms) {
    invalid(
      `${key}.backoff_max_ms`,
      `an integer >= ${key}.backoff_min_ms (${raw.backoff_min_ms})`,
      raw.backoff_max_ms,
    );
  }
  return {
    host: raw.host,
    port: raw.port,
    user: raw.user ?? inheritFrom?.user ?? DEFAULT_UPSTREAM_USER,
    pass: raw.pass ?? inheritFrom?.pass ?? DEFAULT_UPSTREAM_PASS,
    tls: raw.tls,
    insecureSkipVerify: raw.insecure_skip_verify,
    backoffMinMs: raw.backoff_min_ms,
    backoffMaxMs: raw.backoff_max_ms,
    mode: raw.mode,
    idleGraceMs: raw.idle_grace_ms,
    primaryProbeMs: raw.primary_probe_ms,
    notifyTimeoutMs: raw.notify_timeout_ms,
    socksProxy: socksProxyOf(raw.socks_proxy, `${key}.socks_proxy`),
    suggestDifficulty: raw.suggest_difficulty ?? inheritFrom?.suggestDifficulty ?? DEFAULT_SUGGEST_DIFFICULTY,
  };
}

/** The schema already checked the syntax; this only splits it. */
function address(text: string): HostPort {
  const parsed = parseHostPort(text);
  if (parsed === null) throw new Error(`unreachable: listen address ${text} passed the schema`);
  return parsed;
}

function requireText(key: string, value: string, expected: string): void {
  if (value.trim() === '') invalid(key, expected, value);
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError(
    'CONFIG_INVALID',
    key,
    `config: ${key}: expected ${expected}, got ${describeValue(got)}`,
  );
}
