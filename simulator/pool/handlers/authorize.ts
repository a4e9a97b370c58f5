import type { AuthorizeRequest } from '../../../stratum/index.js';
import { StratumError } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';
import { MAX_WORKERS_PER_SESSION } from '../pool-session.js';

/** Accepts everyone, or the allow-list; the answer goes out before the first job. */
export function handleAuthorize(session: PoolSession, req: AuthorizeRequest): void {
  const { user } = req.params;
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
