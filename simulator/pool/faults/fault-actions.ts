import type { Clock } from '../../../runtime/clock.js';
import type { PoolSession } from '../pool-session.js';
import type { FaultSpec, FaultSpecOf } from './fault-spec.js';

/** What the faults need from the pool. */
export interface FaultHost {
  readonly clock: Clock;
  /** Where client.reconnect sends miners by default: the pool itself. */
  reconnectTarget(): { host: string; port: number };
  liveSessions(): PoolSession[];
  applyDifficulty(sessions: readonly PoolSession[], difficulty: number): void;
  /** One new job of the current block, sent to these sessions only. */
  sendFreshJob(sessions: readonly PoolSession[], options: { clean: boolean; branches?: number }): void;
  allocateExtranonce1(): string;
  /** Refuse (or reset) new connections; null accepts again. */
  setRefusing(mode: 'refuse' | 'reset' | null): void;
}

export interface FaultRuntime {
  readonly pool: FaultHost;
  /** A timer that is cancelled when the pool closes or the fault is cleared. */
  schedule(faultId: string, fn: () => void, ms: number): void;
}

type InstantAction = Exclude<FaultSpec['action'], 'stall' | 'delay' | 'reject' | 'difficulty' | 'refuse'>;
type InstantRunner<A extends InstantAction> = (
  spec: FaultSpecOf<A> & { id: string },
  sessions: readonly PoolSession[],
  rt: FaultRuntime,
) => void;

const OVERSIZE_PREFIX = '{"id":null,"method":"client.show_message","params":["';
const OVERSIZE_SUFFIX = '"]}';

/** A well-formed JSON line of exactly `bytes` bytes (newline excluded). */
export function oversizeLine(bytes: number): string {
  const fill = Math.max(0, bytes - OVERSIZE_PREFIX.length - OVERSIZE_SUFFIX.length);
  return OVERSIZE_PREFIX + 'x'.repeat(fill) + OVERSIZE_SUFFIX;
}

/** One function per fault that acts once (the lasting ones are in fault-engine.ts). */
export const INSTANT_ACTIONS: { [A in InstantAction]: InstantRunner<A> } = {
  drop: (_spec, sessions) => {
    for (const s of sessions) s.drop('fault');
  },
  garbage: (spec, sessions) => {
    for (const s of sessions) s.sendRaw(spec.text);
  },
  oversize: (spec, sessions) => {
    const line = oversizeLine(spec.bytes);
    for (const s of sessions) s.sendRaw(line);
  },
  reconnect: (spec, sessions, rt) => {
    const self = rt.pool.reconnectTarget();
    const params = {
      host: spec.host ?? self.host,
      port: spec.port ?? self.port,
      waitSeconds: spec.waitSeconds,
    };
    for (const s of sessions) {
      s.notify('client.reconnect', params);
      if (spec.closeAfter !== undefined) rt.schedule(spec.id, () => s.close('fault'), spec.closeAfter);
    }
  },
  'set-extranonce': (spec, sessions, rt) => {
    const subscribed = sessions.filter((s) => s.subscribed);
    for (const s of subscribed) {
      const extranonce1 = spec.extranonce1?.toLowerCase() ?? rt.pool.allocateExtranonce1();
      s.setExtranonce(extranonce1, spec.extranonce2Size ?? s.extranonce2Size);
    }
    rt.pool.sendFreshJob(subscribed, { clean: true });
  },
  'set-version-mask': (spec, sessions) => {
    const mask = Number.parseInt(spec.mask, 16) >>> 0;
    for (const s of sessions) {
      s.versionMask = mask;
      s.notify('mining.set_version_mask', { mask: mask.toString(16).padStart(8, '0') });
    }
  },
  'huge-notify': (spec, sessions, rt) => {
    rt.pool.sendFreshJob(sessions, { clean: false, branches: spec.branches });
  },
};

export function isInstant(spec: FaultSpec): spec is Extract<FaultSpec, { action: InstantAction }> {
  return Object.hasOwn(INSTANT_ACTIONS, spec.action);
}

export function runInstant(
  spec: Extract<FaultSpec, { action: InstantAction }> & { id: string },
  sessions: readonly PoolSession[],
  rt: FaultRuntime,
): void {
  const runner = INSTANT_ACTIONS[spec.action] as InstantRunner<InstantAction>;
  runner(spec as never, sessions, rt);
}
