import type { SubmitRequest } from '../../../stratum/index.js';
import { StratumError, checkShare, toDisplayHex } from '../../../stratum/index.js';
import type { PoolSession } from '../pool-session.js';
import { rejectReason } from './reject-reason.js';

/**
 * Every share is judged for real (stratum's checkShare: sha256d of the assembled header) and
 * answered exactly once: 25 not subscribed, 24 unauthorized worker, then checkShare's 21/20/22/23,
 * then a reject fault may refuse a good one.
 */
export function handleSubmit(session: PoolSession, req: SubmitRequest): void {
  const submit = req.params;
  if (!session.subscribed || session.extranonce1 === undefined) {
    session.rejectShare(
      req.id,
      submit,
      'not-subscribed',
      new StratumError('NOT_SUBSCRIBED'),
      session.difficulty,
    );
    return;
  }
  if (!session.workers.has(submit.worker)) {
    const error = new StratumError(
      'UNAUTHORIZED',
      `worker ${JSON.stringify(submit.worker)} is not authorized`,
    );
    session.rejectShare(req.id, submit, 'unauthorized', error, session.difficulty);
    return;
  }
  const found = session.jobForShare(submit.jobId);
  const verdict = checkShare(submit, {
    job: found.job?.prepared,
    extranonce1: session.extranonce1,
    extranonce2Size: session.extranonce2Size,
    versionMask: session.versionMask,
    difficulty: found.difficulty,
    seen: session.ctx.seen,
  });
  const share = verdict.share;
  const extra =
    share === undefined ? {} : { shareDifficulty: share.difficulty, hash: toDisplayHex(share.hash) };
  if (!verdict.ok) {
    const reason = rejectReason(verdict.error, {
      jobStatus: found.status,
      extranonce2LengthOk: submit.extranonce2.length === session.extranonce2Size * 2,
    });
    session.rejectShare(req.id, submit, reason, verdict.error, found.difficulty, extra);
    return;
  }
  const injected = session.ctx.injectedRejection(session);
  if (injected !== undefined) {
    session.rejectShare(req.id, submit, 'injected', injected, found.difficulty, extra);
    return;
  }
  session.acceptShare(req.id, submit, found.difficulty, {
    shareDifficulty: verdict.share.difficulty,
    hash: toDisplayHex(verdict.share.hash),
  });
}
