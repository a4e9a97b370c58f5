import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineConnection } from './line-connection.js';

/** A byte stream that keeps every chunk written to it, as written (strings stay strings). */
function capture(): { stream: Duplex; chunks: (string | Buffer)[] } {
  const chunks: (string | Buffer)[] = [];
  const stream = new Duplex({
    decodeStrings: false,
    read() {},
    write(chunk: string | Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, chunks };
}

describe('LineConnection.send', () => {
  it('adds the newline to a line, and writes shared bytes as they are, the same buffer for every peer', () => {
    const a = capture();
    const b = capture();
    const shared = Buffer.from('{"id":null,"method":"mining.notify","params":[]}\n');
    const ca = new LineConnection(a.stream, { lineCap: 1024 }, 'a');
    const cb = new LineConnection(b.stream, { lineCap: 1024 }, 'b');
    expect(ca.send('{"id":1,"result":true,"error":null}')).toBe(true);
    expect(ca.send('ignored when bytes are given', shared)).toBe(true);
    expect(cb.send('ignored when bytes are given', shared)).toBe(true);
    expect(a.chunks).toEqual(['{"id":1,"result":true,"error":null}\n', shared]);
    expect(a.chunks[1]).toBe(shared);
    expect(b.chunks[0]).toBe(shared);
  });

  it('sends nothing once closed', () => {
    const a = capture();
    const c = new LineConnection(a.stream, { lineCap: 1024 }, 'a');
    c.destroy();
    expect(c.send('x', Buffer.from('x\n'))).toBe(false);
    expect(a.chunks).toEqual([]);
  });
});
