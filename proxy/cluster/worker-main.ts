/** The entry point of each worker process of `karoo proxy --workers N` (forked by node:cluster). */
import { runClusterWorker, workerSpecFromEnv } from './cluster-worker.js';

await runClusterWorker(workerSpecFromEnv(process.env), process as Parameters<typeof runClusterWorker>[1]);
