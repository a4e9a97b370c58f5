import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { Logger } from 'pino';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { listenNamed } from '../../runtime/system-error.js';
import { UsageError } from '../../runtime/usage-error.js';
import { ConfigError, formatHostPort, judgeHttpExposure, loadConfig } from '../config/index.js';
import type { ProxyConfig } from '../config/index.js';
import { createEventsRoute } from '../events/index.js';
import { createHttpApi } from '../http/http-server.js';
import { createPublicPoolApi } from '../http/public-pool-api.js';
import type { Listening } from '../listeners/tcp-listener.js';
import { metricsRoute, processRegistry } from '../metrics/index.js';
import type { ReloadReport } from '../reload/reload-proxy.js';
import { PROXY_VERSION, hostForUrl, proxySection } from '../run-proxy.js';
import { ClusterEventFeed } from './cluster-event-feed.js';
import { isFromWorker } from './cluster-messages.js';
import type { FromWorker, ToWorker } from './cluster-messages.js';
import { WORKER_SPEC_ENV } from './cluster-worker.js';
import type { WorkerSpec } from './cluster-worker.js';
import { mergeHealth, mergeLimits, mergeStatuses } from './merge-status.js';
import { WorkerRequests } from './worker-requests.js';
import type { WorkerLine } from './worker-requests.js';

/** Most worker processes `--workers` takes. */
export const MAX_WORKERS = 64;
/** A worker that died is forked again after this, doubling per quick death up to RESTART_MAX_MS. */
export const RESTART_MIN_MS = 1_000;
export const RESTART_MAX_MS = 30_000;
/** A worker up this long counts as healthy: its next death restarts after RESTART_MIN_MS again. */
const HEALTHY_AFTER_MS = 60_000;
/**
 * V8's young generation per worker, MB (Node 20's default ceiling is 16). A worker holds thousands
 * of idle sessions, so a young generation grown to its ceiling is most of what it adds per session
 * (bench: RSS per session 11.5 KB at the default, 7 KB at 4 MB, 30,000 sessions over 6 workers),
 * and share throughput stays within the noise at 4 (it drops 10-20% at 1).
 * NODE_OPTIONS=--max-semi-space-size=N, or the same flag to node, overrides it.
 */
export const WORKER_SEMI_SPACE_MB = 4;

