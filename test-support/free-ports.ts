import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';

/**
 * `count` distinct ports free on `host` right now: each is bound at once (so none repeats) and
 * released before returning. Containers on the host network then listen on them.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, resolve);
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** A port nothing listens on right now (bound, then released): to dial and be refused, or to listen on. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host);
  return port as number;
}

/**
 * A loopback port that refuses connections, for "cannot connect" tests. A port `freePort()` found
 * free is handed by the system to the next socket that listens on port 0 (test files run side by
 * side), and a refusal test that loses that race connects to someone else's server and hangs:
 * this port lies below the ephemeral range (32768 and up on Linux), where the system never hands
 * one out and no test listens. Port 2: 1 is on fetch's list of blocked ports (fetch refuses it
 * without dialling). Checked on each call, so a machine where it does accept fails here, plainly.
 */
export async function refusedPort(host = '127.0.0.1'): Promise<number> {
  const port = 2;
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
  if (!refused) throw new Error(`refusedPort: ${host}:${port} does not refuse connections on this machine`);
  return port;
}
