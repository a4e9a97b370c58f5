import type { ProxyEventData } from '../api/events-contract.js';
import type { LocalShareResult, MinerView, PoolShareResult } from '../core/index.js';

export type { ProxyEvent, ProxyEventData, ProxyEventType } from '../api/events-contract.js';

export function shareData(at: number, r: LocalShareResult): ProxyEventData['share'] {
  return {
    at,
    worker: r.worker,
    accepted: r.accepted,
    reason: r.reason ?? null,
    code: r.code ?? null,
    difficulty: r.difficulty,
    share_difficulty: r.shareDifficulty ?? null,
    forwarded: r.forwarded,
    block_candidate: r.blockCandidate === true,
    job_id: r.jobId,
  };
}

export function poolShareData(at: number, r: PoolShareResult): ProxyEventData['pool-share'] {
  return {
    at,
    worker: r.worker,
    accepted: r.accepted,
    reason: r.reason ?? null,
    difficulty: r.difficulty,
    latency_ms: r.latencyMs,
  };
}

export function disconnectData(at: number, s: MinerView, reason: string): ProxyEventData['disconnect'] {
  return {
    at,
    conn: s.id,
    worker: s.authorized ? s.worker : null,
    remote: s.remoteAddress,
    reason: s.closeReason ?? reason,
  };
}
