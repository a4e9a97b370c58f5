import http from 'node:http';
import type { Logger } from 'pino';
import type { KarooProxy } from '../karoo-proxy.js';
import { listenOn } from '../listeners/tcp-listener.js';
import type { Listening } from '../listeners/tcp-listener.js';
import { buildStatus, health } from './status-view.js';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** The proxy's HTTP API: GET /status and /healthz (further routes added by the operations layer). */
export function createHttpApi(
  proxy: KarooProxy,
  logger: Logger,
  extraRoutes: Record<string, RouteHandler> = {},
) {
  const routes: Record<string, RouteHandler> = {
    '/status': (_req, res) => sendJson(res, 200, buildStatus(proxy)),
    '/healthz': (_req, res) => {
      const h = health(proxy);
      sendJson(res, h.ok ? 200 : 503, { status: h.ok ? 'ok' : 'unavailable', reason: h.reason });
    },
    ...extraRoutes,
  };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = routes[path];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: 'method not allowed' });
    if (!route) return sendJson(res, 404, { error: `no route ${path}` });
    try {
      route(req, res);
    } catch (err) {
      logger.error({ err }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    }
  });
  return {
    server,
    listen: (host: string, port: number): Promise<Listening> => listenOn(server, host, port),
  };
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
