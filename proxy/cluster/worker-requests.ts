import type { Clock, TimerHandle } from '../../runtime/clock.js';
import type { ProxyConfig } from '../config/types.js';
import type { Question, ToWorker, WorkerQuestions } from './cluster-messages.js';

/** Long enough for a status of 20,000 miners; short enough that /status never hangs on a stuck worker. */
export const DEFAULT_ASK_TIMEOUT_MS = 5_000;

/** One worker as the primary reaches it. */
export interface WorkerLine {
  readonly index: number;
  /** False when the channel is gone (the message was not sent). */
  send(message: ToWorker): boolean;
}

interface Pending {
  worker: WorkerLine;
  resolve(value: unknown): void;
  timer: TimerHandle;
}

/**
 * The primary's questions to its workers and their answers, matched by id. Every question is
 * settled exactly once: by the answer, by the timeout, or when its worker goes away (undefined
 * for the last two), so an HTTP request waiting on a worker that died still gets its answer.
 */
export class WorkerRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs = DEFAULT_ASK_TIMEOUT_MS,
  ) {}

  ask<Q extends Question>(
    worker: WorkerLine,
    what: Q,
    extra: { config?: ProxyConfig } = {},
  ): Promise<WorkerQuestions[Q] | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const settle = (value: unknown): void => {
        if (!this.pending.delete(id)) return;
        this.clock.clearTimeout(timer);
        resolve(value as WorkerQuestions[Q] | undefined);
      };
      const timer = this.clock.setTimeout(() => settle(undefined), this.timeoutMs);
      this.pending.set(id, { worker, resolve: settle, timer });
      if (!worker.send({ karoo: 'ask', id, what, ...extra })) settle(undefined);
    });
  }

  /** A worker's answer: settles its question (an answer to nothing pending is ignored). */
  answer(id: number, value: unknown): void {
    this.pending.get(id)?.resolve(value);
  }

  /** The worker went away: its open questions are settled with undefined. */
  forget(worker: WorkerLine): void {
    for (const p of [...this.pending.values()]) if (p.worker === worker) p.resolve(undefined);
  }

  get openCount(): number {
    return this.pending.size;
  }
}
