import type { Clock } from '../../runtime/clock.js';
import type { CheckId } from './catalogue.js';
import { CHECKS } from './catalogue.js';
import type { TrackedJob } from '../mining/work-tracker.js';
import type { ProbeSettings } from './probe-session.js';
import { ProbeSession, accepted } from './probe-session.js';
import type { CheckResult, CheckStatus, Evidence } from './report.js';

/** Where a check's evidence starts: a session and a transcript position. */
export interface Mark {
  session: ProbeSession;
  from: number;
}

/** A session that subscribed, authorized and has a job. */
export interface WorkSession {
  session: ProbeSession;
  job: TrackedJob;
}

/** What the target's driver can be asked to do (tests pass the pool simulator's). */
export interface ConformanceHooks {
  newBlock?: () => void | Promise<void>;
}

/** The shared state of one conformance run: settings, sessions and the results so far. */
export class RunContext {
  readonly results = new Map<CheckId, CheckResult>();
  readonly sessions: ProbeSession[] = [];
  readonly startedAt: number;
  main: WorkSession | undefined;
  /** Why no work session could be had, for the checks that needed one. */
  noWorkReason = 'no work from the target';

  constructor(
    readonly settings: ProbeSettings,
    readonly clock: Clock,
    readonly hooks: ConformanceHooks,
    readonly cleanWaitMs: number,
    readonly oversizeBytes: number,
  ) {
    this.startedAt = clock.now();
  }

  /** A new connection labelled A, B, C, ...; throws when the target cannot be reached. */
  async open(): Promise<ProbeSession> {
    const label = String.fromCharCode(65 + (this.sessions.length % 26));
    const session = await ProbeSession.open(label, this.settings);
    this.sessions.push(session);
    return session;
  }

  mark(session: ProbeSession): Mark {
    return { session, from: session.transcript.length };
  }

  record(id: CheckId, status: CheckStatus, reason: string, marks: Mark | readonly Mark[] = []): void {
    if (this.results.has(id)) return;
    const info = CHECKS.find((c) => c.id === id);
    const evidence: Evidence[] = [];
    for (const m of Array.isArray(marks) ? marks : [marks]) {
      for (const e of m.session.transcript.slice(m.from)) {
        evidence.push({ t: e.at - this.startedAt, session: m.session.label, dir: e.dir, line: e.line });
      }
    }
    evidence.sort((a, b) => a.t - b.t);
    this.results.set(id, { id, title: info?.title ?? id, status, reason, evidence });
  }

  has(id: CheckId): boolean {
    return this.results.has(id);
  }

  /** The main session while it is open; else a fresh one that subscribed, authorized and got a job. */
  async workSession(): Promise<WorkSession | undefined> {
    if (this.main !== undefined && !this.main.session.client.isClosed) {
      const latest = this.main.session.tracker.latest;
      return latest === undefined ? undefined : { session: this.main.session, job: latest };
    }
    let session: ProbeSession;
    try {
      session = await this.open();
    } catch (err) {
      this.noWorkReason = (err as Error).message;
      return undefined;
    }
    const sub = await session.subscribe();
    const auth = await session.authorize();
    const job = sub !== undefined && accepted(auth) ? await session.waitForJob() : undefined;
    if (job === undefined) {
      this.noWorkReason = `session ${session.label} got no work after subscribe and authorize`;
      return undefined;
    }
    this.main = { session, job };
    return this.main;
  }

  closeAll(): void {
    for (const s of this.sessions) s.close();
  }
}
