import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKaroo } from '../test-support/built-command.js';
import { tempDir } from '../test-support/temp-dir.js';

/** `karoo record` listening on `listen` into `out`, in front of a pool it never needs to reach. */
const record = (listen: string, out: string) =>
  runKaroo(['record', '--listen', listen, '--upstream', 'stratum+tcp://127.0.0.1:3333', '--out', out]);

describe('karoo record (built CLI): what it cannot have is one line and exit 2', () => {
  it('a taken --listen port', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const out = join(tempDir('record-cli'), 'sessions');
      const run = record(`127.0.0.1:${port}`, out);
      expect(await run.exit).toBe(2);
      expect(run.stderr()).toBe(
        `karoo: --listen: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)\n`,
      );
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('an --out folder that cannot be made', async () => {
    const file = join(tempDir('record-cli'), 'a-file');
    writeFileSync(file, '');
    const out = join(file, 'sessions');
    const run = record('127.0.0.1:0', out);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(
      `karoo: --out: cannot create ${out}: a part of the path is not a directory (ENOTDIR)\n`,
    );
  });
});
