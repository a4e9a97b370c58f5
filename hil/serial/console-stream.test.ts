import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsoleLineStream } from './console-stream.js';
import { SERIAL_FIXTURES, readSerialFixture } from './fixture-files.js';
import { LineCapGuard, breakLongLines } from './line-cap-guard.js';
import { splitConsoleText } from './line-normaliser.js';

function collect(lines: Readable): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const out: string[] = [];
    lines.on('data', (line: string) => out.push(line));
    lines.once('end', () => resolve(out));
    lines.once('error', reject);
  });
}

/** Writes `bytes` into a fresh source in the given chunk sizes, then ends it. */
async function streamLines(
  bytes: Buffer,
  chunkSizes: (i: number) => number,
  lineCap?: number,
): Promise<string[]> {
  const source = new PassThrough();
  const lines = createConsoleLineStream(source, lineCap === undefined ? {} : { lineCap });
  const done = collect(lines);
  let i = 0;
  for (let at = 0; at < bytes.length; i++) {
    const size = Math.max(1, chunkSizes(i));
    source.write(bytes.subarray(at, at + size));
    at += size;
  }
  source.end();
  return done;
}

describe('console line stream over the fixtures', () => {
  it.each(SERIAL_FIXTURES)('%s: one byte at a time gives exactly splitConsoleText', async (name) => {
    const bytes = readSerialFixture(name);
    const expected = splitConsoleText(bytes.toString('utf8'));
    expect(expected.length).toBeGreaterThan(30);
    expect(await streamLines(bytes, () => 1)).toEqual(expected);
  });

  it('any chunking gives the same lines', async () => {
    const bytes = readSerialFixture('nerdminer-boot-mining');
    const expected = splitConsoleText(bytes.toString('utf8'));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 40 }),
        async (sizes) => {
          expect(await streamLines(bytes, (i) => sizes[i % sizes.length]!)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('splits a CRLF that arrives across two chunks into one line ending', async () => {
    expect(await streamLines(Buffer.from('abc\r\ndef\r\n'), (i) => [4, 6][i % 2]!)).toEqual(['abc', 'def']);
  });
});

describe('line cap', () => {
  it('never lets a newline-free console grow a line past the cap', async () => {
    const noise = Buffer.alloc(10_000, 0x55);
    const lines = await streamLines(
      Buffer.concat([noise, Buffer.from('\r\nNerdMiner v2 starting......\r\n')]),
      () => 333,
      1024,
    );
    expect(lines.slice(0, -1).every((l) => l.length <= 1024)).toBe(true);
    expect(lines.slice(0, -1).join('').length).toBe(10_000);
    expect(lines.at(-1)).toBe('NerdMiner v2 starting......');
  });

  it('counts forced breaks and resets at each LF', async () => {
    const guard = new LineCapGuard(4);
    const out: Buffer[] = [];
    guard.on('data', (b: Buffer) => out.push(b));
    guard.write(Buffer.from('abcdefghij\nxyz'));
    guard.write(Buffer.from('w\nq'));
    guard.end();
    await new Promise((resolve) => guard.once('end', resolve));
    expect(Buffer.concat(out).toString()).toBe('abcd\nefgh\nij\nxyzw\nq');
    expect(guard.forcedBreaks).toBe(2);
    expect(breakLongLines(Buffer.from('abc'), { sinceNewline: 0 }, 3)).toEqual({
      out: Buffer.from('abc'),
      forced: 0,
    });
  });
});

describe('stream lifecycle', () => {
  it('ends the line stream with the source error', async () => {
    const source = new PassThrough();
    const lines = createConsoleLineStream(source);
    const result = collect(lines);
    source.write('WiFi connected\r\n');
    source.destroy(new Error('device disconnected'));
    await expect(result).rejects.toThrow('device disconnected');
  });

  it('detaches from a source that stays open when the line stream is destroyed', async () => {
    const source = new PassThrough();
    const lines = createConsoleLineStream(source);
    expect(source.listenerCount('data')).toBe(1);
    lines.destroy();
    await new Promise((resolve) => lines.once('close', resolve));
    expect(source.listenerCount('data')).toBe(0);
    expect(source.destroyed).toBe(false);
  });
});
