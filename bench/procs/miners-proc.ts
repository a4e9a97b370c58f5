import { SessionSwarm } from './session-swarm.js';
import type { SwarmOptions } from './session-swarm.js';
import { childArgument, failStartup, serveParent, tellProgress, tellReady } from './serve-parent.js';

const PROGRESS_EVERY_MS = 1000;

/** A swarm of miner sessions in its own process (each process stays under its open-file limit). */
function main(): void {
  const swarm = new SessionSwarm(childArgument<SwarmOptions>());
  serveParent(
    {
      connect: async () => {
        const timer = setInterval(() => tellProgress({ ...swarm.progress() }), PROGRESS_EVERY_MS);
        try {
          return await swarm.connect();
        } finally {
          clearInterval(timer);
        }
      },
      progress: () => swarm.progress(),
      arm: () => swarm.arm(),
      collect: (payload) => swarm.collect((payload as { timeoutMs: number }).timeoutMs),
    },
    async () => swarm.close(),
  );
  tellReady({});
}

try {
  main();
} catch (err) {
  failStartup(err);
}
