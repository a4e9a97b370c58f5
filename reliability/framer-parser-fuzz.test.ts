import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_METHODS,
  ERROR_TABLE,
  LineFramer,
  SERVER_METHODS,
  StratumError,
  encodeError,
  parseMessage,
} from '../stratum/index.js';
import type { FrameEvent, SubmitRequest } from '../stratum/index.js';

/** Fixed seeds keep CI deterministic; a failure prints the seed and path to replay it. */
const SEED = 20251127;

type ModelEvent = { kind: 'line'; line: string } | { kind: 'error' };

/**
 * The framer's contract, written the obvious way over the whole stream at once: split on LF; a
 * segment longer than the cap (CR included) is one error; otherwise one trailing CR is dropped
 * and a blank line is skipped. An unterminated tail is held, or is one error once past the cap.
 */
function model(bytes: Buffer, cap: number): { events: ModelEvent[]; buffered: number } {
  const events: ModelEvent[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(0x0a, start);
    if (nl === -1) break;
    const seg = bytes.subarray(start, nl);
    if (seg.length > cap) events.push({ kind: 'error' });
    else {
      const end = seg.length > 0 && seg[seg.length - 1] === 0x0d ? seg.length - 1 : seg.length;
      const line = seg.toString('utf8', 0, end);
      if (line.trim().length > 0) events.push({ kind: 'line', line });
    }
    start = nl + 1;
  }
  const tail = bytes.length - start;
  if (tail > cap) return { events: [...events, { kind: 'error' }], buffered: 0 };
  return { events, buffered: tail };
}

function feed(framer: LineFramer, bytes: Buffer, cuts: number[]): FrameEvent[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: FrameEvent[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(...framer.push(bytes.subarray(prev, p)));
    prev = p;
  }
  return out;
}

const simplify = (events: FrameEvent[]): ModelEvent[] =>
  events.map((e) => (e.kind === 'line' ? { kind: 'line', line: e.line } : { kind: 'error' }));

/** Bytes rich in what framing gets wrong: LF, CR, spaces, multi-byte UTF-8, invalid UTF-8, NUL. */
const nastyByte = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x0a, 0x0d, 0x20, 0x7b, 0x7d, 0x22) },
  { weight: 2, arbitrary: fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80) },
  { weight: 1, arbitrary: fc.constantFrom(0x00, 0xff, 0xfe, 0x80) },
  { weight: 4, arbitrary: fc.integer({ min: 0x21, max: 0x7e }) },
);
const stream = fc.array(nastyByte, { maxLength: 400 }).map((b) => Buffer.from(b));

