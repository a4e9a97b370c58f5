import type { ProxyStatus, WorkerStatus } from './status-contract.js';
import { blankWorker } from './blank-worker.js';
import { ProxyRequestError, getJson } from './http-get.js';
import type { RequestTarget } from './http-get.js';

/** GET /status, checked for its outline and filled in where a field is missing. */
export async function fetchStatus(target: RequestTarget, timeoutMs?: number): Promise<ProxyStatus> {
  return normaliseStatus(await getJson(target, '/status', timeoutMs));
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The /status body as a ProxyStatus: throws unless it has `upstream`, `totals` and a `workers`
 * array; a worker missing fields (another proxy version) gets neutral values for them.
 */
export function normaliseStatus(body: unknown): ProxyStatus {
  if (!isObject(body) || !isObject(body.upstream) || !isObject(body.totals) || !Array.isArray(body.workers)) {
    throw new ProxyRequestError('/status answer does not look like a Karoo proxy status');
  }
  const workers = body.workers.filter(isObject).flatMap((w): WorkerStatus[] => {
    if (typeof w.name !== 'string') return [];
    const blank = blankWorker(w.name);
    return [
      {
        ...blank,
        ...w,
        latency_ms: { ...blank.latency_ms, ...(isObject(w.latency_ms) ? w.latency_ms : {}) },
        share_spacing_ms: {
          ...blank.share_spacing_ms,
          ...(isObject(w.share_spacing_ms) ? w.share_spacing_ms : {}),
        },
        pool: { ...blank.pool, ...(isObject(w.pool) ? w.pool : {}) },
        rejected_by_reason: isObject(w.rejected_by_reason)
          ? (w.rejected_by_reason as Record<string, number>)
          : {},
        vardiff_history: Array.isArray(w.vardiff_history)
          ? (w.vardiff_history as WorkerStatus['vardiff_history'])
          : [],
      } as WorkerStatus,
    ];
  });
  return { ...(body as unknown as ProxyStatus), workers };
}
