export * from './usb-ids.js';
export * from './discovery.js';
export * from './sleep.js';
export * from './reset.js';
export * from './serial-port.js';
export * from './serial-board.js';
