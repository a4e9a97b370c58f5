import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { LineConnection } from '../runtime/line-connection.js';
import { listenNamed } from '../runtime/system-error.js';
import type { ProxyConfig } from './config/index.js';
import { formatHostPort } from './config/host-port.js';
import { judgeHttpExposure } from './config/http-exposure.js';
import { ProxyCore, healthOf } from './core/index.js';
import type { MinerView, SessionTap, UpstreamEndpoint } from './core/index.js';
import { ProxyEventFeed, createEventsRoute } from './events/index.js';
import { createHttpApi } from './http/http-server.js';
import type { Health } from './http/http-server.js';
import { createPublicPoolApi } from './http/public-pool-api.js';
import { buildStatus } from './http/status-view.js';
import { AbuseLimits, limitSettingsFromConfig } from './limits/index.js';
import type { Listening } from './listeners/tcp-listener.js';
import { listenTcp } from './listeners/tcp-listener.js';
import type { TlsFiles, TlsListening } from './listeners/tls-listener.js';
import { listenTls } from './listeners/tls-listener.js';
import type { WsListening } from './listeners/ws-listener.js';
import { ProxyMetrics, metricsRoute } from './metrics/index.js';
import { optionsFromConfig } from './options-from-config.js';
import type { ReloadReport, ReloadTarget } from './reload/reload-proxy.js';
import { reloadProxy } from './reload/reload-proxy.js';
import { dialEndpoint, poolTransport } from './upstream/dial.js';

export interface RunningProxy {
  /** The proxy core: read it through snapshot() and its events. */
  core: ProxyCore;
  /** Miners' listener: TCP, or TLS when proxy.tls.enabled. */
  stratum: Listening;
  /** Stratum over WebSocket, when proxy.websocket.enabled (wss when TLS is on). */
  websocket: WsListening | undefined;
  http: Listening | undefined;
  /** public-pool's client API for NerdMiner screens, when http.public_pool_api is set. */
  publicPoolApi: Listening | undefined;
  /** stratum+tcp://HOST:PORT (stratum+ssl:// with TLS) miners connect to. */
  url: string;
  /** ws://HOST:PORT (wss://) for WebSocket miners. */
  websocketUrl: string | undefined;
  httpUrl: string | undefined;
  limits: AbuseLimits;
  metrics: ProxyMetrics;
  events: ProxyEventFeed;
  /** The configuration in force (a reload replaces it). */
  readonly config: ProxyConfig;
  /** Applies a new configuration without dropping miners (what SIGHUP does). */
  reload(next: ProxyConfig): ReloadReport;
  /** The logger it was started with (a reload's refusal is logged there). */
  readonly logger: Logger;
  /** What /healthz answers for this process. */
  health(): Health;
  stop(): Promise<void>;
}

export const PROXY_VERSION = '0.1.0';

export interface RunProxyDeps {
  clock?: Clock;
  random?: () => number;
  /** Opens the byte stream to a pool (default: TCP or TLS per the endpoint). */
  dial?: (endpoint: UpstreamEndpoint) => Promise<Duplex>;
  /** Called for each new miner; a tap it returns sees every line in and out. */
  tapSession?: (miner: MinerView) => SessionTap | undefined;
  /** Node process metrics in /metrics (default true; tests turn them off). */
  processMetrics?: boolean;
  /**
   * This process is worker `index` (1-based) of `count` behind one port (`karoo proxy --workers
   * N`): its connection ids are index, index + count, ...; it takes its share of max_clients; the
   * primary serves HTTP, so this process opens no HTTP listener.
   */
  worker?: { index: number; count: number };
}

/** The core's options from a config: for a cluster worker, with its share of max_clients. */
function coreOptionsFor(config: ProxyConfig, worker: RunProxyDeps['worker']) {
  const options = optionsFromConfig(config, PROXY_VERSION);
  if (!worker || worker.count <= 1) return options;
  return { ...options, maxClients: Math.ceil(options.maxClients / worker.count) };
}

