export * from './hashrate.js';
export * from './percentile.js';
export * from './ring.js';
export * from './time-window.js';
export * from './worker-stats.js';
export * from './stats-registry.js';
