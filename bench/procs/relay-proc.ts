import { startRelay } from '../relay.js';
import type { RelayTarget } from '../relay.js';
import { childArgument, failStartup, serveParent, tellReady } from './serve-parent.js';

/** The plain TCP relay in its own process, so it costs a process hop exactly as Karoo does. */
async function main(): Promise<void> {
  const relay = await startRelay(childArgument<RelayTarget>());
  serveParent({ connections: () => relay.connections }, () => relay.close());
  tellReady({ port: relay.port });
}

main().catch(failStartup);
