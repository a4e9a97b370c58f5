import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StratumError } from './errors.js';
import { encodeError, encodeMessage, encodeResult, request, response } from './message-encoder.js';
import { parseMessage } from './message-parser.js';
import { CLIENT_METHODS, SERVER_METHODS } from './messages.js';
import type { JobParams, JsonValue, KnownRequest, StratumMessage, SubmitParams } from './messages.js';

const WALLET = 'bc1qvv469gmw4zz6qa4u4dsezvrlmqcqszwyfzhgwj';

/** [typed message, the exact line Karoo puts on the wire] for every method. */
const EXACT: [string, StratumMessage, string][] = [
  [
    'mining.subscribe (NerdMiner)',
    request('mining.subscribe', { userAgent: 'NerdMinerV2/V1.8.3' }, 1),
    '{"id":1,"method":"mining.subscribe","params":["NerdMinerV2/V1.8.3"]}',
  ],
  [
    'mining.subscribe with a session id',
    request('mining.subscribe', { userAgent: 'cpuminer/2.5.1', sessionId: 'f8002a5c' }, 1),
    '{"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1","f8002a5c"]}',
  ],
  [
    'mining.subscribe, session id only',
    request('mining.subscribe', { sessionId: 'f8002a5c' }, 1),
    '{"id":1,"method":"mining.subscribe","params":[null,"f8002a5c"]}',
  ],
  [
    'mining.subscribe, bare',
    request('mining.subscribe', {}, 1),
    '{"id":1,"method":"mining.subscribe","params":[]}',
  ],
  [
    'mining.authorize (NerdMiner)',
    request('mining.authorize', { user: WALLET, password: 'x' }, 2),
    `{"id":2,"method":"mining.authorize","params":["${WALLET}","x"]}`,
  ],
  [
    'mining.authorize without password',
    request('mining.authorize', { user: 'u.w' }, 2),
    '{"id":2,"method":"mining.authorize","params":["u.w"]}',
  ],
  [
    'mining.submit, 5 params',
    request(
      'mining.submit',
      { worker: WALLET, jobId: '1b4', extranonce2: '00000001', ntime: '6523f2b1', nonce: '000a2b3c' },
      5,
    ),
    `{"id":5,"method":"mining.submit","params":["${WALLET}","1b4","00000001","6523f2b1","000a2b3c"]}`,
  ],
  [
    'mining.submit, 6 params (Bitaxe)',
    request(
      'mining.submit',
      {
        worker: 'user.bitaxe',
        jobId: '1b4',
        extranonce2: '0100000000000000',
        ntime: '6523f2b1',
        nonce: '0a1b2c3d',
        versionBits: '0e596000',
      },
      12,
    ),
    '{"id":12,"method":"mining.submit","params":["user.bitaxe","1b4","0100000000000000","6523f2b1","0a1b2c3d","0e596000"]}',
  ],
  [
    'mining.configure (Bitaxe)',
    request(
      'mining.configure',
      { extensions: ['version-rolling'], options: { 'version-rolling.mask': 'ffffffff' } },
      1,
    ),
    '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}',
  ],
  [
    'mining.suggest_difficulty (NerdMiner)',
    request('mining.suggest_difficulty', { difficulty: 0.00015 }, 3),
    '{"id":3,"method":"mining.suggest_difficulty","params":[0.00015]}',
  ],
  [
    'mining.extranonce.subscribe',
    request('mining.extranonce.subscribe', {}, 4),
    '{"id":4,"method":"mining.extranonce.subscribe","params":[]}',
  ],
  ['mining.ping', request('mining.ping', {}, 9), '{"id":9,"method":"mining.ping","params":[]}'],
  ['pong (Bitaxe)', request('pong', {}, 9), '{"id":9,"method":"pong","params":[]}'],
  ['mining.pong', request('mining.pong', {}, 9), '{"id":9,"method":"mining.pong","params":[]}'],
  [
    'mining.notify',
    request('mining.notify', {
      jobId: '0',
      prevhash: '0'.repeat(64),
      coinb1: '01000000',
      coinb2: 'ffffffff',
      merkleBranches: ['ab'.repeat(32)],
      version: '00000001',
      nbits: '1d00ffff',
      ntime: '495fab29',
      cleanJobs: true,
    }),
    `{"id":null,"method":"mining.notify","params":["0","${'0'.repeat(64)}","01000000","ffffffff",["${'ab'.repeat(32)}"],"00000001","1d00ffff","495fab29",true]}`,
  ],
  [
    'mining.set_difficulty',
    request('mining.set_difficulty', { difficulty: 0.00015 }),
    '{"id":null,"method":"mining.set_difficulty","params":[0.00015]}',
  ],
  [
    'mining.set_extranonce',
    request('mining.set_extranonce', { extranonce1: '08000002', extranonce2Size: 4 }),
    '{"id":null,"method":"mining.set_extranonce","params":["08000002",4]}',
  ],
  [
    'mining.set_version_mask',
    request('mining.set_version_mask', { mask: '1fffe000' }),
    '{"id":null,"method":"mining.set_version_mask","params":["1fffe000"]}',
  ],
  [
    'client.reconnect with host, port, wait',
    request('client.reconnect', { host: 'pool.example.net', port: 3333, waitSeconds: 5 }),
    '{"id":null,"method":"client.reconnect","params":["pool.example.net",3333,5]}',
  ],
  [
    'client.reconnect with wait only',
    request('client.reconnect', { waitSeconds: 5 }),
    '{"id":null,"method":"client.reconnect","params":["",null,5]}',
  ],
  [
    'client.reconnect with port only',
    request('client.reconnect', { port: 3333 }),
    '{"id":null,"method":"client.reconnect","params":["",3333]}',
  ],
  [
    'client.reconnect, bare',
    request('client.reconnect', {}),
    '{"id":null,"method":"client.reconnect","params":[]}',
  ],
  [
    'client.show_message',
    request('client.show_message', { message: 'Pool maintenance in 10 minutes' }),
    '{"id":null,"method":"client.show_message","params":["Pool maintenance in 10 minutes"]}',
  ],
  [
    'client.get_version',
    request('client.get_version', {}, 6),
    '{"id":6,"method":"client.get_version","params":[]}',
  ],
  [
    'unknown method',
    { type: 'unknown', id: 3, method: 'mining.get_transactions', params: ['1b4'] },
    '{"id":3,"method":"mining.get_transactions","params":["1b4"]}',
  ],
  [
    'response',
    response(1, [[['mining.notify', 'ae68']], '08000002', 4]),
    '{"id":1,"result":[[["mining.notify","ae68"]],"08000002",4],"error":null}',
  ],
];