describe('line framer against a reference model', () => {
  it('emits exactly the model’s lines and errors for any bytes, cap and chunking', () => {
    fc.assert(
      fc.property(
        stream,
        fc.integer({ min: 1, max: 48 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (bytes, cap, cuts) => {
          const framer = new LineFramer(cap);
          const expected = model(bytes, cap);
          expect(simplify(feed(framer, bytes, cuts))).toEqual(expected.events);
          expect(framer.buffered).toBe(expected.buffered);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('one byte at a time never holds more than the cap, and agrees with the model', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 32 }), (bytes, cap) => {
        const framer = new LineFramer(cap);
        const events: FrameEvent[] = [];
        for (const b of bytes) {
          events.push(...framer.push(Buffer.from([b])));
          expect(framer.buffered).toBeLessThanOrEqual(cap);
        }
        expect(simplify(events)).toEqual(model(bytes, cap).events);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('every error is a LineTooLongError carrying the cap and the -32600 wire code', () => {
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 16 }), (bytes, cap) => {
        for (const e of new LineFramer(cap).push(bytes)) {
          if (e.kind !== 'error') continue;
          expect(e.error.cap).toBe(cap);
          expect(e.error.code).toBe(ERROR_TABLE.INVALID_REQUEST.code);
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

const CODES = new Set<number>(Object.values(ERROR_TABLE).map((e) => e.code));
/** Every method Karoo knows, one it does not, and one that is a trap for plain objects. */
const METHODS = [...CLIENT_METHODS, ...SERVER_METHODS, 'mining.frobnicate', '__proto__'];

const anyJson = fc.jsonValue({ maxDepth: 4 });
const id = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), anyJson);
/** Request-shaped objects with every field possibly wrong: the parser's whole input space. */
const requestish = fc.record(
  {
    id,
    method: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...METHODS) },
      { weight: 1, arbitrary: anyJson },
    ),
    params: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), anyJson), {
          maxLength: 7,
        }),
      },
      { weight: 1, arbitrary: anyJson },
    ),
    result: anyJson,
    error: anyJson,
  },
  { requiredKeys: [] },
);

/** Real lines with characters dropped, doubled or replaced: near misses of valid input. */
const REAL_LINES = [
  '{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
  '{"params": ["bc1q.nerd", "x"], "id": 2, "method": "mining.authorize"}',
  '{"id":4,"method":"mining.submit","params":["w.1","1a2b","00000001","6790c1d3","1a2b3c","00a00000"]}',
  '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}',
  '{"id":3,"method":"mining.suggest_difficulty","params":[0.00015]}',
];
const mutated = fc
  .tuple(
    fc.constantFrom(...REAL_LINES),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('drop', 'double', 'replace'),
        fc.string({ minLength: 1, maxLength: 1 }),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
  )
  .map(([line, edits]) => {
    let s = line;
    for (const [at, kind, ch] of edits) {
      const i = at % s.length;
      if (kind === 'drop') s = s.slice(0, i) + s.slice(i + 1);
      else if (kind === 'double') s = s.slice(0, i) + s.charAt(i) + s.slice(i);
      else s = s.slice(0, i) + ch + s.slice(i + 1);
    }
    return s;
  });

/** parseMessage's contract: a typed message, or a StratumError with a code from the table, nothing else. */
function parseOrError(line: string): { ok: true } | { ok: false; error: StratumError } {
  try {
    parseMessage(line);
    return { ok: true };
  } catch (err) {
    expect(err).toBeInstanceOf(StratumError);
    return { ok: false, error: err as StratumError };
  }
}

describe('message parser fuzzing', () => {
  it('any string: a message or a StratumError from the table, never another exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 60 }), mutated),
        (line) => {
          const r = parseOrError(line);
          if (!r.ok) expect(CODES.has(r.error.code)).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('request-shaped objects: errors carry the request id, and encode to an answer that parses back with it', () => {
    fc.assert(
      fc.property(requestish, (obj) => {
        const line = JSON.stringify(obj);
        const r = parseOrError(line);
        if (r.ok) return;
        expect([-32600, -32602]).toContain(r.error.code);
        const expectedId = obj.id === undefined ? null : JSON.parse(JSON.stringify(obj.id));
        expect(r.error.requestId).toEqual(expectedId);
        const answer = parseMessage(encodeError(r.error.requestId ?? null, r.error));
        expect(answer).toMatchObject({ type: 'response', id: expectedId, result: null });
        expect((answer as { error: unknown[] }).error[0]).toBe(r.error.code);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('a submit resent with hex in another case or with leading zeros dropped parses to the same share', () => {
    const hexOf = (bytes: number) =>
      fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
    const recase = (s: string, flips: boolean[]): string =>
      [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c)).join('');
    fc.assert(
      fc.property(
        hexOf(4),
        hexOf(4),
        hexOf(4),
        fc.option(hexOf(4), { nil: undefined }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (en2, ntime, nonce, versionBits, flips) => {
          const params = ['w.1', 'job', en2, ntime, nonce, ...(versionBits ? [versionBits] : [])];
          const variant = [
            'w.1',
            'job',
            recase(en2, flips),
            recase(ntime.replace(/^0+(?=.)/, ''), flips),
            recase(nonce.replace(/^0+(?=.)/, ''), flips),
            ...(versionBits ? [recase(versionBits.replace(/^0+(?=.)/, ''), flips)] : []),
          ];
          const a = parseMessage(JSON.stringify({ id: 1, method: 'mining.submit', params })) as SubmitRequest;
          const b = parseMessage(
            JSON.stringify({ id: 1, method: 'mining.submit', params: variant }),
          ) as SubmitRequest;
          expect(b.params).toEqual(a.params);
          expect(a.params.nonce).toBe(nonce);
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });
});
