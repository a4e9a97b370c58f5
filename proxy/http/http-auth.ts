import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ProxyConfig } from '../config/index.js';
import { ConfigError, formatHostPort } from '../config/index.js';

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
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
 * The HTTP API shows miners, addresses and the pool account: beyond loopback it must have a token.
 * Throws the ConfigError `karoo proxy` turns into a one-line message and exit status 2.
 */
export function checkHttpExposure(config: Pick<ProxyConfig, 'http'>): void {
  const { listen, token } = config.http;
  if (listen && !isLoopbackHost(listen.host) && token === null) {
    throw new ConfigError(
      'CONFIG_INVALID',
      'http.token',
      `config: http.token: expected a bearer token because http.listen (${formatHostPort(listen)}) is not a loopback address; set http.token or listen on 127.0.0.1`,
    );
  }
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function hasBearerToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  return timingSafeEqual(digest(match[1] ?? ''), digest(token));
}
