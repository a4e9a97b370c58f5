import type { JsonValue } from '../../stratum/index.js';
import type { HostPort } from '../../peers/host-port.js';
import type { MarkEvent } from '../../recording/format.js';

/** How long a recorder waits for the pool simulator to say where a job came from. */
export const POOL_LOOKUP_TIMEOUT_MS = 2000;
const JOB_ID = /^[0-9a-f]{1,16}$/i;

/** A pool simulator's control API (`karoo pool --http`), as record and replay use it. */
export class PoolControlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoolControlError';
  }
}

/**
 * The header `target` for sessions recorded against the pool simulator at `poolHttp`: its options
 * (so a replay can start the same pool) and `kind` `pool-simulator` when the recorded upstream is
 * that pool, `proxy` when something sits between (a replay then needs that proxy as --target).
 */
export async function poolTarget(
  poolHttp: string,
  upstream: HostPort,
): Promise<{ [key: string]: JsonValue }> {
  const body = (await call(poolHttp, 'GET', '/options')) as { [key: string]: JsonValue };
  const { url, ...pool } = body;
  const port = typeof url === 'string' ? /:(\d+)\/?$/.exec(url)?.[1] : undefined;
  const direct =
    port !== undefined && Number(port) === upstream.port && isLoopbackOrSame(url as string, upstream);
  return { kind: direct ? 'pool-simulator' : 'proxy', pool };
}

/**
 * For SessionRecorder's `markFor`: a `mining.notify` whose job the pool broadcast as new work (its
 * job or block timer, or a driver's request) gets a `new-job` or `new-block` mark; anything else,
 * or a pool that does not answer in time, gets none.
 */
export function poolWorkMarks(
  poolHttp: string,
): (line: string) => Promise<MarkEvent | undefined> | undefined {
  return (line) => {
    const jobId = notifyJobId(line);
    if (jobId === undefined) return undefined;
    return call(poolHttp, 'GET', `/jobs/${jobId}`).then(
      (body) => {
        const origin = (body as { origin?: unknown }).origin;
        return origin === 'new-job' || origin === 'new-block' ? origin : undefined;
      },
      () => undefined,
    );
  };
}

/** Asks the pool simulator for new work, or to pause or resume its job and block timers. */
export async function poolAction(
  poolHttp: string,
  action: 'new-job' | 'new-block' | 'timers/pause' | 'timers/resume',
): Promise<void> {
  await call(poolHttp, 'POST', `/${action}`);
}

function notifyJobId(line: string): string | undefined {
  if (!line.includes('mining.notify')) return undefined;
  try {
    const msg = JSON.parse(line) as { method?: unknown; params?: unknown };
    const jobId = Array.isArray(msg.params) ? msg.params[0] : undefined;
    return msg.method === 'mining.notify' && typeof jobId === 'string' && JOB_ID.test(jobId)
      ? jobId
      : undefined;
  } catch {
    return undefined;
  }
}

async function call(base: string, method: 'GET' | 'POST', path: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method,
      signal: AbortSignal.timeout(POOL_LOOKUP_TIMEOUT_MS),
    });
  } catch (err) {
    throw new PoolControlError(`${method} ${base}${path}: ${causeOf(err)}`);
  }
  if (!res.ok) throw new PoolControlError(`${method} ${base}${path}: HTTP ${res.status}`);
  return res.json();
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

function isLoopbackOrSame(url: string, upstream: HostPort): boolean {
  const host = /^stratum\+tcp:\/\/\[?([^\]/]+?)\]?:\d+/.exec(url)?.[1] ?? '';
  const loopback = (h: string) => h === 'localhost' || h === '::1' || h.startsWith('127.') || h === '0.0.0.0';
  return host === upstream.host || (loopback(host) && loopback(upstream.host));
}
