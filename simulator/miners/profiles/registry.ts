import type { MinerSession, SessionContext } from '../miner-session.js';
import type { MinerProfile } from '../types.js';
import { BitaxeSession } from './bitaxe.js';
import { CpuMinerSession } from './cpuminer.js';
import { GpuSession } from './gpu.js';
import { NerdMinerSession } from './nerdminer.js';

/** The session class behind each profile. */
export const PROFILE_SESSIONS: Record<MinerProfile, (ctx: SessionContext) => MinerSession> = {
  nerdminer: (ctx) => new NerdMinerSession(ctx),
  bitaxe: (ctx) => new BitaxeSession(ctx),
  cpu: (ctx) => new CpuMinerSession(ctx),
  gpu: (ctx) => new GpuSession(ctx),
};