/** Starts the proxy core, its limits, metrics and listeners from a validated config. */
export async function runProxy(
  config: ProxyConfig,
  logger: Logger,
  deps: RunProxyDeps = {},
): Promise<RunningProxy> {
  // Throws only with http.require_token; otherwise an exposed API is a warning (in config.warnings
  // when the config came from parseConfig).
  const exposure = judgeHttpExposure(config.http);
  for (const w of config.warnings) logger.warn(w);
  if (exposure !== null && !config.warnings.includes(exposure)) logger.warn(exposure);
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const limits = new AbuseLimits(limitSettingsFromConfig(config), clock, logger);
  const dial = deps.dial ?? ((e: UpstreamEndpoint) => dialEndpoint(e));
  const worker = deps.worker;
  const core = new ProxyCore(coreOptionsFor(config, worker), {
    dial: async (endpoint) => poolTransport(await dial(endpoint)),
    logger,
    clock,
    authorize: limits.authorize,
    ...(deps.random ? { random: deps.random } : {}),
    ...(deps.tapSession ? { tapSession: deps.tapSession } : {}),
    ...(worker ? { sessionIds: { first: worker.index, step: worker.count } } : {}),
  });
  limits.attach(core);
  const health = (): Health => healthOf(core.snapshot({ miners: false }));
  const metrics = new ProxyMetrics(core, clock, {
    version: PROXY_VERSION,
    limits,
    ...(deps.processMetrics === undefined ? {} : { processMetrics: deps.processMetrics }),
  });
  const events = new ProxyEventFeed(core, clock);
  const eventsRoute = createEventsRoute({ feed: events, clock, version: PROXY_VERSION, logger });
  const opened: Listening[] = [];
  const tlsListeners: { reloadCertificate(files: TlsFiles): void }[] = [];

  const shutdown = async (): Promise<void> => {
    eventsRoute.closeAll();
    events.close();
    await core.stop();
    limits.close();
    metrics.close();
    await Promise.all(opened.map((l) => l.close()));
  };

  core.start();
  try {
    // Each miner's stream becomes a line transport bounded by the options in force when it connects.
    const sink = limits.gate({
      accept: (stream: Duplex, remote?: string) =>
        core.accept(
          new LineConnection(
            stream,
            {
              lineCap: core.options.minerLineCap,
              maxQueuedBytes: core.options.minerSendQueueBytes,
              closeOnOversize: false,
            },
            remote,
          ),
        ),
    });
    const tlsFiles = config.proxy.tls.enabled ? config.proxy.tls : undefined;
    const { host, port } = config.proxy.listen;
    let stratum: Listening;
    // A listener that cannot open (a taken port, an address not on this machine) is a ListenError
    // naming the config key: one line and exit status 2 from karoo proxy.
    const stratumAt = formatHostPort(config.proxy.listen);
    if (tlsFiles) {
      const tls: TlsListening = await listenNamed('proxy.listen', stratumAt, () =>
        listenTls(sink, host, port, tlsFiles, {
          onHandshakeError: (err, remote) =>
            logger.debug({ remote, err: err.message }, 'TLS handshake failed'),
        }),
      );
      tlsListeners.push(tls);
      stratum = tls;
    } else stratum = await listenNamed('proxy.listen', stratumAt, () => listenTcp(sink, host, port));
    opened.push(stratum);

    let websocket: WsListening | undefined;
    if (config.proxy.websocket.enabled) {
      // Loaded only when asked for: a process without a WebSocket listener never loads the ws library.
      const { listenWebSocket } = await import('./listeners/ws-listener.js');
      const ws = config.proxy.websocket.listen;
      websocket = await listenNamed('proxy.websocket.listen', formatHostPort(ws), () =>
        listenWebSocket(sink, ws.host, ws.port, {
          lineCap: config.proxy.readBuf,
          ...(tlsFiles ? { tls: tlsFiles } : {}),
        }),
      );
      if (tlsFiles) tlsListeners.push(websocket);
      opened.push(websocket);
    }

    const state: ReloadTarget = {
      core,
      limits,
      logger,
      config,
      coreOptions: (next) => coreOptionsFor(next, worker),
      httpListen: config.http.listen,
      reloadCertificates: (files) => {
        for (const l of tlsListeners) l.reloadCertificate(files);
      },
    };
    const url = `${tlsFiles ? 'stratum+ssl' : 'stratum+tcp'}://${hostForUrl(stratum.host)}:${stratum.port}`;
    const websocketUrl = websocket
      ? `${websocket.secure ? 'wss' : 'ws'}://${hostForUrl(websocket.host)}:${websocket.port}`
      : undefined;

    let http: Listening | undefined;
    let httpUrl: string | undefined;
    let publicPoolApiUrl: string | undefined;
    if (config.http.listen && !worker) {
      const source = {
        status: () => ({
          ...buildStatus(core.snapshot()),
          proxy: proxySection(PROXY_VERSION, startedAt, clock.now(), eventsRoute.clientCount, {
            stratum: url,
            websocket: websocketUrl ?? null,
            http: httpUrl ?? null,
            public_pool_api: publicPoolApiUrl ?? null,
          }),
          limits: limits.snapshot(),
        }),
        health,
      };
      const api = createHttpApi(source, logger, {
        token: () => state.config.http.token,
        routes: {
          '/metrics': metricsRoute(metrics, logger),
          '/events': (req, res) => eventsRoute.handle(req, res),
        },
      });
      const at = config.http.listen;
      http = await listenNamed('http.listen', formatHostPort(at), () => api.listen(at.host, at.port));
      opened.push(http);
      httpUrl = `http://${hostForUrl(http.host)}:${http.port}`;
    }
    let publicPoolApi: Listening | undefined;
    if (config.http.publicPoolApi && !worker) {
      const at = config.http.publicPoolApi;
      const api = createPublicPoolApi(() => buildStatus(core.snapshot()), logger);
      publicPoolApi = await listenNamed('http.public_pool_api', formatHostPort(at), () =>
        api.listen(at.host, at.port),
      );
      opened.push(publicPoolApi);
    }
    if (publicPoolApi)
      publicPoolApiUrl = `http://${hostForUrl(publicPoolApi.host)}:${publicPoolApi.port}/api/client/`;
    logger.info({ url, websocketUrl, httpUrl, publicPoolApiUrl }, 'karoo proxy listening');
    return {
      core,
      stratum,
      websocket,
      http,
      publicPoolApi,
      url,
      websocketUrl,
      httpUrl,
      limits,
      metrics,
      events,
      get config() {
        return state.config;
      },
      reload: (next) => reloadProxy(state, next),
      logger,
      health,
      stop: shutdown,
    };
  } catch (err) {
    await shutdown();
    throw err;
  }
}

/** The `proxy` section of /status: this process (the primary's, with --workers). */
export function proxySection(
  version: string,
  startedAt: number,
  now: number,
  eventReaders: number,
  listeners: Record<string, string | null>,
) {
  return {
    version,
    started_at: startedAt,
    uptime_seconds: Math.round((now - startedAt) / 1000),
    listeners,
    event_readers: eventReaders,
  };
}

export function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
