export * from './pty-pair.js';
export * from './rom-banner.js';
export * from './uart-writer.js';
export * from './virtual-board.js';
