import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseLineTooLongError, SseParser } from './sse-parser.js';
import type { SseMessage } from './sse-parser.js';

const STREAM =
  'event: hello\ndata: {"at":1,"version":"0.1.0"}\n\n' +
  ': ping\n\n' +
  'event: share\r\ndata: {"a":1}\r\n\r\n' +
  'data: first\rdata: second\r\r' +
  'event: vardiff\ndata:{"to":2}\nid: 7\nretry: 100\n\n';

const EXPECTED: SseMessage[] = [
  { event: 'hello', data: '{"at":1,"version":"0.1.0"}' },
  { event: 'share', data: '{"a":1}' },
  { event: 'message', data: 'first\nsecond' },
  { event: 'vardiff', data: '{"to":2}' },
];

function feed(parser: SseParser, chunks: string[]): SseMessage[] {
  return chunks.flatMap((c) => parser.push(c));
}

describe('SseParser', () => {
  it('parses events, skips comments, joins data lines and accepts LF, CRLF and CR', () => {
    expect(new SseParser().push(STREAM)).toEqual(EXPECTED);
  });

  it('gives the same events when fed one character at a time', () => {
    expect(feed(new SseParser(), [...STREAM])).toEqual(EXPECTED);
  });

  it('treats a CRLF split across chunks as one line end', () => {
    const p = new SseParser();
    expect(feed(p, ['event: a\r', '\ndata: x\r', '\n\r', '\n'])).toEqual([{ event: 'a', data: 'x' }]);
  });

  it('ignores unknown fields and a bad retry, as EventSource does', () => {
    expect(new SseParser().push('foo: bar\nretry: soon\nevent: a\ndata: x\n\n')).toEqual([
      { event: 'a', data: 'x' },
    ]);
  });

  it('does not dispatch an event without data, and resets the type after a blank line', () => {
    const p = new SseParser();
    expect(p.push('event: lonely\n\ndata: y\n\n')).toEqual([{ event: 'message', data: 'y' }]);
  });

  it('keeps an unfinished event until its blank line arrives', () => {
    const p = new SseParser();
    expect(p.push('event: share\ndata: {"x":')).toEqual([]);
    expect(p.push('1}\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'share', data: '{"x":1}' }]);
  });

  it('throws SseLineTooLongError for a line over the cap, even one split across chunks', () => {
    const p = new SseParser(16);
    expect(() => feed(p, ['data: 0123456', '789abcdef'])).toThrow(SseLineTooLongError);
    expect(() => new SseParser(16).push(`data: ${'x'.repeat(10)}\n`)).not.toThrow();
  });

  it('throws when the data lines of one event add up past the cap', () => {
    const p = new SseParser(16);
    expect(() => p.push('data: 12345678\ndata: 12345678\n')).toThrow(/longer than 16/);
  });

  it('gives the same events however the stream is chunked (random splits)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(STREAM.length), { maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: string[] = [];
        let from = 0;
        for (const at of points) {
          chunks.push(STREAM.slice(from, at));
          from = at;
        }
        chunks.push(STREAM.slice(from));
        expect(feed(new SseParser(), chunks)).toEqual(EXPECTED);
      }),
    );
  });
});
