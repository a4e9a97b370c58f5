import { REDACTED_PASSWORD } from '../recording/format.js';
import { paramSpans, replaceSpans } from '../recording/json-spans.js';

/**
 * A raw Stratum line as it may be logged (at trace): the password of a `mining.authorize`
 * (params[1], whatever its JSON type) replaced by REDACTED_PASSWORD, every other byte kept.
 * pino's `redact` cannot see inside a JSON string, so the proxy's trace calls pass lines through
 * this first. A line that mentions authorize but cannot be read as JSON, and any other line that
 * speaks of a password (an error answer quoting a bad one), is not shown at all. Every other line
 * comes back unchanged.
 */
export function redactLine(line: string): string {
  if (!/authorize|password/i.test(line)) return line;
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return hidden(line);
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return hiddenIfPassword(line);
  const { method, params } = msg as { method?: unknown; params?: unknown };
  // Not an authorize: shown, unless it speaks of a password (an error answer quoting a bad one).
  if (typeof method !== 'string' || !/authorize/i.test(method)) return hiddenIfPassword(line);
  if (Array.isArray(params) && params.length < 2) return line;
  const spans = paramSpans(line);
  const secret = spans?.[1];
  if (!Array.isArray(params) || secret === undefined) return hidden(line);
  return replaceSpans(line, [{ span: secret, text: JSON.stringify(REDACTED_PASSWORD) }]);
}

function hidden(line: string): string {
  return `<a line mentioning authorize or a password, not shown (${line.length} characters)>`;
}

function hiddenIfPassword(line: string): string {
  return /password/i.test(line) ? hidden(line) : line;
}
