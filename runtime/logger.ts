import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

/** JSON logs to stderr at `level` (KAROO_LOG_LEVEL overrides); raw frames only at trace. */
export function createLogger(name: string, level = process.env.KAROO_LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level }, pino.destination({ dest: 2, sync: false }));
}

/** A logger that drops everything, for tests and library users who pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
