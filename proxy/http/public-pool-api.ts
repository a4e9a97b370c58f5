import http from 'node:http';
import type { Logger } from 'pino';
import type { ProxyStatus } from '../api/index.js';
import { listenOn } from '../listeners/tcp-listener.js';
import type { Listening } from '../listeners/tcp-listener.js';
import { sendJson } from './http-server.js';
import { publicPoolClient } from './public-pool-view.js';

/** Longer than any Bitcoin address (bech32m is 62 characters), short enough to bound the work. */
const MAX_ADDRESS_LENGTH = 128;
const CLIENT_PATH = /^\/api\/client\/([^/]+)\/?$/;

/**
 * The part of public-pool's HTTP API a NerdMiner reads for its screen (`http.public_pool_api`):
 * GET /api/client/<address>, the rack's workers for that address. No token: the firmware cannot
 * send one, and the answer holds only what the miner's own screen shows. 404 for any other path,
 * 405 for other methods.
 */
export function createPublicPoolApi(status: () => ProxyStatus | Promise<ProxyStatus>, logger: Logger) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    const path = (req.url ?? '/').split('?')[0] as string;
    const match = CLIENT_PATH.exec(path);
    let address: string | undefined;
    try {
      address = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    } catch {
      address = undefined;
    }
    if (address === undefined || address.length === 0 || address.length > MAX_ADDRESS_LENGTH)
      return sendJson(res, 404, { error: `no route ${path.slice(0, 200)}` });
    const wanted = address;
    Promise.resolve()
      .then(status)
      .then(
        (s) => sendJson(res, 200, publicPoolClient(s, wanted)),
        (err: unknown) => {
          logger.error({ err }, 'public-pool API handler failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        },
      );
  });
  return {
    server,
    listen: (host: string, port: number): Promise<Listening> => listenOn(server, host, port),
  };
}
