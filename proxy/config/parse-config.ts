import { buildConfig } from './build-config.js';
import { issuesToError } from './issues.js';
import { configSchema } from './schema.js';
import type { ProxyConfig } from './types.js';

/**
 * Validates a configuration document (already JSON-decoded) and fills in every default.
 * Throws ConfigError, whose one-line message names the first bad key.
 */
export function parseConfig(raw: unknown): ProxyConfig {
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw issuesToError(result.error.issues, configSchema);
  return buildConfig(result.data);
}
