import type { PoolSimulator } from '../../simulator/pool/index.js';
import { startStratumClientPackage } from '../../peers/stratum-client-package.js';
import type { StratumClientHandle, StratumClientWork } from '../../peers/stratum-client-package.js';
import { mineShare } from '../mining/share-miner.js';
import type { RunningRecorder } from '../capture/recording-tap.js';

const STEP_TIMEOUT_MS = 30_000;

/**
 * The npm `stratum-client` package (a real third-party client) through the recorder: a valid
 * share, the same share again (22), a new block (marked), a share on the new job. Its quirks show
 * in the recording: string ids ("mining.subscribe", every submit "mining.submit"), spaces in its
 * lines, authorize sent from inside its subscribe handler. It keeps one module-level socket, so
 * it runs once per process.
 */
export async function runStratumClient(recorder: RunningRecorder, pool: PoolSimulator): Promise<void> {
  const worker = 'fixture.stratum-client';
  const works: StratumClientWork[] = [];
  const answers: boolean[] = [];
  let poke: () => void = () => undefined;
  const handle = startStratumClientPackage({
    server: '127.0.0.1',
    port: recorder.port,
    worker,
    password: 'fixture-secret',
    autoReconnectOnError: false,
    onNewMiningWork: (work) => {
      works.push(work);
      poke();
    },
    onSubmitWorkSuccess: () => {
      answers.push(true);
      poke();
    },
    onSubmitWorkFail: () => {
      answers.push(false);
      poke();
    },
    onError: () => undefined,
  });
  const until = (what: string, ok: () => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`stratum-client: no ${what} in ${STEP_TIMEOUT_MS} ms`)),
        STEP_TIMEOUT_MS,
      );
      poke = () => {
        if (!ok()) return;
        clearTimeout(timer);
        resolve();
      };
      poke();
    });
  const submitFor = async (
    work: StratumClientWork,
    n: number,
  ): Promise<Parameters<StratumClientHandle['submit']>[0]> => {
    const extranonce2 = n.toString(16).padStart(work.extraNonce2Size * 2, '0');
    const share = await mineShare({
      job: {
        jobId: work.jobId,
        prevhash: work.prevhash,
        coinb1: work.coinb1,
        coinb2: work.coinb2,
        merkleBranches: work.merkle_branch,
        version: work.version,
        nbits: work.nbits,
        ntime: work.ntime,
        cleanJobs: work.clean_jobs,
      },
      extranonce1: work.extraNonce1,
      extranonce2,
      goal: { atLeast: work.miningDiff },
    });
    if (share === undefined) throw new Error('stratum-client: no share found');
    return { worker_name: worker, job_id: work.jobId, extranonce2, ntime: share.ntime, nonce: share.nonce };
  };
  try {
    await until('work', () => works.length > 0);
    const first = await submitFor(works[works.length - 1] as StratumClientWork, 1);
    handle.submit(first);
    await until('submit answer', () => answers.length >= 1);
    handle.submit(first);
    await until('duplicate answer', () => answers.length >= 2);
    const seen = works.length;
    recorder.mark('new-block');
    pool.newBlock();
    await until('new work', () => works.slice(seen).some((w) => w.clean_jobs));
    handle.submit(await submitFor(works[works.length - 1] as StratumClientWork, 2));
    await until('submit answer', () => answers.length >= 3);
  } finally {
    handle.shutdown();
  }
}
