import { REDACTED_PASSWORD } from './format.js';
import { paramSpans, replaceSpans } from './json-spans.js';

/**
 * A miner line with the mining.authorize password replaced by REDACTED_PASSWORD, every other
 * byte kept. Lines that are not an authorize with a string password come back unchanged.
 */
export function redactPassword(line: string): string {
  return replaceAuthorizePassword(line, REDACTED_PASSWORD, (p) => p !== REDACTED_PASSWORD);
}

/** The reverse for a replay: the redacted placeholder replaced by a real password. */
export function restorePassword(line: string, password: string): string {
  return replaceAuthorizePassword(line, password, (p) => p === REDACTED_PASSWORD);
}

function replaceAuthorizePassword(line: string, password: string, when: (p: string) => boolean): string {
  if (!line.includes('mining.authorize')) return line;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return line;
  const msg = value as { method?: unknown; params?: unknown };
  if (msg.method !== 'mining.authorize' || !Array.isArray(msg.params)) return line;
  const current = msg.params[1];
  if (typeof current !== 'string' || !when(current)) return line;
  const span = paramSpans(line)?.[1];
  if (span === undefined) return line;
  return replaceSpans(line, [{ span, text: JSON.stringify(password) }]);
}
