import type { SubscribeRequest } from '../../../stratum/index.js';
import { StratumError, buildSubscribeResult } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';

/**
 * A unique extranonce1 per session (kept on a second subscribe). A subscribe whose second param
 * names the extranonce1 of a session that just closed resumes it, as ckpool does, so a proxy or
 * miner that lost its connection keeps its work valid. Jobs start once a worker is authorized
 * too, so a miner that authorizes first gets its work here.
 */
export function handleSubscribe(session: PoolSession, req: SubscribeRequest): void {
  if (!session.subscribed) {
    let extranonce1: string;
    try {
      const resumed =
        req.params.sessionId === undefined ? undefined : session.ctx.resumeExtranonce1(req.params.sessionId);
      extranonce1 = resumed ?? session.ctx.allocateExtranonce1();
      if (resumed) session.log.info({ extranonce1 }, 'session resumed');
    } catch (err) {
      if (!(err instanceof StratumError)) throw err;
      session.log.warn({ err: err.message }, 'cannot subscribe');
      session.replyError(req.id, err);
      return;
    }
    session.extranonce1 = extranonce1;
    session.subscribed = true;
    if (req.params.userAgent !== undefined) session.userAgent = req.params.userAgent;
    session.log.info({ extranonce1, userAgent: session.userAgent }, 'subscribed');
  }
  const subscriptionId = session.id.padStart(8, '0');
  session.reply(
    req.id,
    buildSubscribeResult(subscriptionId, session.extranonce1 as string, session.extranonce2Size),
  );
  session.startWork();
}
