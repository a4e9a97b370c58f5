import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MINER_LINE_CAP,
  DEFAULT_POOL_LINE_CAP,
  LineFramer,
  LineTooLongError,
  type FrameEvent,
} from './line-framer.js';
import { ERROR_TABLE, StratumError } from './errors.js';

const NERDMINER_SUBSCRIBE = '{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}';
const BITAXE_PONG = '{"id":7,"method":"pong","params":[]}';

function lines(events: FrameEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'line' ? [e.line] : []));
}

function errors(events: FrameEvent[]): LineTooLongError[] {
  return events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));
}

/** Feeds `bytes` cut at the given offsets and collects every event. */
function feedSplit(framer: LineFramer, bytes: Buffer, cuts: number[]): FrameEvent[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const events: FrameEvent[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    events.push(...framer.push(bytes.subarray(start, p)));
    start = p;
  }
  return events;
}

function feedBytewise(framer: LineFramer, bytes: Buffer): FrameEvent[] {
  const events: FrameEvent[] = [];
  for (let i = 0; i < bytes.length; i += 1) events.push(...framer.push(bytes.subarray(i, i + 1)));
  return events;
}

describe('LineFramer', () => {
  it('turns one chunk holding several LF lines into those lines', () => {
    const framer = new LineFramer(1024);
    const out = framer.push(Buffer.from(`${NERDMINER_SUBSCRIBE}\n${BITAXE_PONG}\n`));
    expect(lines(out)).toEqual([NERDMINER_SUBSCRIBE, BITAXE_PONG]);
    expect(framer.buffered).toBe(0);
  });

  it('strips the CR of CRLF endings and accepts mixed endings', () => {
    const framer = new LineFramer(1024);
    const out = framer.push(Buffer.from(`a\r\nb\nc\r\n`));
    expect(lines(out)).toEqual(['a', 'b', 'c']);
  });

  it('keeps a CR that is not right before the LF', () => {
    const framer = new LineFramer(1024);
    expect(lines(framer.push(Buffer.from('a\rb\n')))).toEqual(['a\rb']);
  });

  it('holds a partial line until its newline arrives', () => {
    const framer = new LineFramer(1024);
    expect(framer.push(Buffer.from('{"id":1,'))).toEqual([]);
    expect(framer.buffered).toBe(8);
    expect(lines(framer.push(Buffer.from('"result":true}\n{"id"')))).toEqual(['{"id":1,"result":true}']);
    expect(framer.buffered).toBe(5);
  });

  it('ignores empty and whitespace-only lines', () => {
    const framer = new LineFramer(1024);
    expect(lines(framer.push(Buffer.from('\n\r\n  \t\r\nx\n\n')))).toEqual(['x']);
  });

  it('emits the same lines when fed one byte at a time', () => {
    const text = `${NERDMINER_SUBSCRIBE}\r\n\n${BITAXE_PONG}\nsnowman ☃ and 🚀\r\n`;
    const out = feedBytewise(new LineFramer(1024), Buffer.from(text));
    expect(lines(out)).toEqual([NERDMINER_SUBSCRIBE, BITAXE_PONG, 'snowman ☃ and 🚀']);
  });

  it('reassembles a UTF-8 character split across chunks', () => {
    const framer = new LineFramer(64);
    const bytes = Buffer.from('€\n'); // e2 82 ac 0a
    expect(framer.push(bytes.subarray(0, 1))).toEqual([]);
    expect(framer.push(bytes.subarray(1, 2))).toEqual([]);
    expect(lines(framer.push(bytes.subarray(2)))).toEqual(['€']);
  });

  it('accepts a plain Uint8Array as well as a Buffer', () => {
    const framer = new LineFramer(64);
    const backing = new Uint8Array([0x78, 0x61, 0x62, 0x0a, 0x79]);
    expect(lines(framer.push(backing.subarray(1, 4)))).toEqual(['ab']);
  });

  it('accepts a line of exactly the cap and reports one byte more with LineTooLongError', () => {
    const framer = new LineFramer(8);
    expect(lines(framer.push(Buffer.from('12345678\n')))).toEqual(['12345678']);
    const out = framer.push(Buffer.from('123456789\nok\n'));
    expect(errors(out)).toHaveLength(1);
    expect(lines(out)).toEqual(['ok']);
  });

  it('reports an over-long line once, discards it up to its newline and carries on', () => {
    const framer = new LineFramer(16);
    const events: FrameEvent[] = [];
    events.push(...framer.push(Buffer.from('x'.repeat(10))));
    events.push(...framer.push(Buffer.from('x'.repeat(10))));
    expect(framer.buffered).toBe(0);
    events.push(...framer.push(Buffer.from('x'.repeat(1000))));
    events.push(...framer.push(Buffer.from('tail of the long line\nnext\n')));
    expect(errors(events)).toHaveLength(1);
    expect(lines(events)).toEqual(['next']);
    expect(framer.buffered).toBe(0);
  });

  it('reports an over-long line fed one byte at a time exactly once', () => {
    const out = feedBytewise(new LineFramer(16), Buffer.from(`${'y'.repeat(100)}\nshort\n`));
    expect(errors(out)).toHaveLength(1);
    expect(lines(out)).toEqual(['short']);
  });

  it('gives LineTooLongError its own class, the cap and a Stratum wire code', () => {
    const [event] = new LineFramer(4).push(Buffer.from('12345\n'));
    expect(event?.kind).toBe('error');
    const error = (event as { kind: 'error'; error: LineTooLongError }).error;
    expect(error).toBeInstanceOf(LineTooLongError);
    expect(error).toBeInstanceOf(StratumError);
    expect(error.name).toBe('LineTooLongError');
    expect(error.cap).toBe(4);
    expect(error.code).toBe(ERROR_TABLE.INVALID_REQUEST.code);
    expect(error.message).toContain('4 bytes');
  });

  it('reset() drops a partial line and a pending discard', () => {
    const framer = new LineFramer(8);
    framer.push(Buffer.from('partial'));
    framer.reset();
    expect(framer.buffered).toBe(0);
    expect(lines(framer.push(Buffer.from('new\n')))).toEqual(['new']);
    framer.push(Buffer.from('0123456789')); // over the cap: now discarding
    framer.reset();
    expect(lines(framer.push(Buffer.from('after\n')))).toEqual(['after']);
  });

  it('rejects a cap that is not a positive integer', () => {
    for (const cap of [0, -1, 1.5, Number.NaN]) expect(() => new LineFramer(cap)).toThrow(RangeError);
  });

  it('has separate default caps: a big pool notify fits the pool side, not the miner side', () => {
    expect(DEFAULT_MINER_LINE_CAP).toBe(4 * 1024);
    expect(DEFAULT_POOL_LINE_CAP).toBe(256 * 1024);
    // A notify with 1500 merkle branches (~100 KB), as a pool with a huge template could send.
    const branches = Array.from({ length: 1500 }, (_, i) => i.toString(16).padStart(64, '0'));
    const notify = JSON.stringify({ id: null, method: 'mining.notify', params: ['1', branches] });
    const bytes = Buffer.from(`${notify}\n`);
    expect(lines(new LineFramer(DEFAULT_POOL_LINE_CAP).push(bytes))).toEqual([notify]);
    const minerSide = new LineFramer(DEFAULT_MINER_LINE_CAP).push(bytes);
    expect(errors(minerSide)).toHaveLength(1);
    expect(lines(minerSide)).toEqual([]);
    // A real submit is far below the miner cap.
    const submit =
      '{"id": 5, "method": "mining.submit", "params": ["bc1qexample.worker","1b4","00000001","6523f2b1","1a2b3c"]}';
    expect(lines(new LineFramer(DEFAULT_MINER_LINE_CAP).push(Buffer.from(`${submit}\n`)))).toEqual([submit]);
  });
});

