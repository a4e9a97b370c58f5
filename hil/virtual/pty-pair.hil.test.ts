import { lstat, readlink, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openSerialPort } from '../boards/serial-port.js';
import { PtyPairError } from '../errors.js';
import { createPtyPair } from './pty-pair.js';
import type { PtyPair } from './pty-pair.js';

const pairs: PtyPair[] = [];
afterEach(async () => {
  await Promise.all(pairs.splice(0).map((p) => p.close()));
});

describe('createPtyPair', () => {
  it('links two pseudo-terminals that carry bytes both ways, raw', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    expect(pair.a).toMatch(/\/karoo-ttyA-[0-9a-f]{12}$/);
    expect(pair.b).toMatch(/\/karoo-ttyB-[0-9a-f]{12}$/);
    expect(await readlink(pair.a)).toMatch(/^\/dev\/pts\/\d+$/);
    expect(await readlink(pair.b)).toMatch(/^\/dev\/pts\/\d+$/);

    const b = await openSerialPort(pair.b);
    try {
      const received = new Promise<string>((resolve) => {
        let text = '';
        b.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.endsWith('\n')) resolve(text);
        });
      });
      // CR, LF and an escape byte must pass untouched (raw, no echo, no CR/LF translation).
      await writeFile(pair.a, 'a\rb\r\n\x1b[0m\n');
      expect(await received).toBe('a\rb\r\n\x1b[0m\n');
    } finally {
      await new Promise<void>((resolve) => b.close(() => resolve()));
    }
  });

  it('removes the links and stops socat on close', async () => {
    const pair = await createPtyPair();
    await pair.close();
    await expect(lstat(pair.a)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(pair.b)).rejects.toMatchObject({ code: 'ENOENT' });
    await pair.close();
  });

  it('reports a missing socat as PtyPairError', async () => {
    const err = await createPtyPair({ socatPath: '/nonexistent/socat' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PtyPairError);
    expect(err).toMatchObject({ code: 'PTY_PAIR_FAILED' });
  });

  it('reports socat refusing its arguments as PtyPairError', async () => {
    const err = await createPtyPair({ dir: '/nonexistent-dir-for-karoo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PtyPairError);
  });
});
