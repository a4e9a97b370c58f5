export * from './errors.js';
export * from './boards/index.js';
export * from './serial/index.js';
export * from './virtual/index.js';
