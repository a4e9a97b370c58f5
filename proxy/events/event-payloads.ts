import type { LocalShareResult, MinerView, PoolShareResult } from '../core/index.js';

/** The data of each server-sent event (`at`: ms since the epoch). The dashboard depends on these. */
export interface ProxyEventData {
  hello: { at: number; version: string };
  share: {
    at: number;
    worker: string;
    accepted: boolean;
    reason: string | null;
    code: number | null;
    difficulty: number;
    share_difficulty: number | null;
    forwarded: boolean;
    job_id: string;
  };
  'pool-share': {
    at: number;
    worker: string;
    accepted: boolean;
    reason: string | null;
    difficulty: number;
    latency_ms: number;
  };
  vardiff: { at: number; worker: string; from: number; to: number; reason: string };
  connect: { at: number; conn: number; remote: string };
  disconnect: { at: number; conn: number; worker: string | null; remote: string; reason: string };
  upstream: { at: number; state: string; url: string; last_error: string | null };
}

export type ProxyEventType = keyof ProxyEventData;

/** One event as it goes on the wire. */
export type ProxyEvent = { [T in ProxyEventType]: { type: T; data: ProxyEventData[T] } }[ProxyEventType];

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
