import type { PoolSimulator, StartPoolOptions } from '../pool-server.js';
import { startPool } from '../pool-server.js';
import type { FoundShare, MinerJob, MineOptions } from './cpu-miner.js';
import { jobFromNotify, mineShare, submitParams } from './cpu-miner.js';
import type { RpcAnswer } from './scripted-client.js';
import { ScriptedClient } from './scripted-client.js';

/** Low enough that a share takes a few thousand hashes (milliseconds), high enough to be refused often. */
export const TEST_DIFFICULTY = 1e-6;

/** A pool for tests: port 0, no timers unless asked, low difficulty. */
export function startTestPool(options: StartPoolOptions = {}): Promise<PoolSimulator> {
  return startPool({
    host: '127.0.0.1',
    port: 0,
    difficulty: TEST_DIFFICULTY,
    // Tests judge suggestions against a wide ceiling; the CLI default caps them for the demo.
    maxDifficulty: 2 ** 32,
    jobIntervalSeconds: 0,
    blockIntervalSeconds: 0,
    ...options,
  });
}

export interface ConnectedMiner {
  client: ScriptedClient;
  worker: string;
  extranonce1: string;
  extranonce2Size: number;
  /** The difficulty announced before the first job. */
  difficulty: number;
  job: MinerJob;
}

export interface ConnectOptions {
  worker?: string;
  userAgent?: string;
  /** Sent between subscribe and authorize, as NerdMiner does. */
  suggestDifficulty?: number;
  /** mining.configure version-rolling mask to ask for, before subscribe. */
  versionRollingMask?: string;
}

/** configure?, subscribe, suggest?, authorize, then the first set_difficulty and notify. */
export async function connectMiner(port: number, o: ConnectOptions = {}): Promise<ConnectedMiner> {
  const client = await ScriptedClient.connect(port);
  const worker = o.worker ?? 'alice.rig1';
  if (o.versionRollingMask !== undefined) {
    await client.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': o.versionRollingMask, 'version-rolling.min-bit-count': 2 },
    ]);
  }
  const sub = await client.request('mining.subscribe', [o.userAgent ?? 'scripted-client/1.0']);
  const result = sub.result as [unknown, string, number];
  if (o.suggestDifficulty !== undefined)
    client.send({ id: 50, method: 'mining.suggest_difficulty', params: [o.suggestDifficulty] });
  const auth = await client.request('mining.authorize', [worker, 'x']);
  if (auth.result !== true) throw new Error(`authorize failed: ${JSON.stringify(auth)}`);
  const diff = await client.notification('mining.set_difficulty');
  const notify = await client.notification('mining.notify');
  return {
    client,
    worker,
    extranonce1: result[1],
    extranonce2Size: result[2],
    difficulty: diff.params[0] as number,
    job: jobFromNotify(notify.params),
  };
}

/** extranonce2 of the session's size from a counter. */
export function en2(miner: Pick<ConnectedMiner, 'extranonce2Size'>, n = 0): string {
  return n.toString(16).padStart(miner.extranonce2Size * 2, '0');
}

let en2Counter = 1;

/** A share meeting `difficulty` (default the miner's) for `job` (default its first job). */
export function findShare(
  miner: ConnectedMiner,
  o: Partial<MineOptions> & { job?: MinerJob } = {},
): FoundShare {
  en2Counter += 1;
  return mineShare(o.job ?? miner.job, {
    extranonce1: miner.extranonce1,
    extranonce2: en2(miner, en2Counter),
    difficulty: miner.difficulty,
    ...o,
  });
}

export function submit(
  miner: ConnectedMiner,
  share: FoundShare,
  jobId = miner.job.jobId,
  worker = miner.worker,
): Promise<RpcAnswer> {
  return miner.client.request('mining.submit', submitParams(worker, jobId, share));
}

/** The Stratum error code of an answer, or null when accepted. */
export function codeOf(answer: RpcAnswer): number | null {
  return Array.isArray(answer.error) ? (answer.error[0] as number) : answer.error === null ? null : -1;
}
