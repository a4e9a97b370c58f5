export * from './checkout.js';
export * from './toolchain.js';
export * from './build-plan.js';
export * from './compiler-diagnostics.js';
export * from './build-firmware.js';
export * from './host-board.js';
export { hostFirmwareAsset } from './host-layer-dir.js';
