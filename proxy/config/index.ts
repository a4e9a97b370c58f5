export * from './defaults.js';
export * from './errors.js';
export * from './host-port.js';
export * from './types.js';
export { parseConfig } from './parse-config.js';
export { loadConfig } from './load-config.js';
export { defaultConfig } from './default-config.js';
export { formatKeyPath } from './issues.js';
