import { parseConfig } from '../../proxy/config/index.js';
import { runProxy } from '../../proxy/run-proxy.js';
import { silentLogger } from '../../runtime/logger.js';
import { childArgument, failStartup, serveParent, tellReady } from './serve-parent.js';

interface MemoryReport {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Karoo in its own process, started from a config the way `karoo proxy --config` starts it.
 * Commands: state (upstream state and sessions), memory (after a full GC when --expose-gc),
 * last-broadcast (how long the proxy's loop sending the last job to every session took), totals.
 */
async function main(): Promise<void> {
  const running = await runProxy(parseConfig(childArgument<Record<string, unknown>>()), silentLogger());
  const { proxy } = running;
  // The proxy's own listener on 'job' sends the notify to every session, synchronously; one just
  // before it and one just after time that loop (encoding and writes), apart from delivery.
  let loopStart = 0;
  let broadcast: { ms: number; sessions: number } | null = null;
  proxy.upstream.prependListener('job', () => {
    loopStart = performance.now();
  });
  proxy.upstream.on('job', () => {
    broadcast = { ms: performance.now() - loopStart, sessions: proxy.sessions.size };
  });
  serveParent(
    {
      state: () => {
        let ready = 0;
        for (const s of proxy.sessions) if (s.ready) ready += 1;
        return { upstream: proxy.upstream.state, sessions: proxy.sessions.size, ready };
      },
      memory: (): MemoryReport => {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (gc) {
          gc();
          gc();
        }
        const m = process.memoryUsage();
        return {
          rss: m.rss,
          heapUsed: m.heapUsed,
          heapTotal: m.heapTotal,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
        };
      },
      'last-broadcast': () => broadcast,
      totals: () => {
        const { local, pool } = proxy.book.snapshot();
        return {
          accepted: local.totals.accepted,
          rejected: local.totals.rejected,
          forwarded: proxy.book.totalForwarded,
          poolAccepted: pool.totals.accepted,
        };
      },
    },
    () => running.stop(),
  );
  tellReady({ port: running.stratum.port });
}

main().catch(failStartup);
