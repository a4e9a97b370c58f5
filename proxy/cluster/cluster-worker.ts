import { ConfigError } from '../config/errors.js';
import type { ProxyConfig } from '../config/types.js';
import { buildStatus } from '../http/status-view.js';
import { TlsFilesError } from '../listeners/tls-listener.js';
import { runProxy } from '../run-proxy.js';
import type { RunningProxy } from '../run-proxy.js';
import { recordedUpstream, sessionRecorder } from '../session-recording.js';
import { createLogger } from '../../runtime/logger.js';
import { systemClock } from '../../runtime/clock.js';
import { UsageError } from '../../runtime/usage-error.js';
import type { FromWorker, Question, ToWorker } from './cluster-messages.js';
import { isToWorker } from './cluster-messages.js';

/** The environment variable that carries a worker's WorkerSpec (JSON) from the primary. */
export const WORKER_SPEC_ENV = 'KAROO_PROXY_WORKER';

/** What a worker process is told at fork. */
export interface WorkerSpec {
  /** 1-based. */
  index: number;
  count: number;
  /** `--record DIR`, or null. */
  record: string | null;
}

export function workerSpecFromEnv(env: NodeJS.ProcessEnv): WorkerSpec {
  const text = env[WORKER_SPEC_ENV];
  if (text === undefined)
    throw new Error(`${WORKER_SPEC_ENV} is not set: this file runs as a karoo proxy worker`);
  const spec = JSON.parse(text) as WorkerSpec;
  if (
    !Number.isInteger(spec.index) ||
    !Number.isInteger(spec.count) ||
    spec.index < 1 ||
    spec.index > spec.count
  )
    throw new Error(`${WORKER_SPEC_ENV} is not a worker spec: ${text}`);
  return spec;
}

/** The fork channel as a worker uses it (the worker's `process`). */
export interface ParentChannel {
  readonly connected: boolean;
  send?(message: FromWorker, callback?: (error: Error | null) => void): boolean;
  disconnect?(): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

/**
 * One worker process of `karoo proxy --workers N`: the proxy with its own upstream session and
 * extranonce space, on the port the primary shares (node:cluster), without HTTP (the primary
 * serves it and asks each worker over IPC). Exits after `stop` or SIGTERM (sessions closed), or at
 * once when the primary goes away.
 */
export async function runClusterWorker(spec: WorkerSpec, parent: ParentChannel): Promise<void> {
  // With a callback a failed send (the primary gone: EPIPE) is handed to it instead of thrown.
  const send = (message: FromWorker): boolean =>
    parent.connected ? (parent.send?.(message, ignoreError) ?? false) : false;
  /** The proxy, once it has started. */
  const started: { proxy?: RunningProxy } = {};
  let stopRequested = false;
  let starting = false;
  let stopping: Promise<void> | undefined;
  // A stop before the config came ends the process (nothing is open); one that comes while the
  // proxy is starting is carried out once it has started.
  const stop = (): void => {
    stopRequested = true;
    if (started.proxy) stopping ??= started.proxy.stop().then(() => process.exit(0));
    else if (!starting) process.exit(0);
  };
  let configured: (config: ProxyConfig) => void = () => undefined;
  const given = new Promise<ProxyConfig>((resolve) => (configured = resolve));
  let handle: (m: ToWorker) => void = (m) => {
    if (m.karoo === 'config') configured(m.config);
    else if (m.karoo === 'stop') stop();
  };
  parent.on('message', (message) => {
    if (isToWorker(message)) handle(message);
  });
  // A primary that goes away (killed) takes its workers with it: node:cluster exits a worker at
  // once when its channel closes unexpectedly, which drops its miners (the CLI test proves it).
  // The primary decides (Ctrl-C reaches the whole process group; SIGHUP is a reload it runs).
  process.on('SIGINT', () => undefined);
  process.on('SIGHUP', () => undefined);
  process.on('SIGTERM', stop);

  // The primary parsed the file; it hands the config over once this listener is in place.
  send({ karoo: 'hello' });
  const config = await given;
  starting = true;
  const logger = createLogger('karoo-proxy', config.log.level).child({ worker: spec.index });
  let proxy: RunningProxy;
  try {
    const tapSession =
      spec.record === null
        ? undefined
        : sessionRecorder(
            spec.record,
            recordedUpstream(config.upstream),
            systemClock,
            `session-w${spec.index}`,
          );
    proxy = await runProxy(config, logger, {
      worker: { index: spec.index, count: spec.count },
      ...(tapSession ? { tapSession } : {}),
    });
  } catch (err) {
    fail(parent, err);
    return;
  }
  started.proxy = proxy;
  if (stopRequested) {
    stop();
    return;
  }

  let dropped = 0;
  let stopForwarding: (() => void) | undefined;
  const forward = (on: boolean): void => {
    if (on && !stopForwarding) {
      // A channel that cannot keep up drops events (counted) instead of queueing without bound.
      stopForwarding = proxy.events.subscribe((event) => {
        if (!send({ karoo: 'event', event })) dropped += 1;
      });
    } else if (!on && stopForwarding) {
      stopForwarding();
      stopForwarding = undefined;
      if (dropped > 0) logger.warn({ dropped }, 'events dropped: the channel to the primary was full');
      dropped = 0;
    }
  };
  const answer = async (what: Question, next: ProxyConfig | undefined): Promise<unknown> => {
    const core = proxy.core;
    switch (what) {
      case 'status':
        return { status: buildStatus(core.snapshot()), limits: proxy.limits.snapshot() };
      case 'health':
        return proxy.health();
      case 'metrics':
        return proxy.metrics.metricsJson();
      case 'reload':
        if (!next) throw new Error('a reload without a config');
        return proxy.reload(next);
    }
  };
  handle = (m) => {
    if (m.karoo === 'ask') {
      answer(m.what, m.config).then(
        (value) => send({ karoo: 'answer', id: m.id, value }),
        (err: unknown) => {
          logger.error({ err, what: m.what }, 'answering the primary failed');
          send({ karoo: 'answer', id: m.id, value: undefined });
        },
      );
    } else if (m.karoo === 'events') forward(m.on);
    else if (m.karoo === 'stop') stop();
  };
  send({ karoo: 'listening', url: proxy.url, websocketUrl: proxy.websocketUrl ?? null });
}

function ignoreError(): void {}

/** Tells the primary why this worker cannot start, then lets go of the channel so the process ends. */
function fail(parent: ParentChannel, err: unknown): void {
  const usage = err instanceof UsageError || err instanceof ConfigError || err instanceof TlsFilesError;
  const message = err instanceof Error ? err.message : String(err);
  process.exitCode = 1;
  if (parent.connected && parent.send)
    parent.send({ karoo: 'failed', message, usage }, () => parent.disconnect?.());
  if (!usage)
    process.stderr.write(`karoo proxy worker: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
}
