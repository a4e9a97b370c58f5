export * from './event-payloads.js';
export * from './events-route.js';
export * from './proxy-event-feed.js';
export * from './sse-stream.js';
