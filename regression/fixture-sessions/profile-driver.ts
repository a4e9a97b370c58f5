import { startMiner } from '../../simulator/miners/index.js';
import type { MinerFaults, MinerProfile } from '../../simulator/miners/index.js';
import type { PoolSimulator } from '../../simulator/pool/index.js';
import type { RunningRecorder } from '../capture/recording-tap.js';

export interface ProfileRun {
  profile: MinerProfile;
  /** Share answers to wait for before the new block, and after it. */
  before: number;
  after: number;
  /** Hashrate cap: low, so a session holds a handful of shares rather than hundreds. */
  hashrate: number;
  faults?: MinerFaults;
  sessions?: number;
}

/** How long a fixture session may take before the generator gives up on it. */
const SESSION_TIMEOUT_MS = 60_000;

/**
 * Runs one simulated miner through the recorder: `before` share answers, a new block (marked in
 * the recording, then made by the pool), `after` more answers, then the miner stops.
 */
export async function runProfile(
  run: ProfileRun,
  recorder: RunningRecorder,
  pool: PoolSimulator,
): Promise<void> {
  const miner = startMiner({
    profile: run.profile,
    url: recorder.url,
    worker: `fixture.${run.profile}`,
    password: 'fixture-secret',
    hashrate: run.hashrate,
    ...(run.faults === undefined ? {} : { faults: run.faults }),
    ...(run.sessions === undefined ? {} : { sessions: run.sessions }),
  });
  let answers = 0;
  let wake: () => void = () => undefined;
  const count = (): void => {
    answers += 1;
    wake();
  };
  miner.on('share-accepted', count);
  miner.on('share-rejected', count);
  const until = (n: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${run.profile}: only ${answers} share answers in ${SESSION_TIMEOUT_MS} ms`)),
        SESSION_TIMEOUT_MS,
      );
      wake = () => {
        if (answers < n) return;
        clearTimeout(timer);
        resolve();
      };
      wake();
    });
  try {
    await until(run.before);
    recorder.mark('new-block');
    pool.newBlock();
    await until(run.before + run.after);
  } finally {
    await miner.stop();
  }
}
