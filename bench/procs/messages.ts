/** Messages between the bench (parent) and its child processes, over the fork IPC channel. */

/** Parent to child: one command, answered once by a `reply` with the same id. */
export interface CommandMessage {
  id: number;
  cmd: string;
  payload?: unknown;
}

export type ChildMessage =
  | { type: 'ready'; info: Record<string, unknown> }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'progress'; info: Record<string, unknown> }
  | { type: 'fatal'; error: string };

/**
 * Milliseconds on a clock every process on the machine shares (the wall clock, with
 * sub-millisecond resolution): how a time taken in one process is compared with one taken in another.
 */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}
