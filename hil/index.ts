export * from './errors.js';
export * from './boards/index.js';
export * from './serial/index.js';
export * from './virtual/index.js';
export * from './scenarios/index.js';
export * from './runner/index.js';
export * from './reports/index.js';
export { registerHilCommand, hilOptionsFromFlags } from './hil-command.js';
export type { HilFlags } from './hil-command.js';