describe('encodeMessage: exact bytes', () => {
  it.each(EXACT)('%s', (_name, msg, line) => {
    expect(encodeMessage(msg)).toBe(line);
    // Karoo's own lines parse back to the same message and re-encode to the same bytes.
    expect(parseMessage(line)).toEqual(msg);
    expect(encodeMessage(parseMessage(line))).toBe(line);
  });

  it('re-encodes real firmware lines to the canonical compact form with the same content', () => {
    const firmware = [
      '{"id": 1, "method": "mining.subscribe", "params": ["NerdMinerV2/V1.8.3"]}',
      `{"params": ["${WALLET}", "x"], "id": 2, "method": "mining.authorize"}`,
      '{"method": "mining.submit", "params": ["user.cpu", "1b4", "00000000", "6523f2b1", "1a2b3c4d"], "id":4}',
      '{"id":1,"method":"mining.configure","params":[["version-rolling"],{"version-rolling.mask":"ffffffff"}]}',
      '{"id":9,"method":"pong","params":[]}',
    ];
    for (const line of firmware) {
      const canonical = JSON.parse(line) as { id: JsonValue; method: string; params: JsonValue };
      expect(encodeMessage(parseMessage(line))).toBe(
        JSON.stringify({ id: canonical.id, method: canonical.method, params: canonical.params }),
      );
    }
  });

  it('pads the nonce NerdMiner sends short, so the pool gets 8 hex characters', () => {
    const line = `{"id": 5, "method": "mining.submit", "params": ["${WALLET}","1b4","00000001","6523f2b1","a2b3c"]}`;
    expect(encodeMessage(parseMessage(line))).toContain('"6523f2b1","000a2b3c"]');
  });
});

describe('encodeResult / encodeError', () => {
  it('writes a result with error null', () => {
    expect(encodeResult(4, true)).toBe('{"id":4,"result":true,"error":null}');
    expect(encodeResult('abc', null)).toBe('{"id":"abc","result":null,"error":null}');
  });

  it('writes a StratumError as [code, message, null] with result null', () => {
    expect(encodeError(4, new StratumError('LOW_DIFFICULTY'))).toBe(
      '{"id":4,"result":null,"error":[23,"Low difficulty share",null]}',
    );
    expect(encodeError({ k: 1 }, new StratumError('JOB_NOT_FOUND', 'job "7" is unknown'))).toBe(
      '{"id":{"k":1},"result":null,"error":[21,"Job not found (=stale): job \\"7\\" is unknown",null]}',
    );
  });

  it('passes a wire error through untouched', () => {
    expect(encodeError(null, [20, 'Other/Unknown', null])).toBe(
      '{"id":null,"result":null,"error":[20,"Other/Unknown",null]}',
    );
  });
});

