import { expect, vi } from 'vitest';
import { PATIENCE } from '../../../test-support/patience.js';
import type { PoolSimulator, StartPoolOptions } from '../pool-server.js';
import { startPool } from '../pool-server.js';
import type { FoundShare, MinerJob, MineOptions } from './cpu-miner.js';
import { jobFromNotify, mineShare, submitParams } from './cpu-miner.js';
import type { Answer, StratumClientOptions } from '../../../peers/stratum-client.js';
import { StratumClient } from '../../../peers/stratum-client.js';

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

/** Room for the pool's oversize fault (300 kB lines) in one piece. */
export const TEST_CLIENT: StratumClientOptions = { lineCap: 2 * 1024 * 1024 };

export interface ConnectedMiner {
  client: StratumClient;
  worker: string;
  extranonce1: string;
  extranonce2Size: number;
  /** The difficulty announced before the first job. */
  difficulty: number;
  job: MinerJob;
}

export interface ConnectOptions {
  worker?: string;
  password?: string;
  userAgent?: string;
  /** Sent between subscribe and authorize, as NerdMiner does. */
  suggestDifficulty?: number;
  /** mining.configure version-rolling mask to ask for, before subscribe. */
  versionRollingMask?: string;
}

/** A TCP connection to `port` from `localAddress`, as the tests' miners make. */
export function connectClient(port: number, localAddress?: string): Promise<StratumClient> {
  return StratumClient.connect(
    { port, ...(localAddress === undefined ? {} : { localAddress }) },
    TEST_CLIENT,
  );
}

/** configure?, subscribe, suggest?, authorize, then the first set_difficulty and notify. */
export async function connectMiner(port: number, o: ConnectOptions = {}): Promise<ConnectedMiner> {
  return handshake(await connectClient(port), o);
}

/** The handshake of connectMiner on a client that is already connected (TLS, WebSocket, a source address). */
export async function handshake(client: StratumClient, o: ConnectOptions = {}): Promise<ConnectedMiner> {
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
  const auth = await client.request('mining.authorize', [worker, o.password ?? 'x']);
  if (auth.result !== true) throw new Error(`authorize failed: ${auth.line}`);
  const diff = await client.notification('mining.set_difficulty');
  const notify = await client.notification('mining.notify');
  return {
    client,
    worker,
    extranonce1: result[1],
    extranonce2Size: result[2],
    difficulty: Number(diff.params[0]),
    job: jobFromNotify(notify.params),
  };
}

/** Waits until `pool` has accepted `count` shares in all. */
export function poolAccepted(pool: PoolSimulator, count: number): Promise<void> {
  return vi.waitFor(
    () => expect(pool.stats().totals.accepted, `the pool to credit ${count} share(s)`).toBe(count),
    PATIENCE,
  );
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
): Promise<Answer> {
  return miner.client.request('mining.submit', submitParams(worker, jobId, share));
}

/** The Stratum error code of an answer, or null when accepted. */
export function codeOf(answer: Pick<Answer, 'error'>): number | null {
  return Array.isArray(answer.error) ? (answer.error[0] as number) : answer.error === null ? null : -1;
}
