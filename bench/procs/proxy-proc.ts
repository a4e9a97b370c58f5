import { getHeapSnapshot, getHeapSpaceStatistics } from 'node:v8';
import { parseConfig } from '../../proxy/config/index.js';
import { runProxy } from '../../proxy/run-proxy.js';
import { silentLogger } from '../../runtime/logger.js';
import { tallyHeap } from '../heap-breakdown.js';
import type { HeapSnapshotJson, HeapTally } from '../heap-breakdown.js';
import { childArgument, failStartup, serveParent, tellReady } from './serve-parent.js';

interface MemoryReport {
  rss: number;
  /** V8's young generation (new space) as committed now: a burst of work grows it for a while. */
  young: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Karoo in its own process, started from a config the way `karoo proxy --config` starts it.
 * Commands: state (upstream state and sessions), memory (after a full GC when --expose-gc; with the
 * young generation's size),
 * last-broadcast (how long the proxy's loop sending the last job to every session took), totals,
 * heap-tally (a heap snapshot's objects by constructor, after a full GC when --expose-gc).
 */
async function main(): Promise<void> {
  const running = await runProxy(parseConfig(childArgument<Record<string, unknown>>()), silentLogger());
  const { core } = running;
  // The core announces a job just before its synchronous loop that sends it to every session, and
  // again after it: the two time that loop (encoding and writes), apart from delivery.
  let loopStart = 0;
  let broadcast: { ms: number; sessions: number } | null = null;
  core.on('job', () => {
    loopStart = performance.now();
  });
  core.on('job-sent', (_jobId, miners) => {
    broadcast = { ms: performance.now() - loopStart, sessions: miners };
  });
  serveParent(
    {
      state: () => {
        const snap = core.snapshot();
        const ready = snap.miners.filter((m) => m.ready).length;
        return { upstream: snap.upstream.state, sessions: snap.minerCount, ready };
      },
      memory: (): MemoryReport => {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (gc) {
          gc();
          gc();
        }
        const m = process.memoryUsage();
        const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
        return {
          rss: m.rss,
          young: young?.space_size ?? 0,
          heapUsed: m.heapUsed,
          heapTotal: m.heapTotal,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
        };
      },
      'last-broadcast': () => broadcast,
      'heap-tally': () => heapTally(),
      totals: () => {
        const { local, pool, forwardedTotal } = core.snapshot({ miners: false }).books;
        return {
          accepted: local.totals.accepted,
          rejected: local.totals.rejected,
          forwarded: forwardedTotal,
          poolAccepted: pool.totals.accepted,
        };
      },
    },
    () => running.stop(),
  );
  tellReady({ port: running.stratum.port });
}

async function heapTally(): Promise<HeapTally> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  return tallyHeap(JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshotJson);
}

main().catch(failStartup);
