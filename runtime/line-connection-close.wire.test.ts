import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PATIENCE } from '../test-support/patience.js';
import { LineConnection } from './line-connection.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('LineConnection.close over TCP', () => {
  it('delivers the last line and a clean end even while the peer is still sending: no reset, whatever was unread', async () => {
    let conn: LineConnection | undefined;
    const server = net.createServer((socket) => {
      conn = new LineConnection(socket, { lineCap: 1024 });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', r));
    await vi.waitFor(() => expect(conn).toBeDefined(), PATIENCE);

    // The peer keeps writing lines the server never reads (a miner's submits in flight)...
    const flood = setInterval(() => client.write(`${'{"id":1,"method":"mining.submit"}\n'.repeat(200)}`), 1);
    let received = '';
    let error: Error | undefined;
    client.on('data', (d: Buffer) => (received += d.toString()));
    client.on('error', (err) => (error = err));
    // The peer stops writing once it sees our FIN (a miner reconnects).
    client.once('end', () => clearInterval(flood));
    const ended = new Promise<void>((r) => client.once('close', () => r()));
    await new Promise((r) => setTimeout(r, 50));
    conn?.pause();
    await new Promise((r) => setTimeout(r, 50));

    // ...when the server says its last word and closes (client.reconnect before a re-split).
    // The peer reads it only later (a firmware loop busy hashing): the close must not have
    // turned into a reset that throws its unread bytes away meanwhile.
    client.pause();
    conn?.send('{"id":null,"method":"client.reconnect","params":[]}');
    conn?.close('local');
    await new Promise((r) => setTimeout(r, 200));
    client.resume();
    await ended;
    clearInterval(flood);
    client.end();
    expect(error).toBeUndefined();
    expect(received).toBe('{"id":null,"method":"client.reconnect","params":[]}\n');
  });
});
