import { spawn } from 'node:child_process';
import net from 'node:net';
import { expect, onTestFinished, vi } from 'vitest';
import { PATIENCE } from '../../../test-support/patience.js';

/** A real SOCKS5 server for a test: `microsocks` (Debian's microsocks package) on 127.0.0.1. */
export interface SocksServer {
  port: number;
  /** What it logged so far: one `client[N] IP: connected to HOST:PORT` line per tunnel it opened. */
  log(): string;
}

/**
 * Starts microsocks on a free 127.0.0.1 port (with username/password authentication when given)
 * and stops it, by its own pid, when the calling test finishes.
 */
export async function startMicrosocks(auth?: { username: string; password: string }): Promise<SocksServer> {
  const port = await freePort();
  const args = [
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    ...(auth ? ['-u', auth.username, '-P', auth.password] : []),
  ];
  const child = spawn('microsocks', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let failed: Error | undefined;
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  child.once('error', (err) => (failed = err));
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });
  await vi.waitFor(async () => {
    expect(failed?.message, 'microsocks must be installed (apt-get install microsocks)').toBeUndefined();
    expect(await accepts(port), `microsocks listening on ${port}`).toBe(true);
  }, PATIENCE);
  return { port, log: () => log };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
