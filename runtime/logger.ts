import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line, at any depth pino can name (a password, a token, an
 * Authorization header): shown as REDACTED. Raw Stratum lines are strings pino cannot look into;
 * the proxy redacts those itself (proxy/log-redaction.ts).
 */
export const REDACTED = '<redacted>';
const SECRET_KEYS = ['pass', 'password', 'token', 'authorization'];
export const LOG_REDACTION: NonNullable<LoggerOptions['redact']> = {
  paths: SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  censor: REDACTED,
};

/**
 * The last net for secrets inside log text: a Stratum error about a bad password quotes it
 * (`... params[1] (password): expected a string ..., got 1234`); the value is cut from any
 * top-level string of a log line.
 */
export function scrubLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  let out = obj;
  for (const [key, value] of Object.entries(obj)) {
    if (typeof value !== 'string' || !/\(password\)/i.test(value)) continue;
    if (out === obj) out = { ...obj };
    out[key] = value.replace(/(\(password\)[^\n]*?, got ).*$/is, `$1${REDACTED}`);
  }
  return out;
}

/** JSON logs to stderr (or `destination`) at `level` (KAROO_LOG_LEVEL overrides); raw frames only at trace. */
export function createLogger(
  name: string,
  level = process.env.KAROO_LOG_LEVEL ?? 'info',
  destination: DestinationStream = pino.destination({ dest: 2, sync: false }),
): Logger {
  return pino({ name, level, redact: LOG_REDACTION, formatters: { log: scrubLogObject } }, destination);
}

/** A logger that drops everything, for tests and library users who pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