/** Node flags for the workers: the primary's own, and the young generation's size unless set. */
export function workerExecArgv(execArgv: string[], nodeOptions: string | undefined): string[] {
  const set = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) =>
    a.replace(/_/g, '-').startsWith('--max-semi-space-size'),
  );
  return set ? execArgv : [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`];
}

/** How long stop waits for a worker to close its sessions before it is killed. */
const STOP_GRACE_MS = 10_000;

export interface ClusterOptions {
  /** The config the caller loaded; each worker is handed it (and every reload's) over IPC. */
  config: ProxyConfig;
  workers: number;
  /** `--record DIR`: each worker writes session-w<k>-... files there. */
  record: string | null;
  logger: Logger;
  clock?: Clock;
}

export interface RunningCluster {
  readonly workers: number;
  url: string;
  websocketUrl: string | undefined;
  httpUrl: string | undefined;
  publicPoolApiUrl: string | undefined;
  /** Process ids of the live workers, by worker number (undefined while one restarts). */
  pids(): (number | undefined)[];
  /** The merged /status body. */
  status(): Promise<Record<string, unknown>>;
  /** Checks the file, then has every worker apply it (what SIGHUP does). */
  reloadFile(path: string): Promise<ReloadReport>;
  stop(): Promise<void>;
}

interface Slot extends WorkerLine {
  worker: Worker | undefined;
  upSince: number | undefined;
  restarts: number;
  /** Deaths in a row within HEALTHY_AFTER_MS of starting (the backoff exponent). */
  quickDeaths: number;
  restartTimer: TimerHandle | undefined;
  onListening: ((m: Extract<FromWorker, { karoo: 'listening' }>) => void) | undefined;
  onFailed: ((message: string, usage: boolean) => void) | undefined;
}

/**
 * `karoo proxy --workers N`: N worker processes behind the one miners' port (node:cluster hands
 * each new connection to the next worker in turn), each with its own upstream session and
 * extranonce space. This primary serves HTTP: /status, /healthz, /metrics and /events merged over
 * the workers (asked over IPC), and restarts a worker that dies.
 */
export async function runProxyCluster(o: ClusterOptions): Promise<RunningCluster> {
  if (!cluster.isPrimary) throw new Error('runProxyCluster runs in the primary process');
  const { logger, workers: count } = o;
  // The primary hands every new connection to a worker: a burst of them (a rack reconnecting after
  // a pool outage) grew its young generation to Node's 32 MB ceiling, kept for a minute or more.
  // V8 reads this flag as it decides to grow the young generation, so it holds even set now: the
  // primary's stays at 1 MB. Workers, which do the work, keep theirs (WORKER_SEMI_SPACE_MB).
  v8.setFlagsFromString('--optimize-for-size');
  const clock = o.clock ?? systemClock;
  const startedAt = clock.now();
  let config = o.config;
  const exposure = judgeHttpExposure(config.http);
  for (const w of config.warnings) logger.warn(w);
  if (exposure !== null && !config.warnings.includes(exposure)) logger.warn(exposure);

  const requests = new WorkerRequests(clock);
  const feed = new ClusterEventFeed((on) => broadcast({ karoo: 'events', on }));
  const eventsRoute = createEventsRoute({ feed, clock, version: PROXY_VERSION, logger });
  const own = new Registry();
  const restartsTotal = new Counter({
    name: 'karoo_proxy_worker_restarts_total',
    help: 'Worker processes forked again after one died (karoo proxy --workers).',
    registers: [own],
  });
  new Gauge({
    name: 'karoo_proxy_workers',
    help: 'Worker processes up now, of the --workers asked for.',
    labelNames: ['state'],
    registers: [own],
    collect() {
      const up = slots.filter((s) => s.upSince !== undefined).length;
      this.set({ state: 'up' }, up);
      this.set({ state: 'down' }, count - up);
    },
  });

  let stopping = false;
  const slots: Slot[] = Array.from({ length: count }, (_, i) => {
    const slot: Slot = {
      index: i + 1,
      worker: undefined,
      upSince: undefined,
      restarts: 0,
      quickDeaths: 0,
      restartTimer: undefined,
      onListening: undefined,
      onFailed: undefined,
      send(message: ToWorker): boolean {
        const w = slot.worker;
        // A worker still starting takes nothing but stop (it answers once it is listening).
        if (!w?.isConnected() || (message.karoo !== 'stop' && slot.upSince === undefined)) return false;
        try {
          return w.send(message);
        } catch {
          return false;
        }
      },
    };
    return slot;
  });
  function broadcast(message: ToWorker): void {
    for (const s of slots) if (s.upSince !== undefined) s.send(message);
  }

  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./worker-main.js', import.meta.url)),
    args: [],
    execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS),
  });

  const fork = (slot: Slot): void => {
    const spec: WorkerSpec = { index: slot.index, count, record: o.record };
    const worker = cluster.fork({ [WORKER_SPEC_ENV]: JSON.stringify(spec) });
    slot.worker = worker;
    worker.on('message', (message: unknown) => {
      if (!isFromWorker(message)) return;
      switch (message.karoo) {
        case 'hello':
          // The config in force (a worker forked again after a reload starts with the reloaded one).
          try {
            worker.send({ karoo: 'config', config } satisfies ToWorker);
          } catch {
            // Gone already: its exit is handled below.
          }
          break;
        case 'listening':
          slot.upSince = clock.now();
          if (feed.wanted) slot.send({ karoo: 'events', on: true });
          slot.onListening?.(message);
          if (!slot.onListening)
            logger.info({ worker: slot.index, pid: worker.process.pid }, 'worker up again');
          break;
        case 'failed':
          if (slot.onFailed) slot.onFailed(message.message, message.usage);
          else logger.error({ worker: slot.index, err: message.message }, 'worker could not start');
          break;
        case 'answer':
          requests.answer(message.id, message.value);
          break;
        case 'event':
          feed.deliver(message.event);
          break;
      }
    });
    // A message to a worker that is exiting fails (EPIPE) after send returned: nothing is lost that
    // matters (its open questions are settled when it exits), so it is logged, never thrown.
    worker.on('error', (err) =>
      logger.debug({ worker: slot.index, err: err.message }, 'worker channel error'),
    );
    worker.on('exit', (code, signal) => {
      if (slot.worker !== worker) return;
      const upFor = slot.upSince === undefined ? 0 : clock.now() - slot.upSince;
      slot.worker = undefined;
      slot.upSince = undefined;
      requests.forget(slot);
      if (slot.onFailed) {
        // Still starting: the start fails (a worker that said why has said so already).
        slot.onFailed(`worker ${slot.index} exited (${signal ?? `code ${code}`}) before listening`, false);
        return;
      }
      if (stopping) return;
      slot.quickDeaths = upFor >= HEALTHY_AFTER_MS ? 0 : slot.quickDeaths + 1;
      const delay = Math.min(RESTART_MAX_MS, RESTART_MIN_MS * 2 ** Math.max(0, slot.quickDeaths - 1));
      logger.error(
        { worker: slot.index, code, signal, restartInMs: delay },
        'worker exited; its miners reconnect to the others; forking it again',
      );
      slot.restartTimer = clock.setTimeout(() => {
        slot.restartTimer = undefined;
        if (stopping) return;
        slot.restarts += 1;
        restartsTotal.inc();
        fork(slot);
      }, delay);
    });
  };

  const started = slots.map(
    (slot) =>
      new Promise<Extract<FromWorker, { karoo: 'listening' }>>((resolve, reject) => {
        slot.onListening = resolve;
        slot.onFailed = (message, usage) => reject(usage ? new UsageError(message) : new Error(message));
        fork(slot);
      }),
  );
  const settled = await Promise.allSettled(started);
  for (const s of slots) {
    s.onListening = undefined;
    s.onFailed = undefined;
  }
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stopWorkers();
    throw failure.reason;
  }
  const listening = (settled[0] as PromiseFulfilledResult<Extract<FromWorker, { karoo: 'listening' }>>).value;

  const opened: Listening[] = [];
  const processes = (answers: ({ status: { totals: { miners: number } } } | undefined)[]) =>
    slots.map((s, i) => ({
      worker: s.index,
      pid: s.worker?.process.pid ?? null,
      up: s.upSince !== undefined,
      up_since: s.upSince ?? null,
      restarts: s.restarts,
      miners: answers[i]?.status.totals.miners ?? null,
    }));
  const status = async (): Promise<Record<string, unknown>> => {
    const { answers, got } = await statusParts();
    return {
      ...mergeStatuses(got.map((a) => a.status)),
      proxy: {
        ...proxySection(PROXY_VERSION, startedAt, clock.now(), eventsRoute.clientCount, {
          stratum: running.url,
          websocket: running.websocketUrl ?? null,
          http: running.httpUrl ?? null,
          public_pool_api: running.publicPoolApiUrl ?? null,
        }),
        workers: count,
        processes: processes(answers),
      },
      limits: mergeLimits(got.map((a) => a.limits)),
    };
  };
  const metrics = {
    contentType: own.contentType,
    async metrics(): Promise<string> {
      const answers = await Promise.all(slots.map((s) => requests.ask(s, 'metrics')));
      const parts = [
        ...answers.filter((a) => a !== undefined),
        await own.getMetricsAsJSON(),
        await processRegistry().getMetricsAsJSON(),
      ];
      return AggregatorRegistry.aggregate(parts).metrics();
    },
  };

  const running: RunningCluster = {
    workers: count,
    url: listening.url,
    websocketUrl: listening.websocketUrl ?? undefined,
    httpUrl: undefined,
    publicPoolApiUrl: undefined,
    pids: () => slots.map((s) => s.worker?.process.pid),
    status,
    reloadFile: async (path) => {
      let next: ProxyConfig;
      try {
        next = loadConfig(path);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        logger.error({ err: err.message }, 'config reload refused; the running configuration stays');
        return { ok: false, error: err.message, changes: [], needsRestart: [] };
      }
      for (const w of next.warnings) logger.warn(w);
      // A worker that is down now is handed the config in force when it is forked again.
      const up = slots.filter((s) => s.upSince !== undefined);
      const reports = await Promise.all(up.map((s) => requests.ask(s, 'reload', { config: next })));
      const failed = reports.findIndex((r) => r === undefined || !r.ok);
      const first = reports.find((r) => r !== undefined);
      if (failed >= 0) {
        const r = reports[failed];
        return {
          ok: false,
          error: `worker ${up[failed]?.index}: ${r?.error ?? 'did not answer'}`,
          changes: first?.changes ?? [],
          needsRestart: [],
        };
      }
      // The HTTP listeners stay where they are (a change needs a restart, as the workers report).
      config = {
        ...next,
        http: { ...next.http, listen: config.http.listen, publicPoolApi: config.http.publicPoolApi },
      };
      return {
        ok: true,
        changes: first?.changes ?? [],
        needsRestart: [...new Set(reports.flatMap((r) => r?.needsRestart ?? []))],
      };
    },
    stop: async () => {
      stopping = true;
      eventsRoute.closeAll();
      await stopWorkers();
      await Promise.all(opened.map((l) => l.close()));
    },
  };

  try {
    if (config.http.listen) {
      const api = createHttpApi(
        {
          status,
          // null: the worker is down (restarting); undefined: up but silent.
          health: async () =>
            mergeHealth(
              await Promise.all(
                slots.map((s) => (s.upSince === undefined ? null : requests.ask(s, 'health'))),
              ),
            ),
        },
        logger,
        {
          token: () => config.http.token,
          routes: {
            '/metrics': metricsRoute(metrics, logger),
            '/events': (req, res) => eventsRoute.handle(req, res),
          },
        },
      );
      const at = config.http.listen;
      const http = await listenNamed('http.listen', formatHostPort(at), () => api.listen(at.host, at.port));
      opened.push(http);
      running.httpUrl = `http://${hostForUrl(http.host)}:${http.port}`;
    }
    if (config.http.publicPoolApi) {
      const at = config.http.publicPoolApi;
      const api = createPublicPoolApi(
        async () => mergeStatuses((await statusParts()).got.map((a) => a.status)),
        logger,
      );
      const pp = await listenNamed('http.public_pool_api', formatHostPort(at), () =>
        api.listen(at.host, at.port),
      );
      opened.push(pp);
      running.publicPoolApiUrl = `http://${hostForUrl(pp.host)}:${pp.port}/api/client/`;
    }
  } catch (err) {
    await running.stop();
    throw err;
  }
  logger.info(
    { url: running.url, websocketUrl: running.websocketUrl, httpUrl: running.httpUrl, workers: count },
    'karoo proxy listening',
  );
  return running;

  /** Every worker's status (undefined for one that did not answer), and the answers alone. */
  async function statusParts() {
    const answers = await Promise.all(slots.map((s) => requests.ask(s, 'status')));
    const got = answers.filter((a) => a !== undefined);
    if (got.length === 0) throw new Error('no worker process answered');
    return { answers, got };
  }

  /** Asks every worker to stop, waits for them (killing any still up after the grace), stops restarts. */
  async function stopWorkers(): Promise<void> {
    stopping = true;
    await Promise.all(
      slots.map((slot) => {
        clock.clearTimeout(slot.restartTimer);
        const worker = slot.worker;
        if (!worker) return Promise.resolve();
        return new Promise<void>((resolve) => {
          const kill = clock.setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
          worker.once('exit', () => {
            clock.clearTimeout(kill);
            resolve();
          });
          if (!slot.send({ karoo: 'stop' })) worker.process.kill('SIGTERM');
        });
      }),
    );
  }
}
