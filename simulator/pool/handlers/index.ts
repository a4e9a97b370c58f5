import type { KnownRequest } from '../../../stratum/index.js';
import { StratumError } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';
import { handleAuthorize } from './authorize.js';
import { handleConfigure } from './configure.js';
import { handleExtranonceSubscribe } from './extranonce-subscribe.js';
import type { ClientMethod, Handler } from './handler.js';
import { handlePing, handlePong } from './ping.js';
import { handleSubmit } from './submit.js';
import { handleSubscribe } from './subscribe.js';
import { handleSuggestDifficulty } from './suggest-difficulty.js';

/** One handler per method a miner may send. */
export const HANDLERS: { [M in ClientMethod]: Handler<M> } = {
  'mining.subscribe': handleSubscribe,
  'mining.authorize': handleAuthorize,
  'mining.submit': handleSubmit,
  'mining.configure': handleConfigure,
  'mining.suggest_difficulty': handleSuggestDifficulty,
  'mining.extranonce.subscribe': handleExtranonceSubscribe,
  'mining.ping': handlePing,
  'mining.pong': handlePong,
  pong: handlePong,
};

/**
 * Runs the method's handler; server-to-client methods sent to the pool get "method not found".
 * Methods the profile's pool leaves unanswered (public-pool: mining.ping, extranonce.subscribe and
 * whatever it does not know) get nothing at all.
 */
export function dispatchRequest(session: PoolSession, req: KnownRequest): void {
  const { unanswered } = session.ctx.profile;
  const known = Object.hasOwn(HANDLERS, req.method);
  if (unanswered.includes(req.method) || (!known && unanswered.includes('unknown'))) return;
  if (!known) {
    if (req.id !== null) session.replyError(req.id, new StratumError('METHOD_NOT_FOUND', req.method));
    return;
  }
  const handler = HANDLERS[req.method as ClientMethod] as Handler<ClientMethod>;
  handler(session, req as Parameters<Handler<ClientMethod>>[1]);
}