describe('LineFramer properties', () => {
  /** A line as a peer might send it: valid Unicode, no LF, not blank, not ending in CR. */
  const lineArb = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
    .filter((s) => !s.includes('\n') && s.trim().length > 0 && !s.endsWith('\r'));

  it('never throws on arbitrary bytes at arbitrary splits, and never buffers more than the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }),
        (cap, chunks) => {
          const framer = new LineFramer(cap);
          for (const chunk of chunks) {
            const events = framer.push(chunk);
            expect(framer.buffered).toBeLessThanOrEqual(cap);
            // Each input byte decodes to at most one UTF-16 unit, so no line can outgrow the cap.
            for (const e of events) if (e.kind === 'line') expect(e.line.length).toBeLessThanOrEqual(cap);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('emits exactly the input lines however the bytes are split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n'), fc.boolean()), { maxLength: 15 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (spec, cuts) => {
          // A `true` flag puts a blank line before the real one; blank lines must vanish.
          const text = spec.map(([line, eol, blank]) => `${blank ? eol : ''}${line}${eol}`).join('');
          const bytes = Buffer.from(text);
          const expected = spec.map(([line]) => line);
          expect(lines(feedSplit(new LineFramer(1024), bytes, cuts))).toEqual(expected);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('byte-at-a-time and whole-buffer feeding agree', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n'))), (spec) => {
        const bytes = Buffer.from(spec.map(([l, e]) => l + e).join(''));
        expect(lines(feedBytewise(new LineFramer(1024), bytes))).toEqual(
          lines(new LineFramer(1024).push(bytes)),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('reports each over-cap line once and keeps every line that fits, at any split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.boolean()), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (spec, cuts) => {
          const cap = 20;
          const text = spec.map(([len, alt], i) => `${(alt ? 'a' : 'b').repeat(len)}${i}\n`).join('');
          const events = feedSplit(new LineFramer(cap), Buffer.from(text), cuts);
          const all = spec.map(([len, alt], i) => `${(alt ? 'a' : 'b').repeat(len)}${i}`);
          expect(lines(events)).toEqual(all.filter((l) => l.length <= cap));
          expect(errors(events)).toHaveLength(all.filter((l) => l.length > cap).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
