export * from './vardiff-options.js';
export * from './vardiff.js';
