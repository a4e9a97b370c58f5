/** Stable codes for everything that can be wrong with a configuration. */
export type ConfigErrorCode =
  'CONFIG_INVALID' | 'CONFIG_UNKNOWN_KEY' | 'CONFIG_NOT_JSON' | 'CONFIG_READ_FAILED';

/**
 * A configuration the proxy refuses to start (or reload) with. The message is one line naming the
 * key and what was expected, e.g. `config: upstream.port: expected an integer from 1 to 65535, got "abc"`.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  /** Dotted key path of the culprit (`backups[1].host`); '' for the whole document or file. */
  readonly key: string;

  constructor(code: ConfigErrorCode, key: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.code = code;
    this.key = key;
  }
}

/** A short, single-line rendering of a bad value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  text = text.replace(/[\r\n]+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Keys whose values are secrets: an error about them names the type, never the value. */
export const SECRET_KEY = /(^|\.)(pass|password|token)$/;

/** describeValue, except that a secret key's value is described by its type only. */
export function describeValueAt(key: string, value: unknown): string {
  if (!SECRET_KEY.test(key) || value === undefined || value === null) return describeValue(value);
  return Array.isArray(value) ? 'an array (not shown)' : `a ${typeof value} (not shown)`;
}
