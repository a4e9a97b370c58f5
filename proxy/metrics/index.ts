export * from './bounded-labels.js';
export * from './metrics-route.js';
export * from './proxy-metrics.js';
