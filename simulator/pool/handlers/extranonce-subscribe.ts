import type { ExtranonceSubscribeRequest } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

/** NiceHash's extension: the miner says it understands mining.set_extranonce. */
export function handleExtranonceSubscribe(session: PoolSession, req: ExtranonceSubscribeRequest): void {
  session.extranonceSubscribed = true;
  if (req.id !== null) session.reply(req.id, true);
}
