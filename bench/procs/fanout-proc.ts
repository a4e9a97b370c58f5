import { startFanoutStub } from '../fanout-stub.js';
import { wallMs } from './messages.js';
import { childArgument, failStartup, serveParent, tellReady } from './serve-parent.js';

/**
 * The fan-out floor (a bare Node Stratum stub) in its own process, as Karoo runs in its own.
 * Commands: broadcast (one job to every session: when the loop started, wall clock, and how long
 * it took), sessions.
 */
async function main(): Promise<void> {
  childArgument<Record<string, never>>();
  const stub = await startFanoutStub();
  serveParent(
    {
      broadcast: () => {
        const sentAt = wallMs();
        return { sentAt, loopMs: stub.broadcast() };
      },
      sessions: () => stub.sessions,
    },
    () => stub.close(),
  );
  tellReady({ port: stub.port });
}

main().catch(failStartup);
