import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../runtime/logger.js';
import type { ControlSource } from './control-routes.js';
import { controlRoute } from './control-routes.js';
import type { PoolStats } from './pool-books.js';
import type { SessionInfo } from './pool-session.js';

export interface StatsSource extends ControlSource {
  stats(): PoolStats;
  sessions(): SessionInfo[];
}

export interface StatsHttpServer {
  /** http://HOST:PORT */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /stats` (the books as JSON), `GET /sessions` (live sessions) and `GET /healthz` on their own
 * port so a test or a dashboard can compare against what the pool accepted, plus the control
 * routes record and replay use (control-routes.ts). No authentication: keep it on loopback.
 */
export async function startStatsHttp(
  source: StatsSource,
  host: string,
  port: number,
  log: Logger,
): Promise<StatsHttpServer> {
  const server: Server = createServer((req, res) => handle(source, req, res));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error({ err: err.message }, 'stats http error'));
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handle(source: StatsSource, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const control = controlRoute(source, req.method ?? 'GET', path);
  if (control !== undefined) {
    send(res, control.status, control.body);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, { error: 'only GET' });
    return;
  }
  switch (path) {
    case '/stats':
      send(res, 200, source.stats());
      return;
    case '/sessions':
      send(res, 200, source.sessions());
      return;
    case '/healthz':
      send(res, 200, { ok: true });
      return;
    default:
      send(res, 404, {
        error: `no such path ${path}; try /stats, /sessions, /healthz, /options, /jobs/ID, POST /new-job, /new-block, /timers/pause, /timers/resume`,
      });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
