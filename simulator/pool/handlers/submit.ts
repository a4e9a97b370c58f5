import type { SubmitRequest } from '../../../stratum/index.js';
import { StratumError, toDisplayHex } from '../../../stratum/index.js';
import { judgeShare } from '../judge-share.js';
import type { PoolSession } from '../pool-session.js';
import { rejectReason } from './reject-reason.js';

/**
 * Every share is judged for real (stratum's checkShare: sha256d of the assembled header, with the
 * profile's rules in front: judge-share.ts) and answered exactly once: 25 not subscribed, 24
 * unauthorized worker, then checkShare's 21/20/22/23, then a reject fault may refuse a good one.
 * public-pool closes the connection instead for a submit before subscribe and authorize. A share
 * meeting the network target is a block: the books count it and the next block starts.
 */
export function handleSubmit(session: PoolSession, req: SubmitRequest): void {
  const submit = req.params;
  const { profile } = session.ctx;
  if (profile.submitTooEarly === 'close' && !session.ready) {
    session.log.info('submit before subscribe and authorize; closing, as this pool does');
    session.close('submit-too-early');
    return;
  }
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
  if (profile.shares.workerChecked && !session.workers.has(submit.worker)) {
    const error = new StratumError(
      'UNAUTHORIZED',
      `worker ${JSON.stringify(submit.worker)} is not authorized`,
    );
    session.rejectShare(req.id, submit, 'unauthorized', error, session.difficulty);
    return;
  }
  const found = session.jobForShare(submit.jobId);
  const { verdict, credited, block } = judgeShare(submit, {
    profile,
    job: found.job?.prepared,
    extranonce1: session.extranonce1,
    extranonce2Size: session.extranonce2Size,
    sessionMask: session.versionMask,
    poolMask: session.ctx.options.versionMask,
    difficulty: found.difficulty,
    seen: session.ctx.seen,
  });
  const share = verdict.share;
  const extra = {
    ...(share === undefined ? {} : { shareDifficulty: share.difficulty, hash: toDisplayHex(share.hash) }),
    ...(block ? { block } : {}),
  };
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
    // A refused share finds no block.
    const { block: _lost, ...kept } = extra;
    session.rejectShare(req.id, submit, 'injected', injected, found.difficulty, kept);
    return;
  }
  session.acceptShare(req.id, submit, credited, {
    shareDifficulty: verdict.share.difficulty,
    hash: toDisplayHex(verdict.share.hash),
    ...(block ? { block } : {}),
  });
}
