import type { IncomingMessage } from 'node:http';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, describeStatus, oneLine, startGet } from './http-get.js';
import type { RequestTarget } from './http-get.js';
import { parseProxyEvent } from './proxy-event.js';
import type { ProxyEvent } from './proxy-event.js';
import { DEFAULT_SSE_LINE_CAP, SseParser } from './sse-parser.js';

/** A stream silent this long (not even a `: ping`) is taken as dead. */
export const DEFAULT_EVENTS_IDLE_MS = 60_000;

export interface EventStreamHandlers {
  /** The proxy answered 200 with an event stream. */
  onOpen(): void;
  onEvent(event: ProxyEvent): void;
  /** The stream ended or never opened; `status` is the HTTP status when the proxy refused it. Called once. */
  onClose(reason: string, status: number | null): void;
}

export interface EventStreamOptions {
  clock?: Clock;
  lineCap?: number;
  idleMs?: number;
  /** How long to wait for the answer's headers. */
  timeoutMs?: number;
}

export interface EventStream {
  /** Ends the stream without calling onClose. */
  close(): void;
}

/** GET /events and hand each typed event to `handlers`; unknown or malformed events are skipped. */
export function openEventStream(
  target: RequestTarget,
  handlers: EventStreamHandlers,
  options: EventStreamOptions = {},
): EventStream {
  const clock = options.clock ?? systemClock;
  const idleMs = options.idleMs ?? DEFAULT_EVENTS_IDLE_MS;
  const parser = new SseParser(options.lineCap ?? DEFAULT_SSE_LINE_CAP);
  let closed = false;
  /** The answer timeout, then the idle timeout. */
  let idle: TimerHandle | undefined;
  const req = startGet(target, '/events', { accept: 'text/event-stream', 'cache-control': 'no-cache' });

  const finish = (reason: string, status: number | null = null): void => {
    if (closed) return;
    closed = true;
    clock.clearTimeout(idle);
    req.destroy();
    handlers.onClose(reason, status);
  };
  const armIdle = (): void => {
    clock.clearTimeout(idle);
    idle = clock.setTimeout(() => finish(`no data on /events for ${idleMs} ms`), idleMs);
  };

  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  idle = clock.setTimeout(() => finish(`no answer to /events in ${timeoutMs} ms`), timeoutMs);
  req.on('error', (err) => finish(oneLine(err)));
  req.on('response', (res: IncomingMessage) => {
    clock.clearTimeout(idle);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      res.resume();
      return finish(describeStatus(status, '/events'), status);
    }
    if (!String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
      res.resume();
      return finish('/events is not an event stream', status);
    }
    if (closed) return;
    handlers.onOpen();
    armIdle();
    res.setEncoding('utf8');
    res.on('data', (text: string) => {
      if (closed) return;
      armIdle();
      let messages;
      try {
        messages = parser.push(text);
      } catch (err) {
        return finish(oneLine(err));
      }
      for (const m of messages) {
        if (closed) return;
        const event = parseProxyEvent(m.event, m.data);
        if (event) handlers.onEvent(event);
      }
    });
    res.on('error', (err) => finish(oneLine(err)));
    res.on('end', () => finish('the proxy closed /events'));
    res.on('close', () => finish('the proxy closed /events'));
  });

  return {
    close() {
      if (closed) return;
      closed = true;
      clock.clearTimeout(idle);
      req.destroy();
    },
  };
}
