import type { Logger } from 'pino';
import type { ProxyConfig } from './config/index.js';
import { createHttpApi } from './http/http-server.js';
import { KarooProxy } from './karoo-proxy.js';
import type { KarooProxyDeps } from './karoo-proxy.js';
import type { Listening } from './listeners/tcp-listener.js';
import { listenTcp } from './listeners/tcp-listener.js';
import { optionsFromConfig } from './options-from-config.js';

export interface RunningProxy {
  proxy: KarooProxy;
  stratum: Listening;
  http: Listening | undefined;
  /** stratum+tcp://HOST:PORT miners connect to. */
  url: string;
  httpUrl: string | undefined;
  stop(): Promise<void>;
}

export const PROXY_VERSION = '0.1.0';

/** Starts the proxy core and its listeners from a validated config. */
export async function runProxy(
  config: ProxyConfig,
  logger: Logger,
  deps: Omit<KarooProxyDeps, 'logger'> = {},
): Promise<RunningProxy> {
  for (const w of config.warnings) logger.warn(w);
  const proxy = new KarooProxy(optionsFromConfig(config, PROXY_VERSION), { ...deps, logger });
  proxy.start();
  const stratum = await listenTcp(proxy, config.proxy.listen.host, config.proxy.listen.port);
  let http: Listening | undefined;
  if (config.http.listen) {
    http = await createHttpApi(proxy, logger).listen(config.http.listen.host, config.http.listen.port);
  }
  const url = `stratum+tcp://${hostForUrl(stratum.host)}:${stratum.port}`;
  const httpUrl = http ? `http://${hostForUrl(http.host)}:${http.port}` : undefined;
  logger.info({ url, httpUrl }, 'karoo proxy listening');
  return {
    proxy,
    stratum,
    http,
    url,
    httpUrl,
    async stop() {
      await proxy.stop();
      await Promise.all([stratum.close(), http?.close()]);
    },
  };
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
