import { BenchError } from '../errors.js';
import type { Bench, BenchCapability, StratumSessionView, UpstreamView } from './bench.js';
import { ProxyStatusClient } from './proxy-status-client.js';

/** Karoo's default `proxy.listen` port, assumed when `--stratum` is not given. */
export const DEFAULT_PROXY_STRATUM_PORT = 3334;

export interface RemoteBenchOptions {
  /** The running proxy's HTTP API, http://HOST:PORT. */
  proxyUrl: string;
  /** Its Stratum URL; by default the HTTP host with port 3334. */
  stratumUrl?: string;
  token?: string;
}

/**
 * A proxy the harness did not start: sessions come from its `GET /status`; the pool behind it is
 * out of reach, so scenarios that need `pool-control` are skipped.
 */
export async function connectRemoteBench(options: RemoteBenchOptions): Promise<Bench> {
  const client = new ProxyStatusClient({
    url: options.proxyUrl,
    ...(options.token !== undefined && { token: options.token }),
  });
  await client.status();
  return new RemoteBench(client, options.stratumUrl ?? defaultStratumUrl(options.proxyUrl));
}

/** stratum+tcp://<host of the HTTP URL>:3334 */
export function defaultStratumUrl(proxyUrl: string): string {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch {
    throw new BenchError(`--proxy: expected http://HOST:PORT, got ${JSON.stringify(proxyUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BenchError(`--proxy: expected http://HOST:PORT, got ${JSON.stringify(proxyUrl)}`);
  }
  return `stratum+tcp://${url.hostname}:${DEFAULT_PROXY_STRATUM_PORT}`;
}

class RemoteBench implements Bench {
  readonly kind = 'remote-proxy' as const;
  readonly capabilities: ReadonlySet<BenchCapability> = new Set();
  readonly pool = undefined;

  constructor(
    private readonly client: ProxyStatusClient,
    readonly stratumUrl: string,
  ) {}

  get proxyUrl(): string {
    return this.client.url;
  }

  sessions(): Promise<StratumSessionView[]> {
    return this.client.sessions();
  }

  upstream(): Promise<UpstreamView> {
    return this.client.upstream();
  }

  async close(): Promise<void> {}
}
