import { parseConfig } from './parse-config.js';
import type { ProxyConfig } from './types.js';

/** Every default, for the one pool given (handy in tests and for `karoo start --pool`). */
export function defaultConfig(host: string, port: number): ProxyConfig {
  return parseConfig({ upstream: { host, port } });
}
