import type { Clock, TimerHandle } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { oneLine } from '../proxy/api/http-get.js';
import { fetchStatus } from '../proxy/api/status-client.js';
import type { DashOptions } from './dash-options.js';
import { initialState, reduce } from './view/dash-state.js';
import type { DashState } from './view/dash-state.js';
import { plainReport } from './view/plain-report.js';

export interface PlainIo {
  out: (text: string) => void;
  err: (text: string) => void;
  clock?: Clock;
  /** Resolves when the loop should end (SIGINT/SIGTERM in the CLI). */
  stopped?: Promise<void>;
}

/**
 * No terminal: a plain-text table of every worker every `intervalMs`, or once with `once`.
 * Returns the exit code: 0, or 1 when `once` could not read /status.
 */
export async function runPlain(options: DashOptions, io: PlainIo): Promise<number> {
  const clock = io.clock ?? systemClock;
  const url = options.base.origin;
  let state: DashState = initialState(clock.now());
  const readOnce = async (): Promise<boolean> => {
    try {
      const status = await fetchStatus({ base: options.base, token: options.token });
      state = reduce(state, { type: 'link', at: clock.now(), phase: 'polling' });
      state = reduce(state, { type: 'status', at: clock.now(), status });
      return true;
    } catch (err) {
      state = reduce(state, { type: 'link', at: clock.now(), phase: 'down', error: oneLine(err) });
      if (options.once) io.err(`karoo dash: ${url}: ${oneLine(err)}\n`);
      return false;
    }
  };
  if (options.once) {
    const ok = await readOnce();
    if (ok) io.out(plainReport(state, url, clock.now()));
    return ok ? 0 : 1;
  }
  let stop = false;
  let timer: TimerHandle | undefined;
  let wake: (() => void) | undefined;
  void io.stopped?.then(() => {
    stop = true;
    clock.clearTimeout(timer);
    wake?.();
  });
  while (!stop) {
    await readOnce();
    if (stop) break;
    io.out(`${plainReport(state, url, clock.now())}\n`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      timer = clock.setTimeout(resolve, options.intervalMs);
    });
  }
  return 0;
}
