import type { ProxyConfig, SocksProxyConfig, UpstreamConfig } from './config/types.js';
import type { CoreOptions, UpstreamEndpoint } from './core/index.js';
import { defaultCoreOptions } from './core/index.js';

function endpointOf(u: UpstreamConfig): UpstreamEndpoint {
  return {
    host: u.host,
    port: u.port,
    user: u.user,
    pass: u.pass,
    tls: u.tls,
    insecureSkipVerify: u.insecureSkipVerify,
    suggest: u.suggestDifficulty,
    ...(u.socksProxy ? { socks: socksOf(u.socksProxy) } : {}),
  };
}

function socksOf(s: SocksProxyConfig): NonNullable<UpstreamEndpoint['socks']> {
  return {
    host: s.host,
    port: s.port,
    ...(s.username === '' ? {} : { username: s.username, password: s.password }),
  };
}

/** The proxy core's options from a validated config file. */
export function optionsFromConfig(config: ProxyConfig, version: string): CoreOptions {
  const base = defaultCoreOptions([endpointOf(config.upstream), ...config.backups.map(endpointOf)]);
  return {
    ...base,
    upstreamMode: config.upstream.mode,
    idleGraceMs: config.upstream.idleGraceMs,
    primaryProbeMs: config.upstream.primaryProbeMs,
    notifyTimeoutMs: config.upstream.notifyTimeoutMs,
    backoffMinMs: config.upstream.backoffMinMs,
    backoffMaxMs: config.upstream.backoffMaxMs,
    maxClients: config.proxy.maxClients,
    clientIdleMs: config.proxy.clientIdleMs > 0 ? config.proxy.clientIdleMs : Number.MAX_SAFE_INTEGER,
    subscribeTimeoutMs: config.proxy.subscribeTimeoutMs,
    minerLineCap: config.proxy.readBuf,
    minerSendQueueBytes: config.proxy.writeBuf,
    strictBroadcast: config.compat.strictBroadcast,
    localAuthorize: config.compat.localAuthorize,
    upstreamSuggest: config.upstream.suggestDifficulty,
    vardiff: {
      enabled: config.vardiff.enabled,
      targetSecondsPerShare: config.vardiff.targetSeconds,
      minDiff: config.vardiff.minDiff,
      maxDiff: config.vardiff.maxDiff,
      retargetEveryMs: config.vardiff.adjustEveryMs,
      ...(config.vardiff.startDiff === null ? {} : { startDiff: config.vardiff.startDiff }),
    },
    userAgent: `karoo/${version}`,
  };
}
