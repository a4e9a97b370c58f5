import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runKaroo } from '../../test-support/built-command.js';

async function takenPort(): Promise<{ port: number; close(): Promise<unknown> }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('karoo pool (built CLI): a taken port is one line naming its flag, exit 2', () => {
  it.each(['--listen', '--http'])('%s', async (flag) => {
    const taken = await takenPort();
    try {
      const address = `127.0.0.1:${taken.port}`;
      const args =
        flag === '--listen' ? ['--listen', address] : ['--listen', '127.0.0.1:0', '--http', address];
      const run = runKaroo(['pool', ...args]);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toBe(
        `karoo: ${flag}: cannot listen on ${address}: address already in use (EADDRINUSE)\n`,
      );
      expect(run.stdout()).toBe('');
    } finally {
      await taken.close();
    }
  });
});
