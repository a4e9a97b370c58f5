import type { Logger } from 'pino';
import type { ProxyConfig } from '../config/index.js';
import { SECRET_KEY } from '../config/errors.js';
import { judgeHttpExposure } from '../config/http-exposure.js';
import type { CoreOptions, ProxyCore } from '../core/index.js';
import type { AbuseLimits } from '../limits/index.js';
import { limitSettingsFromConfig } from '../limits/index.js';
import type { ConfigChange } from './config-diff.js';
import { diffConfigs } from './config-diff.js';

/** What a reload needs of the running proxy. */
export interface ReloadTarget {
  readonly core: ProxyCore;
  readonly limits: AbuseLimits;
  readonly logger: Logger;
  /** The configuration in force; replaced by a successful reload. */
  config: ProxyConfig;
  /** The core's options for a config (optionsFromConfig, with a cluster worker's share of max_clients). */
  coreOptions(config: ProxyConfig): CoreOptions;
  /** Re-reads the TLS certificate and key (listeners serving TLS); throws when they are unusable. */
  reloadCertificates(files: { certFile: string; keyFile: string }): void;
  /** The HTTP API's address, when it listens (a token cannot be dropped while it is exposed). */
  readonly httpListen: { host: string; port: number } | null;
}

export interface ReloadReport {
  ok: boolean;
  /** Why nothing was applied (the old configuration stays). */
  error?: string;
  /** Every changed key and its effect. */
  changes: ConfigChange[];
  /** Changed keys left as they were until a restart. */
  needsRestart: string[];
}

/**
 * Applies a new configuration to a running proxy without dropping miners: the core takes its new
 * options (limits, vardiff of every connected miner, timeouts, max clients, upstream backoff, mode
 * and grace at once; connection buffers for new miners; the pool list from the next dial), then
 * the abuse limits, log level, HTTP token and TLS certificate; restart-only keys (listeners) are
 * reported and logged as needing a restart.
 */
export function reloadProxy(target: ReloadTarget, next: ProxyConfig): ReloadReport {
  const log = target.logger;
  try {
    // The running listener counts (http.listen needs a restart); warned about unless the file's own
    // warnings already said so.
    const { token, requireToken } = next.http;
    const exposure = judgeHttpExposure({ listen: target.httpListen, token, requireToken });
    if (exposure !== null && !next.warnings.includes(exposure)) log.warn(exposure);
  } catch (err) {
    return refuseReload(log, (err as Error).message);
  }
  const changes = diffConfigs(target.config, next);
  if (next.proxy.tls.enabled && target.config.proxy.tls.enabled) {
    try {
      target.reloadCertificates(next.proxy.tls);
    } catch (err) {
      return refuseReload(log, (err as Error).message, changes);
    }
  }
  target.core.reconfigure(target.coreOptions(next));
  target.limits.reconfigure(limitSettingsFromConfig(next));
  // Only when it changed: a library caller's own logger level is not the file's business.
  if (next.log.level !== target.config.log.level) log.level = next.log.level;
  const needsRestart = changes.filter((c) => c.effect === 'restart').map((c) => c.key);
  target.config = inForce(next, target.config);
  for (const c of changes) {
    const logged = { key: c.key, from: shown(c.key, c.from), to: shown(c.key, c.to) };
    if (c.effect === 'restart') log.warn(logged, 'config change needs a restart');
    else log.info({ ...logged, effect: c.effect }, 'config change applied');
  }
  log.info({ changed: changes.length, needsRestart }, 'config reloaded');
  return { ok: true, changes, needsRestart };
}

/** A changed value as logged: a password's or token's never is (only that it is set or empty). */
export function shown(key: string, value: unknown): unknown {
  if (!SECRET_KEY.test(key) || value === undefined || value === null || value === '') return value;
  return REDACTED;
}

export const REDACTED = '<redacted>';

/** A reload not applied: logged, and the report that says why. */
export function refuseReload(log: Logger, error: string, changes: ConfigChange[] = []): ReloadReport {
  log.error({ err: error }, 'config reload refused; the running configuration stays');
  return { ok: false, error, changes, needsRestart: [] };
}

/**
 * The configuration now in force: the new one, except what only a restart changes, which keeps
 * its running value (so /status tells the truth and the next reload reports it again).
 */
function inForce(next: ProxyConfig, running: ProxyConfig): ProxyConfig {
  return {
    ...next,
    proxy: {
      ...next.proxy,
      listen: running.proxy.listen,
      tls: { ...next.proxy.tls, enabled: running.proxy.tls.enabled },
      websocket: running.proxy.websocket,
    },
    http: { ...next.http, listen: running.http.listen },
  };
}
