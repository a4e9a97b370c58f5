import type { ErrorName } from '../../../stratum/index.js';
import { StratumError } from '../../../stratum/index.js';
import type { TimerHandle } from '../../../runtime/clock.js';
import type { Logger } from '../../../runtime/logger.js';
import type { SessionEffects, ShareEvent } from '../pool-context.js';
import type { PoolSession } from '../pool-session.js';
import type { FaultHost, FaultRuntime } from './fault-actions.js';
import { isInstant, runInstant } from './fault-actions.js';
import type { FaultSpec, FaultSpecInput, FaultTarget } from './fault-spec.js';
import { parseFaultSpec, ScenarioError } from './scenario-file.js';

/** Reported by the pool's 'fault' event: a fault fired ('start') or a lasting one ended ('end'). */
export interface FaultEvent {
  id: string;
  action: FaultSpec['action'];
  phase: 'start' | 'end';
  sessions: string[];
  at: number;
}

export interface FaultInfo {
  id: string;
  action: FaultSpec['action'];
  target: FaultTarget;
  /** Times it fired. */
  fired: number;
  /** Lasting effects of it in force now. */
  active: number;
}

/** Injects faults into a running pool and takes them away again. */
export interface FaultController {
  /** Validates and arms a fault (same shape as a scenario entry); returns its id. */
  inject(spec: FaultSpecInput): string;
  /** Disarms one fault (or all) and ends its lasting effects; false when no such fault is armed. */
  clear(id?: string): boolean;
  list(): FaultInfo[];
}

type Scope = { kind: 'pool' } | { kind: 'session'; id: string } | { kind: 'worker'; worker: string };

interface Armed {
  id: string;
  spec: FaultSpec;
  perSession: boolean;
  /** Timers by session id ('*' for pool-wide ones). */
  timers: Map<string, Set<TimerHandle>>;
  poolShares: number;
  sessionShares: Map<string, number>;
  fired: number;
}

interface Activation {
  fault: Armed;
  scope: Scope;
  sessions: string[];
  endTimer?: TimerHandle;
  rejectCarry: number;
  onEnd?: () => void;
}

const CODE_NAMES: Record<number, ErrorName> = {
  20: 'OTHER',
  21: 'JOB_NOT_FOUND',
  22: 'DUPLICATE_SHARE',
  23: 'LOW_DIFFICULTY',
  24: 'UNAUTHORIZED',
  25: 'NOT_SUBSCRIBED',
};

/**
 * Arms faults on time or share-count triggers, for all connections, each connection, one
 * connection or one worker, and keeps the lasting ones (stall, delay, reject, difficulty, refuse)
 * in force until their duration ends or they are cleared. Instant ones are in fault-actions.ts.
 */
export class FaultEngine implements FaultController {
  private readonly armed = new Map<string, Armed>();
  /** Timers a fault left behind when it fired (reconnect's closeAfter), by fault id. */
  private readonly afterFiring = new Map<string, Set<TimerHandle>>();
  private activations: Activation[] = [];
  private seq = 0;
  private readonly rt: FaultRuntime;

  constructor(
    private readonly pool: FaultHost,
    private readonly log: Logger,
    private readonly emit: (event: FaultEvent) => void,
  ) {
    this.rt = { pool, schedule: (id, fn, ms) => this.scheduleAfterFiring(id, fn, ms) };
  }

  inject(input: FaultSpecInput): string {
    const spec = parseFaultSpec(input);
    this.seq += 1;
    const id = spec.id ?? `fault-${this.seq}`;
    if (this.armed.has(id)) throw new ScenarioError(`fault: id ${JSON.stringify(id)} is already armed`);
    const target = spec.target;
    const perSession = target === 'each' || (typeof target === 'object' && !('worker' in target));
    const fault: Armed = {
      id,
      spec,
      perSession,
      timers: new Map(),
      poolShares: 0,
      sessionShares: new Map(),
      fired: 0,
    };
    this.armed.set(id, fault);
    this.log.info({ fault: id, action: spec.action, target }, 'fault armed');
    if (perSession) {
      for (const s of this.pool.liveSessions())
        if (matchesSessionTarget(target, s)) this.armSession(fault, s);
    } else if (spec.afterShares === undefined) {
      this.onTime(fault, '*', () => this.fire(fault, this.poolTargets(fault), poolScope(target)));
    }
    return id;
  }

  clear(id?: string): boolean {
    for (const [faultId, timers] of this.afterFiring) {
      if (id !== undefined && faultId !== id) continue;
      for (const t of timers) this.clearTimer(t);
      this.afterFiring.delete(faultId);
    }
    const faults = id === undefined ? [...this.armed.values()] : [this.armed.get(id)].filter(isDefined);
    for (const fault of faults) {
      for (const set of fault.timers.values()) for (const t of set) this.clearTimer(t);
      fault.timers.clear();
      this.armed.delete(fault.id);
      for (const act of this.activations.filter((a) => a.fault === fault)) this.end(act);
    }
    return faults.length > 0;
  }

