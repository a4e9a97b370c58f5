import { startPool } from '../../simulator/pool/index.js';
import type { StartPoolOptions } from '../../simulator/pool/index.js';
import { wallMs } from './messages.js';
import { childArgument, failStartup, serveParent, tellReady } from './serve-parent.js';

/**
 * The pool simulator in its own process. Commands: new-job (a job to every session; `sentAt` is
 * taken right after the write, since making a mainnet-sized job takes far longer than sending it),
 * stats.
 */
async function main(): Promise<void> {
  const pool = await startPool(childArgument<StartPoolOptions>());
  serveParent(
    {
      'new-job': () => {
        const job = pool.newJob();
        return { jobId: job.jobId, sentAt: wallMs() };
      },
      stats: () => pool.stats(),
    },
    () => pool.close(),
  );
  tellReady({ port: pool.port });
}

main().catch(failStartup);
