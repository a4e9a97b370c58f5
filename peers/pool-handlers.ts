import { StratumError } from '../stratum/errors.js';
import type { ClientRequest, RequestOf } from '../stratum/messages.js';
import { checkShare } from '../stratum/share-check.js';
import {
  buildConfigureResult,
  buildSubscribeResult,
  requestedVersionMask,
} from '../stratum/subscribe-result.js';
import { negotiateVersionMask } from '../stratum/version-rolling.js';
import type { JudgedShare, OtherRequest, PoolConnection } from './pool-connection.js';

export type PoolHandler<M extends ClientRequest['method']> = (
  request: RequestOf<M>,
  conn: PoolConnection,
) => void;

/** A script: a handler per Stratum method a miner sends. */
export type PoolHandlers = { [M in ClientRequest['method']]?: PoolHandler<M> };

/** Sends the difficulty and a clean job, once per connection. */
export function sendWork(conn: PoolConnection): void {
  if (conn.working) return;
  conn.working = true;
  conn.setDifficulty(conn.difficulty);
  conn.notify(true);
}

/** The default script: a small honest pool that judges every share with the protocol core. */
export const DEFAULT_HANDLERS: { [M in ClientRequest['method']]: PoolHandler<M> } = {
  'mining.configure': (req, conn) => {
    const asked = requestedVersionMask(req.params.options);
    conn.versionMask = negotiateVersionMask(conn.settings.versionMask, asked);
    conn.answer(req.id, buildConfigureResult(req.params.extensions, conn.versionMask));
  },
  'mining.subscribe': (req, conn) => {
    conn.subscribed = true;
    conn.answer(req.id, buildSubscribeResult('1', conn.extranonce1, conn.extranonce2Size));
  },
  'mining.authorize': (req, conn) => {
    conn.answer(req.id, true);
    sendWork(conn);
  },
  'mining.suggest_difficulty': (req, conn) => conn.answer(req.id, true),
  'mining.extranonce.subscribe': (req, conn) => conn.answer(req.id, true),
  'mining.ping': (req, conn) => conn.answer(req.id, 'pong'),
  'mining.pong': () => undefined,
  pong: () => undefined,
  'mining.submit': (req, conn) => {
    const entry = conn.jobs.get(req.params.jobId);
    const verdict = checkShare(req.params, {
      job: entry?.job,
      extranonce1: conn.extranonce1,
      extranonce2Size: conn.extranonce2Size,
      versionMask: conn.versionMask,
      difficulty: entry?.difficulty ?? conn.difficulty,
      seen: conn.seen,
    });
    const judged: JudgedShare = { worker: req.params.worker, jobId: req.params.jobId, ok: verdict.ok };
    if (!verdict.ok) judged.code = verdict.error.code;
    if (conn.shares.length < conn.settings.keep) conn.shares.push(judged);
    if (verdict.ok) conn.answer(req.id, true);
    else conn.fail(req.id, verdict.error);
  },
};

/** What a pool answers a method it does not know. */
export function methodNotFound(req: OtherRequest, conn: PoolConnection): void {
  conn.fail(req.id, new StratumError('METHOD_NOT_FOUND', req.method));
}

/** A handler for a script that accepts every share without looking at it (a broken pool). */
export const acceptEveryShare: PoolHandler<'mining.submit'> = (req, conn) => conn.answer(req.id, true);
