import type { ProxyStatus, WorkerStatus } from '../../proxy/http/status-view.js';
import { BenchError } from '../errors.js';
import type { StratumSessionView, UpstreamView } from './bench.js';

/** How long one GET /status may take. */
export const DEFAULT_STATUS_TIMEOUT_MS = 5000;

export interface ProxyStatusClientOptions {
  /** The proxy's HTTP API, http://HOST:PORT. */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when the proxy's `http.token` is set. */
  token?: string;
  timeoutMs?: number;
}

/** Reads a Karoo proxy's `GET /status` (schema in proxy/http/status-view.ts). */
export class ProxyStatusClient {
  readonly url: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: ProxyStatusClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
  }

  async status(): Promise<ProxyStatus> {
    const target = `${this.url}/status`;
    let response: Response;
    try {
      response = await fetch(target, {
        headers: this.token === undefined ? {} : { authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new BenchError(`GET ${target} failed: ${(err as Error).message}`, err);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new BenchError(`GET ${target}: HTTP ${response.status}`);
    }
    const body = (await response.json()) as unknown;
    if (!isStatus(body)) throw new BenchError(`GET ${target}: not a Karoo /status document`);
    return body;
  }

  async sessions(): Promise<StratumSessionView[]> {
    return (await this.status()).workers.map(workerToView);
  }

  async upstream(): Promise<UpstreamView> {
    const { upstream } = await this.status();
    return {
      connected: upstream.connected,
      extranonce1: upstream.extranonce1,
      difficulty: upstream.difficulty,
    };
  }
}

export function workerToView(w: WorkerStatus): StratumSessionView {
  return {
    worker: w.name,
    remote: w.remote,
    connected: w.connected,
    connectedAt: w.connected_at,
    userAgent: w.user_agent,
    extranonce1: w.extranonce1,
    difficulty: w.difficulty,
    accepted: w.accepted,
    rejected: w.rejected,
    poolAccepted: w.pool.accepted,
    poolRejected: w.pool.rejected,
    hashrate: w.hashrate,
  };
}

function isStatus(value: unknown): value is ProxyStatus {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ProxyStatus>;
  return Array.isArray(v.workers) && typeof v.upstream === 'object' && v.upstream !== null;
}
