import { StratumError, checkShare, meetsDifficulty } from '../stratum/index.js';
import type { SeenShares, SubmitRequest } from '../stratum/index.js';
import type { JobBook } from './jobs/job-book.js';
import type { MinerSession } from './session/miner-session.js';
import type { PoolVerdict } from './upstream/upstream-connection.js';
import type { UpstreamManager } from './upstream/upstream-manager.js';

export interface LocalShareResult {
  worker: string;
  accepted: boolean;
  /** Why it was refused: a share-check reason or 'not-subscribed', 'unauthorized', 'upstream-down'. */
  reason?: string;
  code?: number;
  /** The difficulty the share had to meet. */
  difficulty: number;
  /** The share's own difficulty, when it was hashed. */
  shareDifficulty?: number;
  jobId: string;
  /** True when the share met the pool's difficulty and went upstream. */
  forwarded: boolean;
}

export interface PoolShareResult {
  worker: string;
  accepted: boolean;
  reason?: string;
  code?: number;
  /** The pool difficulty the share was credited at. */
  difficulty: number;
  latencyMs: number;
  jobId: string;
}

export interface PipelineDeps {
  jobs: JobBook;
  seen: SeenShares;
  upstream: UpstreamManager;
  onLocal: (session: MinerSession, result: LocalShareResult) => void;
  onPool: (session: MinerSession, result: PoolShareResult) => void;
}

/**
 * Every submit, in order: subscribed (25), authorized worker (24), upstream there (20), then the
 * share check (21/20/22/23). The miner is answered at once at its own difficulty; a share that
 * also meets the pool's difficulty goes upstream exactly once, and the pool's verdict is booked.
 */
export function handleSubmit(deps: PipelineDeps, session: MinerSession, msg: SubmitRequest): void {
  const p = msg.params;
  const worker = session.workers.has(p.worker) ? p.worker : session.worker;
  const refuse = (reason: string, error: StratumError, extra: Partial<LocalShareResult> = {}): void => {
    session.replyError(msg.id, error);
    deps.onLocal(session, {
      worker,
      accepted: false,
      reason,
      code: error.code,
      difficulty: session.sentDifficulty,
      jobId: p.jobId,
      forwarded: false,
      ...extra,
    });
  };
  if (!session.subscribed || !session.extranonce)
    return refuse('not-subscribed', new StratumError('NOT_SUBSCRIBED'));
  if (!session.workers.has(p.worker)) {
    return refuse(
      'unauthorized',
      new StratumError('UNAUTHORIZED', `worker ${JSON.stringify(p.worker)} not authorized`),
    );
  }
  const upstream = deps.upstream.current;
  if (!upstream) return refuse('upstream-down', new StratumError('OTHER', 'upstream pool unavailable'));

  const job = deps.jobs.get(p.jobId);
  const difficulty = session.requiredDifficulty(p.jobId);
  const verdict = checkShare(p, {
    job: job?.prepared,
    extranonce1: session.extranonce.extranonce1,
    extranonce2Size: session.extranonce.extranonce2Size,
    versionMask: session.versionMask,
    difficulty,
    seen: deps.seen,
  });
  if (!verdict.ok) {
    return refuse(verdict.reason, verdict.error, {
      difficulty,
      ...(verdict.share ? { shareDifficulty: verdict.share.difficulty } : {}),
    });
  }
  session.reply(msg.id, true);
  const upstreamJob = job as NonNullable<typeof job>;
  const forwarded = meetsDifficulty(verdict.share.hash, upstreamJob.difficulty);
  deps.onLocal(session, {
    worker,
    accepted: true,
    difficulty,
    shareDifficulty: verdict.share.difficulty,
    jobId: p.jobId,
    forwarded,
  });
  if (!forwarded) return;
  const params = {
    worker: upstream.endpoint.user,
    jobId: p.jobId,
    extranonce2: `${session.extranonce.prefix}${p.extranonce2}`,
    ntime: p.ntime,
    nonce: p.nonce,
    ...(p.versionBits === undefined ? {} : { versionBits: p.versionBits }),
  };
  void upstream.submit(params).then((v: PoolVerdict) =>
    deps.onPool(session, {
      worker,
      accepted: v.accepted,
      ...(v.error ? { reason: poolReason(v.error.code), code: v.error.code } : {}),
      difficulty: upstreamJob.difficulty,
      latencyMs: v.latencyMs,
      jobId: p.jobId,
    }),
  );
}

function poolReason(code: number): string {
  switch (code) {
    case 21:
      return 'stale';
    case 22:
      return 'duplicate';
    case 23:
      return 'low-difficulty';
    case 24:
      return 'unauthorized';
    case 25:
      return 'not-subscribed';
    default:
      return 'other';
  }
}
