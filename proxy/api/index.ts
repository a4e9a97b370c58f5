/**
 * The proxy's HTTP API as its readers use it: the /status and /events contracts and a typed
 * client (bounded requests, a bearer token, server-sent events parsed by eventsource-parser).
 * The dashboard, karoo hil and the container tests read the proxy through this, over HTTP only.
 */
export * from './status-contract.js';
export * from './events-contract.js';
export { blankWorker } from './blank-worker.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  ProxyRequestError,
  describeStatus,
  getJson,
  oneLine,
  startGet,
} from './http-get.js';
export type { RequestTarget } from './http-get.js';
export { fetchStatus, normaliseStatus } from './status-client.js';
export { DEFAULT_EVENTS_IDLE_MS, openEventStream } from './event-stream.js';
export type { EventStream, EventStreamHandlers, EventStreamOptions } from './event-stream.js';
export { PROXY_EVENT_TYPES, parseProxyEvent } from './proxy-event.js';
export type {
  ProxyEventOf,
  ProxyEventType as ReadEventType,
  ProxyEvent as ReadEvent,
} from './proxy-event.js';
export { DEFAULT_SSE_LINE_CAP, SseLineTooLongError, SseParser } from './sse-parser.js';
export type { SseMessage } from './sse-parser.js';
