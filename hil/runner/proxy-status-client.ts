import { fetchStatus } from '../../proxy/api/index.js';
import type { ProxyStatus, WorkerStatus } from '../../proxy/api/index.js';
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

/** Reads a Karoo proxy's `GET /status` through the proxy's API client (proxy/api). */
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
    try {
      return await fetchStatus({ base: new URL(this.url), token: this.token ?? null }, this.timeoutMs);
    } catch (err) {
      throw new BenchError(`GET ${this.url}/status: ${(err as Error).message}`, err);
    }
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
