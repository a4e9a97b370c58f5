import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LISTEN_BACKLOG, listenTcp } from './tcp-listener.js';
import type { Listening } from './tcp-listener.js';

let listening: Listening | undefined;
afterEach(async () => {
  await listening?.close();
  listening = undefined;
});

/** The backlog the system gives a listening socket: `ss` shows it as the Send-Q of a LISTEN line. */
function systemBacklog(port: number): number {
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const [state, , sendQ] = line.split(/\s+/);
  expect(state).toBe('LISTEN');
  return Number(sendQ);
}

describe('the miners’ TCP listener', () => {
  it('hands each connection to the sink with its address, and asks the system for a deep backlog', async () => {
    const accepted: string[] = [];
    listening = await listenTcp(
      { accept: (_stream: Duplex, remote?: string) => accepted.push(remote ?? '') },
      '127.0.0.1',
      0,
    );
    const client = net.connect({ host: '127.0.0.1', port: listening.port });
    await new Promise<void>((r) => client.once('connect', () => r()));
    await expect.poll(() => accepted).toEqual([`127.0.0.1:${client.localPort}`]);
    client.destroy();

    // A rack reconnecting at once must not overflow Node's default 511 while the loop is busy.
    const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
    expect(systemBacklog(listening.port)).toBe(Math.min(LISTEN_BACKLOG, somaxconn));
  });
});
