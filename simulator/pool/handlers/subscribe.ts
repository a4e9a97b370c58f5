import type { SubscribeRequest } from '../../../stratum/index.js';
import { StratumError } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';
import { PublicPoolVardiff } from '../profiles/public-pool-vardiff.js';

/**
 * A unique extranonce1 per session (kept on a second subscribe). A subscribe whose second param
 * names a session that just closed resumes it (by the extranonce1 it offers, or by ckpool's
 * subscription id; public-pool never does), so a proxy or miner that lost its connection keeps
 * its work valid. The answer lists the subscriptions the profile's pool names. Jobs start once a
 * worker is authorized too, so a miner that authorizes first gets its work here.
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
    if (session.ctx.profile.vardiff === 'public-pool')
      session.vardiff = new PublicPoolVardiff(session.ctx.clock.now());
    if (req.params.userAgent !== undefined) session.userAgent = req.params.userAgent;
    session.log.info({ extranonce1, userAgent: session.userAgent }, 'subscribed');
  }
  const id = session.subscriptionId;
  const subscriptions = session.ctx.profile.subscribe.subscriptions.map((method) => [method, id]);
  session.reply(req.id, [subscriptions, session.extranonce1 as string, session.extranonce2Size]);
  session.startWork();
}
