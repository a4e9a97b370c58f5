import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { ProxyStatus } from '../api/index.js';
import type { ProxyConfig } from '../config/types.js';
import type { ProxyEvent } from '../events/index.js';
import type { Health } from '../http/http-server.js';
import type { LimitsSnapshot } from '../limits/index.js';
import type { ReloadReport } from '../reload/reload-proxy.js';

/**
 * The IPC protocol between the primary of `karoo proxy --workers N` and its worker processes (the
 * fork channel, structured clone). Every message carries `karoo`, so messages of other modules on
 * the same channel are told apart.
 */

/** What the primary can ask of a worker, and the answer's type. */
export interface WorkerQuestions {
  status: { status: ProxyStatus; limits: LimitsSnapshot };
  health: Health;
  metrics: MetricObjectWithValues<MetricValue<string>>[];
  /** Apply a config (the primary has loaded and checked the file). */
  reload: ReloadReport;
}
export type Question = keyof WorkerQuestions;

export type ToWorker =
  | { karoo: 'ask'; id: number; what: Question; config?: ProxyConfig }
  /**
   * The config to start with (the answer to `hello`): parsed by the primary, so a worker never
   * loads the config schema (zod: ~6 MB a process).
   */
  | { karoo: 'config'; config: ProxyConfig }
  /** Forward every proxy event (on) or none (off): the primary has /events readers or not. */
  | { karoo: 'events'; on: boolean }
  /** Stop taking miners, close every session and exit 0. */
  | { karoo: 'stop' };

export type FromWorker =
  /** Ready for its config (sent once its channel listener is in place, so nothing is missed). */
  | { karoo: 'hello' }
  | { karoo: 'listening'; url: string; websocketUrl: string | null }
  /** The worker could not start; `usage` when it is the user's to fix (a taken port, a bad file). */
  | { karoo: 'failed'; message: string; usage: boolean }
  | { karoo: 'answer'; id: number; value: unknown }
  | { karoo: 'event'; event: ProxyEvent };

const FROM_WORKER = new Set(['hello', 'listening', 'failed', 'answer', 'event']);
const TO_WORKER = new Set(['ask', 'config', 'events', 'stop']);

function tagged(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const tag = (message as { karoo?: unknown }).karoo;
  return typeof tag === 'string' ? tag : undefined;
}

/** A message from a worker, or false for anything else on the channel. */
export function isFromWorker(message: unknown): message is FromWorker {
  const tag = tagged(message);
  return tag !== undefined && FROM_WORKER.has(tag);
}

/** A message from the primary, or false for anything else on the channel. */
export function isToWorker(message: unknown): message is ToWorker {
  const tag = tagged(message);
  return tag !== undefined && TO_WORKER.has(tag);
}
