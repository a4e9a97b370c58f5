import type { Logger } from 'pino';
import type { ProxyConfig, UpstreamConfig } from '../config/index.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { checkHttpExposure } from '../http/http-auth.js';
import type { KarooProxy } from '../karoo-proxy.js';
import type { AbuseLimits } from '../limits/index.js';
import { limitSettingsFromConfig } from '../limits/index.js';
import { optionsFromConfig } from '../options-from-config.js';
import type { UpstreamEndpoint } from '../upstream/upstream-endpoint.js';
import { Vardiff } from '../vardiff/index.js';
import type { ConfigChange } from './config-diff.js';
import { diffConfigs } from './config-diff.js';

/** What a reload needs of the running proxy. */
export interface ReloadTarget {
  readonly proxy: KarooProxy;
  readonly limits: AbuseLimits;
  readonly logger: Logger;
  /** The configuration in force; replaced by a successful reload. */
  config: ProxyConfig;
  version: string;
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
 * Applies a new configuration to a running proxy without dropping miners: the live keys at once
 * (limits, vardiff of every connected miner, timeouts, max clients, log level, HTTP token, TLS
 * certificate), connection buffers for new miners, pool endpoints for the next dial; restart-only
 * keys are reported and logged as needing a restart.
 */
export function reloadProxy(target: ReloadTarget, next: ProxyConfig): ReloadReport {
  const log = target.logger;
  try {
    checkHttpExposure({ http: { listen: target.httpListen, token: next.http.token } });
  } catch (err) {
    return refuse(log, (err as Error).message);
  }
  const changes = diffConfigs(target.config, next);
  if (next.proxy.tls.enabled && target.config.proxy.tls.enabled) {
    try {
      target.reloadCertificates(next.proxy.tls);
    } catch (err) {
      return refuse(log, (err as Error).message, changes);
    }
  }
  const { proxy } = target;
  const now = proxy.clock.now();
  const fresh = optionsFromConfig(next, target.version);
  proxy.options = {
    ...proxy.options,
    maxClients: fresh.maxClients,
    clientIdleMs: fresh.clientIdleMs,
    subscribeTimeoutMs: fresh.subscribeTimeoutMs,
    minerLineCap: fresh.minerLineCap,
    minerSendQueueBytes: fresh.minerSendQueueBytes,
    strictBroadcast: fresh.strictBroadcast,
    vardiff: fresh.vardiff,
  };
  retuneVardiff(proxy, fresh.vardiff, now);
  replaceEndpoints(proxy, fresh.endpoints, next.backups.length === target.config.backups.length);
  target.limits.reconfigure(limitSettingsFromConfig(next));
  // Only when it changed: a library caller's own logger level is not the file's business.
  if (next.log.level !== target.config.log.level) log.level = next.log.level;
  const needsRestart = changes.filter((c) => c.effect === 'restart').map((c) => c.key);
  target.config = inForce(next, target.config);
  for (const c of changes) {
    if (c.effect === 'restart')
      log.warn({ key: c.key, from: c.from, to: c.to }, 'config change needs a restart');
    else log.info({ key: c.key, from: c.from, to: c.to, effect: c.effect }, 'config change applied');
  }
  log.info({ changed: changes.length, needsRestart }, 'config reloaded');
  return { ok: true, changes, needsRestart };
}

/** Loads `path` and applies it; a bad file leaves everything as it was. */
export function reloadFromFile(target: ReloadTarget, path: string): ReloadReport {
  let next: ProxyConfig;
  try {
    next = loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) return refuse(target.logger, err.message);
    throw err;
  }
  for (const w of next.warnings) target.logger.warn(w);
  return reloadProxy(target, next);
}

function refuse(log: Logger, error: string, changes: ConfigChange[] = []): ReloadReport {
  log.error({ err: error }, 'config reload refused; the running configuration stays');
  return { ok: false, error, changes, needsRestart: [] };
}

/** Every connected miner's vardiff takes the new bounds and target; a clamp is a vardiff change. */
function retuneVardiff(proxy: KarooProxy, settings: KarooProxy['options']['vardiff'], now: number): void {
  for (const session of proxy.sessions) {
    const vardiff = proxy.vardiffOf(session);
    if (!(vardiff instanceof Vardiff)) continue;
    const change = vardiff.reconfigure(
      {
        targetSecondsPerShare: settings.targetSecondsPerShare,
        minDiff: settings.minDiff,
        maxDiff: settings.maxDiff,
        retargetEveryMs: settings.retargetEveryMs,
      },
      now,
    );
    if (change) {
      session.log.info(change, 'vardiff reconfigured');
      proxy.emit('vardiff', session, change);
    }
  }
}

/**
 * The upstream manager dials from the endpoint list it was given; its entries are replaced in
 * place, so the session open now keeps its endpoint and the next dial uses the new one. When the
 * number of backups changed, only the primary is replaced (the list itself needs a restart).
 */
function replaceEndpoints(proxy: KarooProxy, endpoints: UpstreamEndpoint[], withBackups: boolean): void {
  const list = proxy.upstream.endpoints as UpstreamEndpoint[];
  endpoints.slice(0, withBackups ? list.length : 1).forEach((e, i) => {
    const old = list[i];
    if (old && !sameEndpoint(old, e)) list[i] = { ...e };
  });
}

function sameEndpoint(a: UpstreamEndpoint, b: UpstreamEndpoint): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.user === b.user &&
    a.pass === b.pass &&
    a.tls === b.tls &&
    a.insecureSkipVerify === b.insecureSkipVerify
  );
}

/**
 * The configuration now in force: the new one, except what only a restart changes, which keeps
 * its running value (so /status tells the truth and the next reload reports it again).
 */
function inForce(next: ProxyConfig, running: ProxyConfig): ProxyConfig {
  const sameBackups = next.backups.length === running.backups.length;
  return {
    ...next,
    proxy: {
      ...next.proxy,
      listen: running.proxy.listen,
      tls: { ...next.proxy.tls, enabled: running.proxy.tls.enabled },
      websocket: running.proxy.websocket,
    },
    upstream: { ...next.upstream, ...restartOnly(running.upstream) },
    backups: sameBackups
      ? next.backups.map((b, i) => ({ ...b, ...restartOnly(running.backups[i] ?? b) }))
      : running.backups,
    http: { ...next.http, listen: running.http.listen },
  };
}

function restartOnly(
  u: UpstreamConfig,
): Pick<UpstreamConfig, 'backoffMinMs' | 'backoffMaxMs' | 'mode' | 'idleGraceMs'> {
  return {
    backoffMinMs: u.backoffMinMs,
    backoffMaxMs: u.backoffMaxMs,
    mode: u.mode,
    idleGraceMs: u.idleGraceMs,
  };
}
