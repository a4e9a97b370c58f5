import {
  StratumError,
  checkShare,
  meetsDifficultyKnowing,
  meetsNetworkTarget,
  merkleMemo,
} from '../../stratum/index.js';
import type { SubmitParams, SubmitRequest } from '../../stratum/index.js';
import { HeaderMemory } from './header-memory.js';
import type { BookedJob, JobBook } from './job-book.js';
import type { MinerSession } from './miner-session.js';
import type { PoolVerdict } from './upstream/upstream-connection.js';

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
  /** True when the share went upstream: it met the pool's difficulty, or is a block candidate. */
  forwarded: boolean;
  /** Its hash meets the network target of the job's nbits: a block, whatever the pool's difficulty. */
  blockCandidate?: boolean;
  /** The header hash (internal byte order, hex), when the share was hashed. */
  hash?: string;
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
  hash: string;
  blockCandidate?: boolean;
}

/** The ready upstream session, as the desk sees it. */
export interface ShareForwarder {
  readonly user: string;
  submit(params: SubmitParams): Promise<PoolVerdict>;
}

export interface ShareDeskHooks {
  onLocal: (session: MinerSession, result: LocalShareResult) => void;
  onPool: (session: MinerSession, result: PoolShareResult) => void;
}

/**
 * Every submit, in order: subscribed (25), authorized worker (24), upstream there (20), then the
 * share check (21/20/22/23). The miner is answered at once, exactly once, at its own difficulty;
 * a share that also meets the pool's difficulty goes upstream exactly once (a header hash is
 * never accepted twice while its block lasts, across redials), and the pool's one verdict is booked.
 */
export class ShareDesk {
  private readonly memory: HeaderMemory;

  constructor(
    private readonly jobs: JobBook,
    private readonly hooks: ShareDeskHooks,
  ) {
    this.memory = new HeaderMemory((jobId) => this.jobs.get(jobId)?.block);
  }

  /** Headers remembered for duplicate checks. */
  get remembered(): number {
    return this.memory.size;
  }

  /** A job the miners will get; a clean one on a new block ends the old block's memory. */
  onJob(job: BookedJob, clean: boolean): void {
    if (clean) this.memory.onCleanJob(job.block);
  }

  judge(session: MinerSession, msg: SubmitRequest, upstream: ShareForwarder | undefined): void {
    const p = msg.params;
    const worker = session.workers.has(p.worker) ? p.worker : session.worker;
    const refuse = (reason: string, error: StratumError, extra: Partial<LocalShareResult> = {}): void => {
      session.replyError(msg.id, error);
      this.hooks.onLocal(session, {
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
    const extranonce = session.extranonce;
    if (!session.subscribed || !extranonce)
      return refuse('not-subscribed', StratumError.verdict('NOT_SUBSCRIBED'));
    if (!session.workers.has(p.worker)) {
      return refuse(
        'unauthorized',
        StratumError.verdict('UNAUTHORIZED', `worker ${JSON.stringify(p.worker)} not authorized`),
      );
    }
    if (!upstream) return refuse('upstream-down', StratumError.verdict('OTHER', 'upstream pool unavailable'));

    // Only a job this miner was sent with its current extranonce can hold its work.
    const job = session.hasJob(p.jobId) ? this.jobs.get(p.jobId) : undefined;
    const difficulty = session.requiredDifficulty(p.jobId);
    const verdict = checkShare(p, {
      job: job?.prepared,
      extranonce1: extranonce.extranonce1,
      extranonce2Size: extranonce.extranonce2Size,
      versionMask: session.versionMask,
      difficulty,
      seen: this.memory,
      // Made at the miner's first share: an idle miner carries none.
      memo: (session.merkleMemo ??= merkleMemo()),
    });
    if (!verdict.ok) {
      return refuse(verdict.reason, verdict.error, {
        difficulty,
        ...(verdict.share ? { shareDifficulty: verdict.share.difficulty } : {}),
        ...(verdict.hashHex ? { hash: verdict.hashHex } : {}),
      });
    }
    session.reply(msg.id, true);
    const booked = job as BookedJob;
    // Never a lost block: a share that meets the network target goes up even when the pool's share
    // difficulty is higher (on testnet, regtest and signet it often is).
    const blockCandidate = meetsNetworkTarget(verdict.share.hash, booked.prepared.nbits);
    const forwarded =
      blockCandidate ||
      meetsDifficultyKnowing(verdict.share.hash, verdict.share.difficulty, booked.difficulty);
    this.hooks.onLocal(session, {
      worker,
      accepted: true,
      difficulty,
      shareDifficulty: verdict.share.difficulty,
      jobId: p.jobId,
      forwarded,
      hash: verdict.hashHex,
      ...(blockCandidate ? { blockCandidate } : {}),
    });
    if (!forwarded) return;
    const params: SubmitParams = {
      worker: upstream.user,
      jobId: p.jobId,
      extranonce2: `${extranonce.prefix}${p.extranonce2}`,
      ntime: p.ntime,
      nonce: p.nonce,
      ...(p.versionBits === undefined ? {} : { versionBits: p.versionBits }),
    };
    void upstream.submit(params).then((v) =>
      this.hooks.onPool(session, {
        worker,
        accepted: v.accepted,
        ...(v.error ? { reason: poolReason(v.error.code), code: v.error.code } : {}),
        // A pool that lowered its difficulty since the job credits the share at the lower one
        // (public-pool judges at the current difficulty; the pool simulator at the lower of the two).
        difficulty: Math.min(booked.difficulty, v.poolDifficulty),
        latencyMs: v.latencyMs,
        jobId: p.jobId,
        hash: verdict.hashHex,
        ...(blockCandidate ? { blockCandidate } : {}),
      }),
    );
  }
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