  list(): FaultInfo[] {
    return [...this.armed.values()].map((f) => ({
      id: f.id,
      action: f.spec.action,
      target: f.spec.target,
      fired: f.fired,
      active: this.activations.filter((a) => a.fault === f).length,
    }));
  }

  // ---- hooks from the pool ----

  onSessionOpen(session: PoolSession): void {
    for (const fault of this.armed.values()) {
      if (fault.perSession && matchesSessionTarget(fault.spec.target, session, true)) {
        this.armSession(fault, session);
      }
    }
  }

  onSessionClose(session: PoolSession): void {
    for (const fault of this.armed.values()) {
      const timers = fault.timers.get(session.id);
      if (timers !== undefined) for (const t of timers) this.clearTimer(t);
      fault.timers.delete(session.id);
      fault.sessionShares.delete(session.id);
    }
    for (const act of this.activations) {
      if (act.scope.kind === 'session' && act.scope.id === session.id) this.end(act);
    }
  }

  /** Counts the share toward afterShares triggers (after it was answered). */
  onShare(session: PoolSession, event: ShareEvent): void {
    for (const fault of [...this.armed.values()]) {
      const n = fault.spec.afterShares;
      if (n === undefined) continue;
      const target = fault.spec.target;
      if (fault.perSession) {
        if (!fault.sessionShares.has(session.id)) continue;
        const count = (fault.sessionShares.get(session.id) as number) + 1;
        fault.sessionShares.set(session.id, count);
        if (count === n) this.fire(fault, [session], { kind: 'session', id: session.id });
      } else if (
        target === 'all' ||
        (typeof target === 'object' && 'worker' in target && target.worker === event.worker)
      ) {
        fault.poolShares += 1;
        if (fault.poolShares === n) this.fire(fault, this.poolTargets(fault), poolScope(target));
      }
    }
  }

  effectsFor(session: PoolSession): SessionEffects {
    let stalled = false;
    let replyDelayMs = 0;
    for (const act of this.activations) {
      if (!matchesScope(act.scope, session)) continue;
      if (act.fault.spec.action === 'stall') stalled = true;
      if (act.fault.spec.action === 'delay') replyDelayMs = Math.max(replyDelayMs, act.fault.spec.delay);
    }
    return { stalled, replyDelayMs };
  }

  /** Rejects exactly the requested fraction, spread evenly (fraction 0.5: every second good share). */
  injectedRejection(session: PoolSession): StratumError | undefined {
    for (const act of this.activations) {
      const spec = act.fault.spec;
      if (spec.action !== 'reject' || !matchesScope(act.scope, session)) continue;
      act.rejectCarry += spec.fraction;
      if (act.rejectCarry >= 1 - 1e-9) {
        act.rejectCarry -= 1;
        const name = CODE_NAMES[spec.code] ?? 'OTHER';
        return new StratumError(name, `rejected by fault ${act.fault.id}`);
      }
    }
    return undefined;
  }

  // ---- arming and firing ----

  private armSession(fault: Armed, session: PoolSession): void {
    if (fault.spec.afterShares !== undefined) {
      fault.sessionShares.set(session.id, 0);
      return;
    }
    const scope: Scope = { kind: 'session', id: session.id };
    this.onTime(fault, session.id, () => {
      if (!session.isClosed) this.fire(fault, [session], scope);
    });
  }

  /** Now (no at/every), once after `at`, and then every `every`. */
  private onTime(fault: Armed, key: string, run: () => void): void {
    const { at, every } = fault.spec;
    if (at === undefined && every === undefined) {
      run();
      return;
    }
    this.schedule(
      fault.id,
      key,
      () => {
        run();
        if (every !== undefined && this.armed.get(fault.id) === fault) {
          const repeat = this.pool.clock.setInterval(run, every);
          this.track(fault, key, repeat);
        }
      },
      at ?? (every as number),
    );
  }

  private schedule(faultId: string, key: string, fn: () => void, ms: number): void {
    const fault = this.armed.get(faultId);
    if (fault === undefined) return;
    const timer = this.pool.clock.setTimeout(() => {
      fault.timers.get(key)?.delete(timer);
      fn();
    }, ms);
    this.track(fault, key, timer);
  }

  private scheduleAfterFiring(faultId: string, fn: () => void, ms: number): void {
    let set = this.afterFiring.get(faultId);
    if (set === undefined) {
      set = new Set();
      this.afterFiring.set(faultId, set);
    }
    const timers = set;
    const timer = this.pool.clock.setTimeout(() => {
      timers.delete(timer);
      if (timers.size === 0 && this.afterFiring.get(faultId) === timers) this.afterFiring.delete(faultId);
      fn();
    }, ms);
    timers.add(timer);
  }

  private track(fault: Armed, key: string, timer: TimerHandle): void {
    let set = fault.timers.get(key);
    if (set === undefined) {
      set = new Set();
      fault.timers.set(key, set);
    }
    set.add(timer);
  }