describe('encode/decode round trip (fast-check)', () => {
  const hex = (minBytes: number, maxBytes: number) =>
    fc.uint8Array({ minLength: minBytes, maxLength: maxBytes }).map((b) => Buffer.from(b).toString('hex'));
  const hex8 = hex(4, 4);
  const hex64 = hex(32, 32);
  const name = fc.string({ maxLength: 256 });
  /** JSON values as they survive the wire (JSON has no -0). */
  const json = (maxDepth: number) =>
    fc.jsonValue({ maxDepth }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
  const id = json(2);
  const positive = fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true });

  const submitParams: fc.Arbitrary<SubmitParams> = fc.record(
    {
      worker: name,
      jobId: name,
      extranonce2: hex(1, 16),
      ntime: hex8,
      nonce: hex8,
      versionBits: hex8,
    },
    { requiredKeys: ['worker', 'jobId', 'extranonce2', 'ntime', 'nonce'] },
  );

  const jobParams: fc.Arbitrary<JobParams> = fc.record({
    jobId: name,
    prevhash: hex64,
    coinb1: hex(0, 120),
    coinb2: hex(0, 120),
    merkleBranches: fc.array(hex64, { maxLength: 12 }),
    version: hex8,
    nbits: hex8,
    ntime: hex8,
    cleanJobs: fc.boolean(),
  });

  const knownRequest: fc.Arbitrary<KnownRequest> = fc.oneof(
    fc
      .record({ userAgent: name, sessionId: name }, { requiredKeys: [] })
      .map((p) => request('mining.subscribe', p)),
    fc
      .record({ user: name, password: name }, { requiredKeys: ['user'] })
      .map((p) => request('mining.authorize', p)),
    submitParams.map((p) => request('mining.submit', p)),
    fc
      .record({
        extensions: fc.array(fc.string()),
        options: fc.dictionary(fc.string(), json(2)),
      })
      .map((p) => request('mining.configure', p)),
    positive.map((difficulty) => request('mining.suggest_difficulty', { difficulty })),
    fc.constant(request('mining.extranonce.subscribe', {})),
    fc.constant(request('mining.ping', {})),
    fc.constant(request('mining.pong', {})),
    fc.constant(request('pong', {})),
    jobParams.map((p) => request('mining.notify', p)),
    positive.map((difficulty) => request('mining.set_difficulty', { difficulty })),
    fc
      .record({ extranonce1: hex(0, 32), extranonce2Size: fc.integer({ min: 1, max: 16 }) })
      .map((p) => request('mining.set_extranonce', p)),
    hex8.map((mask) => request('mining.set_version_mask', { mask })),
    fc
      .record(
        {
          host: fc.string({ minLength: 1, maxLength: 256 }),
          port: fc.integer({ min: 1, max: 65535 }),
          waitSeconds: fc.double({ min: 0, max: 1e6, noNaN: true }).map((w) => (Object.is(w, -0) ? 0 : w)),
        },
        { requiredKeys: [] },
      )
      .map((p) => request('client.reconnect', p)),
    fc.string({ maxLength: 4096 }).map((message) => request('client.show_message', { message })),
    fc.constant(request('client.get_version', {})),
  );

  const message: fc.Arbitrary<StratumMessage> = fc.oneof(
    fc.tuple(knownRequest, id).map(([m, i]): StratumMessage => ({ ...m, id: i }) as KnownRequest),
    fc.record({ id, result: json(3), error: json(2) }).map((r) => response(r.id, r.result, r.error)),
    fc
      .record({
        id,
        method: fc.string().filter((m) => !KNOWN.has(m)),
        params: json(2).filter((p) => p !== null),
      })
      .map((u): StratumMessage => ({ type: 'unknown', ...u })),
  );

  it('parseMessage(encodeMessage(m)) equals m for every message kind', () => {
    fc.assert(
      fc.property(message, (msg) => {
        const line = encodeMessage(msg);
        expect(line).not.toContain('\n');
        expect(parseMessage(line)).toEqual(msg);
        expect(encodeMessage(parseMessage(line))).toBe(line);
      }),
      { numRuns: 2000 },
    );
  });

  it('upper-case hex from a peer decodes to the same message as lower case', () => {
    fc.assert(
      fc.property(submitParams, jobParams, (s, j) => {
        const lower = encodeMessage(request('mining.submit', s, 1));
        const upper = JSON.stringify({
          id: 1,
          method: 'mining.submit',
          params: [
            s.worker,
            s.jobId,
            s.extranonce2.toUpperCase(),
            s.ntime.toUpperCase(),
            s.nonce.toUpperCase(),
          ].concat(s.versionBits === undefined ? [] : [s.versionBits.toUpperCase()]),
        });
        expect(parseMessage(upper)).toEqual(parseMessage(lower));
        const up = (h: string) => h.toUpperCase();
        const shouting = request('mining.notify', {
          ...j,
          prevhash: up(j.prevhash),
          coinb1: up(j.coinb1),
          coinb2: up(j.coinb2),
          merkleBranches: j.merkleBranches.map(up),
          version: up(j.version),
          nbits: up(j.nbits),
          ntime: up(j.ntime),
        });
        expect(parseMessage(encodeMessage(shouting))).toEqual(request('mining.notify', j));
      }),
      { numRuns: 200 },
    );
  });
});

const KNOWN = new Set<string>([...CLIENT_METHODS, ...SERVER_METHODS]);
