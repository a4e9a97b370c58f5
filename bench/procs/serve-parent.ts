import type { ChildMessage, CommandMessage } from './messages.js';

export type CommandHandlers = Record<string, (payload: unknown) => unknown>;

function send(msg: ChildMessage): void {
  process.send?.(msg);
}

/** The child's argument: one JSON value in argv[2]. */
export function childArgument<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('expected a JSON argument');
  return JSON.parse(raw) as T;
}

/**
 * Child side of the bench IPC: answers each command once, tells the parent when ready, and exits
 * when the parent goes away (so a crashed or interrupted bench leaves nothing running).
 */
export function serveParent(handlers: CommandHandlers, onStop: () => Promise<void>): void {
  if (!process.send) throw new Error('a bench child must be started with fork()');
  process.on('disconnect', () => process.exit(0));
  process.on('message', (raw: CommandMessage) => {
    if (raw.cmd === 'stop') {
      void onStop().finally(() => {
        send({ type: 'reply', id: raw.id, ok: true, result: null });
        process.disconnect();
      });
      return;
    }
    const handler = handlers[raw.cmd];
    if (!handler) {
      send({ type: 'reply', id: raw.id, ok: false, error: `unknown command ${raw.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(raw.payload))
      .then(
        (result) => send({ type: 'reply', id: raw.id, ok: true, result: result ?? null }),
        (err: unknown) =>
          send({
            type: 'reply',
            id: raw.id,
            ok: false,
            error: err instanceof Error ? err.message : String(err),
          }),
      );
  });
}

export function tellReady(info: Record<string, unknown>): void {
  send({ type: 'ready', info });
}

export function tellProgress(info: Record<string, unknown>): void {
  send({ type: 'progress', info });
}

/** Reports a start-up failure, then exits non-zero once the report is on its way. */
export function failStartup(err: unknown): void {
  const msg: ChildMessage = {
    type: 'fatal',
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  };
  if (!process.send) process.exit(1);
  process.send(msg, () => process.exit(1));
}