  /** Timeouts and intervals share one set; clearing both ways is harmless. */
  private clearTimer(timer: TimerHandle): void {
    this.pool.clock.clearTimeout(timer);
    this.pool.clock.clearInterval(timer);
  }

  private poolTargets(fault: Armed): PoolSession[] {
    const target = fault.spec.target;
    const live = this.pool.liveSessions();
    if (typeof target === 'object' && 'worker' in target)
      return live.filter((s) => s.workers.has(target.worker));
    return live;
  }

  private fire(fault: Armed, sessions: PoolSession[], scope: Scope): void {
    fault.fired += 1;
    const spec = fault.spec;
    const ids = sessions.map((s) => s.id);
    this.log.info({ fault: fault.id, action: spec.action, sessions: ids }, 'fault fired');
    this.emit({
      id: fault.id,
      action: spec.action,
      phase: 'start',
      sessions: ids,
      at: this.pool.clock.now(),
    });
    if (isInstant(spec)) {
      runInstant({ ...spec, id: fault.id }, sessions, this.rt);
      this.retireIfSpent(fault);
      return;
    }
    const act: Activation = { fault, scope, sessions: ids, rejectCarry: 0 };
    if (spec.action === 'difficulty') act.onEnd = this.spike(sessions, spec);
    if (spec.action === 'refuse') {
      this.pool.setRefusing(spec.mode);
      act.onEnd = () => this.pool.setRefusing(this.refusingMode(act));
    }
    this.activations.push(act);
    if (spec.duration !== undefined) {
      act.endTimer = this.pool.clock.setTimeout(() => this.end(act), spec.duration);
    }
  }

  /** Raises (or lowers) the difficulty; the returned function puts back what it changed. */
  private spike(sessions: PoolSession[], spec: Extract<FaultSpec, { action: 'difficulty' }>): () => void {
    const before = new Map<PoolSession, { was: number; now: number }>();
    const groups = new Map<number, PoolSession[]>();
    for (const s of sessions) {
      const now = spec.difficulty ?? s.difficulty * (spec.factor as number);
      before.set(s, { was: s.difficulty, now });
      groups.set(now, [...(groups.get(now) ?? []), s]);
    }
    for (const [difficulty, group] of groups) this.pool.applyDifficulty(group, difficulty);
    return () => {
      const back = new Map<number, PoolSession[]>();
      for (const [s, { was, now }] of before) {
        if (!s.isClosed && s.difficulty === now) back.set(was, [...(back.get(was) ?? []), s]);
      }
      for (const [difficulty, group] of back) this.pool.applyDifficulty(group, difficulty);
    };
  }

  private refusingMode(ending: Activation): 'refuse' | 'reset' | null {
    for (const act of this.activations) {
      if (act !== ending && act.fault.spec.action === 'refuse') return act.fault.spec.mode;
    }
    return null;
  }

  private end(act: Activation): void {
    const index = this.activations.indexOf(act);
    if (index === -1) return;
    this.activations.splice(index, 1);
    this.pool.clock.clearTimeout(act.endTimer);
    act.onEnd?.();
    const spec = act.fault.spec;
    this.log.info({ fault: act.fault.id, action: spec.action }, 'fault ended');
    this.emit({
      id: act.fault.id,
      action: spec.action,
      phase: 'end',
      sessions: act.sessions,
      at: this.pool.clock.now(),
    });
    if (spec.action === 'stall') for (const s of this.pool.liveSessions()) s.resumeWork();
    this.retireIfSpent(act.fault);
  }

  /**
   * A fault that cannot fire again (no `every`; a pool-wide, worker, session or connection target
   * that already fired) leaves the list once its lasting effect, if any, is over.
   */
  private retireIfSpent(fault: Armed): void {
    if (fault.spec.every !== undefined || fault.spec.target === 'each' || fault.fired === 0) return;
    if (this.activations.some((a) => a.fault === fault)) return;
    if (this.armed.get(fault.id) !== fault) return;
    for (const set of fault.timers.values()) for (const t of set) this.clearTimer(t);
    this.armed.delete(fault.id);
  }
}

/** Per-connection targets; a `session` target only matches sessions live at injection. */
function matchesSessionTarget(target: FaultTarget, s: PoolSession, opening = false): boolean {
  if (target === 'each') return true;
  if (typeof target !== 'object') return false;
  if ('connection' in target) return s.connection === target.connection;
  if ('session' in target) return !opening && s.id === target.session;
  return false;
}

function poolScope(target: FaultTarget): Scope {
  return typeof target === 'object' && 'worker' in target
    ? { kind: 'worker', worker: target.worker }
    : { kind: 'pool' };
}

function matchesScope(scope: Scope, s: PoolSession): boolean {
  switch (scope.kind) {
    case 'pool':
      return true;
    case 'session':
      return scope.id === s.id;
    case 'worker':
      return s.workers.has(scope.worker);
  }
}

function isDefined<T>(v: T | undefined): v is T {
  return v !== undefined;
}
