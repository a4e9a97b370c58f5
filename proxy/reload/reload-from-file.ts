import type { Logger } from 'pino';
import { ConfigError } from '../config/errors.js';
import { loadConfig } from '../config/load-config.js';
import type { ProxyConfig } from '../config/types.js';
import { refuseReload } from './reload-proxy.js';
import type { ReloadReport } from './reload-proxy.js';

/** What a reload from a file needs of the running proxy. */
export interface FileReloadTarget {
  reload(next: ProxyConfig): ReloadReport;
  readonly logger: Logger;
}

/**
 * Loads `path` and applies it (what SIGHUP does); a bad file is logged and refused, and nothing
 * changes. Its own module: loading a file is the config schema's job (zod), which a cluster
 * worker, handed configs parsed by its primary, never loads.
 */
export function reloadFromFile(target: FileReloadTarget, path: string): ReloadReport {
  let next: ProxyConfig;
  try {
    next = loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) return refuseReload(target.logger, err.message);
    throw err;
  }
  for (const w of next.warnings) target.logger.warn(w);
  return target.reload(next);
}
