import type { AuthorizeRequest } from '../../../stratum/index.js';
import { StratumError } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';
import { MAX_WORKERS_PER_SESSION } from '../pool-session.js';
import { isAddressUsername } from '../profiles/address-shape.js';

/**
 * Accepts everyone, or the allow-list; a profile may also want `ADDRESS[.worker]` (public-pool,
 * which refuses anything else with 20 "Authorization validation error"). The answer goes out
 * before the first job.
 */
export function handleAuthorize(session: PoolSession, req: AuthorizeRequest): void {
  const { user } = req.params;
  const { profile } = session.ctx;
  if (profile.username === 'address' && !isAddressUsername(user)) {
    session.log.info({ worker: user }, 'worker refused: not ADDRESS[.worker]');
    const message = profile.errors.authorize ?? 'expected ADDRESS[.worker]';
    session.replyError(req.id, new StratumError('OTHER', message), message);
    return;
  }
  if (!session.ctx.workerAllowed(user)) {
    session.log.info({ worker: user }, 'worker refused');
    session.replyError(
      req.id,
      new StratumError('UNAUTHORIZED', `worker ${JSON.stringify(user)} is not allowed`),
    );
    return;
  }
  if (!session.workers.has(user) && session.workers.size >= MAX_WORKERS_PER_SESSION) {
    session.replyError(
      req.id,
      new StratumError('OTHER', `at most ${MAX_WORKERS_PER_SESSION} workers per connection`),
    );
    return;
  }
  session.workers.add(user);
  session.log.info({ worker: user }, 'worker authorized');
  session.reply(req.id, true);
  session.startWork();
}
