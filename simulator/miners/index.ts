/**
 * Simulated miners: NerdMiner, Bitaxe, cpuminer and a GPU rig that hash for real and speak their
 * firmware's exact Stratum bytes. Start one with startMiner, a rack with startRack.
 */
import { PROFILE_SESSIONS } from './profiles/registry.js';
import { Miner } from './simulated-miner.js';
import type { MinerOptions, SimulatedMiner } from './types.js';

export function startMiner(options: MinerOptions): SimulatedMiner {
  return new Miner(options, PROFILE_SESSIONS[options.profile]).start();
}

export { startRack, rackWorkers, WORKER_PREFIXES, DEFAULT_RACK_USER, RACK_EVENTS } from './rack.js';
export type { Rack, RackOptions, RackEvent } from './rack.js';
export { startThreadedRack, defaultRackThreads, DEFAULT_STATS_EVERY_MS } from './threaded-rack.js';
export type { ThreadedRack, ThreadedRackOptions } from './threaded-rack.js';
export { DEFAULT_HASHRATES, DEFAULT_GPU_SESSIONS, PROFILE_TIMERS, parseStratumUrl } from './options.js';
export { HashScheduler, sharedHashScheduler, DEFAULT_SLICE_MS, DEFAULT_BURST_MS } from './hash-scheduler.js';
export { DEFAULT_WAIT_MS } from './simulated-miner.js';
export { rejectReasonKey } from './stats.js';
export * from './types.js';
