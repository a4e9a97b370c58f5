import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../runtime/clock.js';
import type { EventFeed } from './proxy-event-feed.js';
import { DEFAULT_SSE_MAX_QUEUED_BYTES, SseStream } from './sse-stream.js';

/** A `: ping` comment this often keeps proxies and idle timeouts from closing a quiet stream. */
export const DEFAULT_SSE_HEARTBEAT_MS = 15_000;
/** /events readers at once; more get 503. */
export const DEFAULT_MAX_SSE_CLIENTS = 32;

export interface EventsRouteOptions {
  feed: EventFeed;
  clock: Clock;
  version: string;
  logger: Logger;
  heartbeatMs?: number;
  maxQueuedBytes?: number;
  maxClients?: number;
}

export interface EventsRoute {
  handle(req: IncomingMessage, res: ServerResponse): void;
  readonly clientCount: number;
  /** Ends every open stream (on shutdown). */
  closeAll(): void;
}

/** GET /events: `hello`, then every proxy event as it happens, and a heartbeat comment. */
export function createEventsRoute(o: EventsRouteOptions): EventsRoute {
  const streams = new Set<SseStream>();
  const heartbeatMs = o.heartbeatMs ?? DEFAULT_SSE_HEARTBEAT_MS;
  const maxClients = o.maxClients ?? DEFAULT_MAX_SSE_CLIENTS;
  return {
    get clientCount() {
      return streams.size;
    },
    closeAll() {
      for (const s of [...streams]) s.close();
    },
    handle(req, res) {
      if (streams.size >= maxClients) {
        const body = `${JSON.stringify({ error: `too many /events readers (${maxClients})` })}\n`;
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '10' });
        res.end(body);
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      res.socket?.setNoDelay(true);
      const sse = new SseStream(res, o.maxQueuedBytes ?? DEFAULT_SSE_MAX_QUEUED_BYTES);
      streams.add(sse);
      sse.send('hello', { at: o.clock.now(), version: o.version });
      const unsubscribe = o.feed.subscribe((event) => {
        if (!sse.send(event.type, event.data)) cleanup();
      });
      const heartbeat = o.clock.setInterval(() => {
        if (!sse.comment('ping')) cleanup();
      }, heartbeatMs);
      let done = false;
      function cleanup(): void {
        if (done) return;
        done = true;
        streams.delete(sse);
        unsubscribe();
        o.clock.clearInterval(heartbeat);
        if (!res.destroyed && !res.writableEnded) o.logger.debug('dropping a slow /events reader');
        if (!res.destroyed) res.destroy();
      }
      res.once('close', cleanup);
    },
  };
}
