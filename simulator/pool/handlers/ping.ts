import type { PingRequest, PongRequest } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

export function handlePing(session: PoolSession, req: PingRequest): void {
  if (req.id !== null) session.reply(req.id, 'pong');
}

/** A request-shaped pong (ESP-Miner) settles the pool's oldest outstanding mining.ping. */
export function handlePong(session: PoolSession, _req: PongRequest): void {
  session.onPong();
}
