import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelay } from './relay.js';
import type { Relay } from './relay.js';

let relay: Relay | undefined;
let echo: net.Server | undefined;
const upstreamClosed: Promise<void>[] = [];

afterEach(async () => {
  await relay?.close();
  await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
  relay = undefined;
  echo = undefined;
});

/** An upstream that echoes every byte back upper-cased, and notes when a connection closes. */
async function startUpper(): Promise<number> {
  echo = net.createServer((s) => {
    upstreamClosed.push(new Promise((r) => s.on('close', () => r())));
    s.on('data', (d: Buffer) => s.write(d.toString().toUpperCase()));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => echo?.listen(0, '127.0.0.1', () => r()));
  return (echo.address() as AddressInfo).port;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('plain TCP relay (the latency baseline)', () => {
  it('carries bytes both ways unchanged in order, for several connections', async () => {
    relay = await startRelay({ host: '127.0.0.1', port: await startUpper() });
    const clients = await Promise.all([connect(relay.port), connect(relay.port)]);
    const replies = clients.map(
      (c, i) =>
        new Promise<string>((resolve) => {
          let got = '';
          c.on('data', (d: Buffer) => {
            got += d.toString();
            if (got.length >= 2000) resolve(got);
          });
          c.write(`${i}`.repeat(1000));
          c.write('ab'.repeat(500));
        }),
    );
    expect(await Promise.all(replies)).toEqual([
      '0'.repeat(1000) + 'AB'.repeat(500),
      '1'.repeat(1000) + 'AB'.repeat(500),
    ]);
    expect(relay.connections).toBe(2);
    for (const c of clients) c.destroy();
  });

  it('closes the upstream leg when the client leaves, and the client when the upstream goes', async () => {
    relay = await startRelay({ host: '127.0.0.1', port: await startUpper() });
    const c = await connect(relay.port);
    c.write('x');
    await new Promise((r) => c.once('data', r));
    c.destroy();
    await upstreamClosed.at(-1);

    const dead = await startRelay({ host: '127.0.0.1', port: 1 });
    try {
      const orphan = await connect(dead.port);
      await new Promise<void>((r) => orphan.on('close', () => r()));
      expect(orphan.destroyed).toBe(true);
    } finally {
      await dead.close();
    }
  });
});
