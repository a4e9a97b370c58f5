import type { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openSerialPort } from '../boards/serial-port.js';
import { createPtyPair } from '../virtual/pty-pair.js';
import type { PtyPair } from '../virtual/pty-pair.js';
import { BoardConsole } from './board-console.js';
import { readSerialFixture } from './fixture-files.js';
import type { SerialFixture } from './fixture-files.js';
import { splitConsoleText } from './line-normaliser.js';
import { parseConsoleLine } from './parse-console-line.js';

const opened: SerialPort[] = [];
const pairs: PtyPair[] = [];

afterEach(async () => {
  await Promise.all(
    opened
      .splice(0)
      .map((p) => new Promise<void>((resolve) => (p.isOpen ? p.close(() => resolve()) : resolve()))),
  );
  await Promise.all(pairs.splice(0).map((p) => p.close()));
});

async function open(path: string): Promise<SerialPort> {
  const port = await openSerialPort(path, 115200);
  opened.push(port);
  return port;
}

/** Lines of a capture that a live reader sees: all but a final line with no line ending. */
function completeLines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const lines = splitConsoleText(text);
  return /[\r\n]$/.test(text) ? lines : lines.slice(0, -1);
}

describe('console over a real pseudo-terminal pair', () => {
  it.each<SerialFixture>(['nerdminer-boot-mining', 'bitaxe-esp-idf'])(
    '%s: SerialPort + parser-readline on one end sees what was written to the other',
    async (name) => {
      const pair = await createPtyPair();
      pairs.push(pair);
      const board = new BoardConsole({ name: pair.b });
      board.attach(await open(pair.b));
      const writer = await open(pair.a);

      const bytes = readSerialFixture(name);
      const expected = completeLines(bytes).map(parseConsoleLine);
      const done = board.waitFor((s) => s.lines === expected.length, {
        timeoutMs: 20_000,
        description: `${expected.length} lines`,
      });
      // Write in serial-sized pieces, as a UART FIFO would deliver them.
      for (let at = 0; at < bytes.length; at += 64) writer.write(bytes.subarray(at, at + 64));
      await done;

      expect(board.history().map((h) => h.event)).toEqual(expected);
    },
  );

  it('a NerdMiner session over the pty ends in the expected board state', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const board = new BoardConsole();
    board.attach(await open(pair.b));
    const writer = await open(pair.a);
    const accepted = board.waitFor((s) => s.sharesAccepted === 1 && s.sharesRejected === 3, {
      timeoutMs: 20_000,
      description: 'the reject session',
    });
    writer.write(readSerialFixture('nerdminer-reject'));
    const state = await accepted;
    expect(state).toMatchObject({
      subscribed: true,
      sharesSent: 4,
      difficulty: 0.002,
      extranonce1: '0a1b2c3d',
    });
  });
});
