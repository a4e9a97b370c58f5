export * from './abuse-limits.js';
export * from './auth-backoff.js';
export * from './ip-limiter.js';
export * from './limit-settings.js';
export * from './reject-ratio.js';
export * from './remote-ip.js';
export * from './worker-name.js';
export * from './trusted-networks.js';
