import type { ProxyConfig } from '../config/index.js';
import type { IpLimitSettings } from './ip-limiter.js';

/** Everything the abuse limits run on; all of it can change on reload. */
export interface LimitSettings {
  ip: IpLimitSettings;
  /** How often idle per-IP records and expired bans are forgotten. */
  cleanupIntervalMs: number;
  /** First authorize backoff; doubles per failure; 0 = off. */
  authFailBackoffMs: number;
  rejectBan: {
    /** 0 = never. */
    ratio: number;
    minShares: number;
    /** 0 = disconnect only, no ban. */
    banMs: number;
  };
}

export function limitSettingsFromConfig(config: Pick<ProxyConfig, 'ratelimit' | 'limits'>): LimitSettings {
  const { ratelimit, limits } = config;
  return {
    ip: {
      enabled: ratelimit.enabled,
      maxConnectionsPerIp: ratelimit.maxConnectionsPerIp,
      maxConnectionsPerMinute: ratelimit.maxConnectionsPerMinute,
      banDurationMs: ratelimit.banDurationSeconds * 1000,
      trusted: ratelimit.trusted,
    },
    cleanupIntervalMs: ratelimit.cleanupIntervalSeconds * 1000,
    authFailBackoffMs: limits.authFailBackoffMs,
    rejectBan: {
      ratio: limits.rejectBanRatio,
      minShares: limits.rejectBanMinShares,
      banMs: limits.rejectBanSeconds * 1000,
    },
  };
}
