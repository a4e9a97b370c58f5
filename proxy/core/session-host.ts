import type { Clock } from '../../runtime/clock.js';
import type { StratumError, SubmitRequest } from '../../stratum/index.js';
import type { MinerSession } from './miner-session.js';

/** What a miner session needs from the proxy around it. */
export interface SessionHost {
  readonly clock: Clock;
  /**
   * Gives a new subscriber its extranonce (sets `session.extranonce`); resolves undefined when it
   * did, else the reason it could not (the upstream not reachable in time, the space full).
   */
  assignExtranonce(session: MinerSession): Promise<string | undefined>;
  /** true, or the error to answer with. */
  authorize(
    session: MinerSession,
    user: string,
    password: string | undefined,
  ): true | StratumError | Promise<true | StratumError>;
  /** Judges a share and answers the miner exactly once. */
  submit(session: MinerSession, msg: SubmitRequest): void;
  /** The version-rolling mask the upstream granted (waits briefly on a cold start). */
  upstreamVersionMask(session: MinerSession): Promise<number>;
  suggestDifficulty(session: MinerSession, difficulty: number): void;
  /** Subscribed or authorized changed: once both, the miner gets its difficulty and a job. */
  onSessionReady(session: MinerSession): void;
  onSessionClosed(session: MinerSession, reason: string): void;
  /** A submit that failed to parse (already answered): booked as a rejected share. */
  malformedSubmit(session: MinerSession, reason: string, code: number): void;
}
