import { readFile } from 'node:fs/promises';
import { runProxyCluster } from '../../proxy/cluster/cluster-primary.js';
import { parseConfig } from '../../proxy/config/index.js';
import { silentLogger } from '../../runtime/logger.js';
import { residentBytes } from './bench-child.js';
import { childArgument, failStartup, serveParent, tellReady } from './serve-parent.js';

interface ClusterProcArgument {
  config: Record<string, unknown>;
  workers: number;
}

/**
 * `karoo proxy --workers N` in its own process tree, as the command starts it (runProxyCluster on
 * the parsed config). Commands: state (the first worker upstream not ready, else ready, and the sessions), memory (the VmRSS of
 * the primary and every worker, summed: what the cluster costs the machine), last-broadcast (null:
 * the loop runs in the workers).
 */
async function main(): Promise<void> {
  const { config, workers } = childArgument<ClusterProcArgument>();
  const running = await runProxyCluster({
    config: parseConfig(config),
    workers,
    record: null,
    logger: silentLogger(),
  });
  const port = Number(new URL(running.url.replace(/^stratum\+tcp/, 'http')).port);
  serveParent(
    {
      state: async () => {
        const s = (await running.status()) as {
          upstreams: { state: string }[];
          totals: { miners: number };
        };
        const troubled = s.upstreams.find((u) => u.state !== 'ready');
        return { upstream: troubled?.state ?? 'ready', sessions: s.totals.miners };
      },
      memory: async () => {
        const pids = [process.pid, ...running.pids().filter((p): p is number => p !== undefined)];
        const each = await Promise.all(pids.map((pid) => memoryOf(pid)));
        return {
          rss: each.reduce((a, m) => a + m.rss, 0),
          // What the machine spends: every process's own pages, and the pages they share (Node's
          // code, mapped from one file) once.
          private: each.reduce((a, m) => a + m.private, 0),
          shared: Math.max(...each.map((m) => m.shared)),
          processes: pids.length,
        };
      },
      'last-broadcast': () => null,
    },
    () => running.stop(),
  );
  tellReady({ port });
}

/** VmRSS, and its private and shared parts (/proc/PID/smaps_rollup), in bytes. */
async function memoryOf(pid: number): Promise<{ rss: number; private: number; shared: number }> {
  const rss = (await residentBytes(pid)) ?? 0;
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return {
      rss,
      private: kb('Private_Clean') + kb('Private_Dirty'),
      shared: kb('Shared_Clean') + kb('Shared_Dirty'),
    };
  } catch {
    return { rss, private: rss, shared: 0 };
  }
}

main().catch(failStartup);
