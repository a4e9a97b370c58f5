import { readFileSync } from 'node:fs';
import { systemErrorWords } from '../../runtime/system-error.js';
import { ConfigError } from './errors.js';
import { parseConfig } from './parse-config.js';
import type { ProxyConfig } from './types.js';

/** Reads and validates a JSON configuration file; every failure is a ConfigError naming the file. */
export function loadConfig(path: string): ProxyConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'CONFIG_READ_FAILED',
      '',
      `config: ${path}: cannot read the file: ${systemErrorWords(err)}`,
      {
        cause: err,
      },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const detail = (err as Error).message.split('\n')[0];
    throw new ConfigError('CONFIG_NOT_JSON', '', `config: ${path}: not valid JSON (${detail})`, {
      cause: err,
    });
  }
  try {
    return parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new ConfigError(err.code, err.key, err.message.replace(/^config: /, `config: ${path}: `), {
        cause: err,
      });
    }
    throw err;
  }
}
