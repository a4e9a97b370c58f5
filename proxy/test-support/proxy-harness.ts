import type { Logger } from 'pino';
import { silentLogger } from '../../runtime/logger.js';
import { parseConfig } from '../config/index.js';
import type { RunProxyDeps } from '../run-proxy.js';
import type { RunningProxy } from '../run-proxy.js';
import { runProxy } from '../run-proxy.js';

type Json = Record<string, unknown>;

/**
 * A proxy for tests: Stratum and HTTP on 127.0.0.1 port 0, rate limits off, in front of the given
 * upstream port(s). `config` is merged (one level deep) over those defaults in the file's own keys.
 */
export async function startTestProxy(
  upstreamPorts: number | number[],
  config: Json = {},
  deps: RunProxyDeps & { logger?: Logger } = {},
): Promise<RunningProxy> {
  const ports = Array.isArray(upstreamPorts) ? upstreamPorts : [upstreamPorts];
  const [primary, ...backups] = ports;
  const base: Json = {
    proxy: { listen: '127.0.0.1:0' },
    upstream: {
      host: '127.0.0.1',
      port: primary,
      user: 'karoo.upstream',
      pass: 'x',
      backoff_min_ms: 100,
      backoff_max_ms: 400,
    },
    backups: backups.map((port) => ({ host: '127.0.0.1', port })),
    http: { listen: '127.0.0.1:0' },
    ratelimit: { enabled: false },
  };
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(config)) {
    const current = merged[key];
    merged[key] =
      current &&
      typeof current === 'object' &&
      !Array.isArray(current) &&
      value &&
      typeof value === 'object' &&
      !Array.isArray(value)
        ? { ...(current as Json), ...(value as Json) }
        : value;
  }
  const { logger, ...rest } = deps;
  return runProxy(parseConfig(merged), logger ?? silentLogger(), rest);
}
