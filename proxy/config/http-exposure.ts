import { ConfigError } from './errors.js';
import { formatHostPort, type HostPort } from './host-port.js';

/** What decides whether the HTTP API may run without a token. */
export interface HttpExposure {
  /** Where the API listens; null = off. */
  listen: HostPort | null;
  token: string | null;
  requireToken?: boolean;
}

/** True for names and addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}

/**
 * The API shows miners, their addresses and the pool account. Beyond loopback without a token
 * that is a warning (the Go karoo's configs listen on ":8080" with none) unless
 * `http.require_token` asks for a refusal. Returns the warning, or null when all is well; throws
 * the ConfigError (key `http.token`) when refused.
 */
export function judgeHttpExposure({ listen, token, requireToken }: HttpExposure): string | null {
  if (listen === null || isLoopbackAddress(listen.host) || token !== null) return null;
  const where = formatHostPort(listen);
  if (requireToken === true) {
    throw new ConfigError(
      'CONFIG_INVALID',
      'http.token',
      `config: http.token: expected a bearer token because http.listen (${where}) is not a loopback address and http.require_token is true; set http.token or listen on 127.0.0.1`,
    );
  }
  return `http.token: empty while http.listen (${where}) is not a loopback address: anyone who can reach it reads /status (miners, their addresses, the pool user) and /metrics; set http.token or listen on 127.0.0.1 (http.require_token: true refuses to start like this)`;
}
