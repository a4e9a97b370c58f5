import type { StratumSessionView } from './bench.js';
import { remoteHost } from './bench.js';

/** How a board was tied to its Stratum session. */
export type BindingMethod = 'worker' | 'remote' | 'timing';

export interface BoundSession {
  readonly session: StratumSessionView;
  readonly by: BindingMethod;
}

/** What the board's console says about it. */
export interface BindingClues {
  /** Worker name it authorized with (from --worker or its "Sending  : {..authorize..}" line). */
  worker?: string | undefined;
  /** Its IP address ("IP address: ..." or "Current ip"). */
  ip?: string | undefined;
  /** When it last subscribed (clock ms), for the timing fallback. */
  subscribedAt?: number | undefined;
}

export interface BindingOptions {
  /** How far a session's connect time may be from the board's subscribe time for a timing match. */
  skewMs: number;
  /** Sessions already tied to other boards are not candidates for remote or timing matches. */
  taken?: ReadonlySet<string>;
}

/**
 * Ties a board to one of the bench's sessions: by worker name when the board's is known (the
 * newest connected session carrying it), else by the board's IP address when exactly one worker
 * connects from it, else by timing when exactly one session connected within `skewMs` of the
 * board's subscription. Undefined when nothing matches unambiguously.
 */
export function bindSession(
  clues: BindingClues,
  sessions: readonly StratumSessionView[],
  options: BindingOptions,
): BoundSession | undefined {
  if (clues.worker !== undefined) {
    const named = newestFirst(sessions.filter((s) => s.worker === clues.worker));
    const pick = named.find((s) => s.connected) ?? named[0];
    if (pick !== undefined) return { session: pick, by: 'worker' };
  }
  const free = sessions.filter((s) => s.connected && !(options.taken?.has(s.worker) ?? false));
  if (clues.ip !== undefined) {
    const fromIp = newestFirst(free.filter((s) => remoteHost(s.remote) === clues.ip));
    if (fromIp.length > 0 && new Set(fromIp.map((s) => s.worker)).size === 1) {
      return { session: fromIp[0]!, by: 'remote' };
    }
  }
  if (clues.subscribedAt !== undefined) {
    const at = clues.subscribedAt;
    const near = free.filter((s) => s.connectedAt !== null && Math.abs(s.connectedAt - at) <= options.skewMs);
    if (near.length === 1) return { session: near[0]!, by: 'timing' };
  }
  return undefined;
}

function newestFirst(sessions: StratumSessionView[]): StratumSessionView[] {
  return [...sessions].sort((a, b) => (b.connectedAt ?? 0) - (a.connectedAt ?? 0));
}
