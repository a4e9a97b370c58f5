import http from 'node:http';
import type { Logger } from 'pino';
import { listenOn } from '../listeners/tcp-listener.js';
import type { Listening } from '../listeners/tcp-listener.js';
import { hasBearerToken } from './http-auth.js';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** What /healthz answers: ok (200) or not (503), and why. */
export interface Health {
  ok: boolean;
  reason: string;
}

/** Where /status and /healthz read from: one proxy core, or the worker processes of a cluster. */
export interface HttpApiSource {
  /** The body of /status (the README's schema). */
  status(): unknown;
  health(): Health | Promise<Health>;
}

export interface HttpApiOptions {
  /** Further routes by path (`/metrics`, `/events`). */
  routes?: Record<string, RouteHandler>;
  /**
   * The bearer token every route but /healthz requires; null = none. Asked per request, so a
   * reload can change it.
   */
  token?: () => string | null;
}

/**
 * The proxy's HTTP API: GET /status, /healthz and the given routes; 404 for anything else, 405
 * for other methods. With a token, requests without `Authorization: Bearer <token>` get 401,
 * except /healthz, which then answers only its status (no reason) so probes need no secret.
 */
export function createHttpApi(source: HttpApiSource, logger: Logger, options: HttpApiOptions = {}) {
  const failed = (res: http.ServerResponse, err: unknown): void => {
    logger.error({ err }, 'http handler failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    else res.destroy();
  };
  const routes: Record<string, RouteHandler> = {
    '/status': (_req, res) => {
      Promise.resolve(source.status()).then(
        (body) => sendJson(res, 200, body),
        (err: unknown) => failed(res, err),
      );
    },
    '/healthz': (req, res) => {
      Promise.resolve(source.health()).then(
        (h) => {
          const status = h.ok ? 'ok' : 'unavailable';
          const token = options.token?.() ?? null;
          const full = token === null || hasBearerToken(req, token);
          sendJson(res, h.ok ? 200 : 503, full ? { status, reason: h.reason } : { status });
        },
        (err: unknown) => failed(res, err),
      );
    },
    ...options.routes,
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    const token = options.token?.() ?? null;
    if (token !== null && path !== '/healthz' && !hasBearerToken(req, token)) {
      return sendJson(res, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="karoo"' });
    }
    if (!route) return sendJson(res, 404, { error: `no route ${path}` });
    try {
      route(req, res);
    } catch (err) {
      failed(res, err);
    }
  });
  return {
    server,
    listen: (host: string, port: number): Promise<Listening> => listenOn(server, host, port),
  };
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
