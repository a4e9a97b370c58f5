import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningProxy } from '../proxy/run-proxy.js';
import { startTestProxy } from '../proxy/test-support/proxy-harness.js';
import type { PoolSimulator } from '../simulator/pool/index.js';
import { mineShare, submitParams } from '../simulator/pool/test-support/cpu-miner.js';
import type { Answer, StratumClient } from '../peers/stratum-client.js';
import type { ConnectedMiner } from '../simulator/pool/test-support/pool-harness.js';
import {
  codeOf,
  connectClient,
  en2,
  handshake,
  startTestPool,
} from '../simulator/pool/test-support/pool-harness.js';
import { MAX_QUEUED_LINES } from '../proxy/core/index.js';
import { ERROR_TABLE } from '../stratum/index.js';
import { LoopMiner } from './support/loop-miner.js';
import { PATIENCE } from '../test-support/patience.js';

const PARSE = ERROR_TABLE.PARSE_ERROR.code;
const INVALID_REQUEST = ERROR_TABLE.INVALID_REQUEST.code;
const NO_METHOD = ERROR_TABLE.METHOD_NOT_FOUND.code;
const INVALID_PARAMS = ERROR_TABLE.INVALID_PARAMS.code;
const OTHER = ERROR_TABLE.OTHER.code;
const STALE = ERROR_TABLE.JOB_NOT_FOUND.code;
const DUPLICATE = ERROR_TABLE.DUPLICATE_SHARE.code;
const LOW = ERROR_TABLE.LOW_DIFFICULTY.code;
const UNAUTHORIZED = ERROR_TABLE.UNAUTHORIZED.code;
const NOT_SUBSCRIBED = ERROR_TABLE.NOT_SUBSCRIBED.code;

/** Low, so a real share takes a few hundred hashes and the good miner keeps a steady pace. */
const DIFFICULTY = 1e-7;

let pool: PoolSimulator;
let proxy: RunningProxy;
let port: number;
let good: LoopMiner;
const clients: StratumClient[] = [];
let nextHost = 10;

/** A fresh source address per test: a ban earned by one case lands on that address alone. */
function freshAddress(): string {
  nextHost += 1;
  return `127.0.0.${nextHost}`;
}

async function raw(localAddress: string): Promise<StratumClient> {
  const c = await connectClient(port, localAddress);
  clients.push(c);
  return c;
}

/** A subscribed and authorized connection from `localAddress` that is about to misbehave. */
async function session(localAddress: string, o: { versionMask?: string } = {}): Promise<ConnectedMiner> {
  const s = await handshake(await raw(localAddress), {
    worker: 'bad.rig',
    userAgent: 'bad-input/1.0',
    ...(o.versionMask === undefined ? {} : { versionRollingMask: o.versionMask }),
  });
  return s;
}

/** The wire form of a Stratum error: [code, message, null]. */
function expectError(answer: Answer, code: number, id?: unknown): void {
  expect(codeOf(answer), answer.line).toBe(code);
  const error = answer.error as unknown[];
  expect(typeof error[1]).toBe('string');
  expect(error[2]).toBeNull();
  expect(answer.result).toBeNull();
  if (id !== undefined) expect(answer.id).toEqual(id);
}

/** A real share for the session's job (meets `difficulty`, optionally misses `notDifficulty`). */
function share(s: ConnectedMiner, n: number, o: Partial<Parameters<typeof mineShare>[1]> = {}) {
  return mineShare(s.job, {
    extranonce1: s.extranonce1,
    extranonce2: en2(s, n),
    difficulty: s.difficulty,
    ...o,
  });
}

beforeAll(async () => {
  pool = await startTestPool({ difficulty: DIFFICULTY });
  proxy = await startTestProxy(pool.port, { vardiff: { enabled: false } });
  port = proxy.stratum.port;
  good = await LoopMiner.connect(port, { worker: 'good.rig' });
  good.start();
});

afterAll(async () => {
  await good?.stop();
  await good?.client.close();
  await proxy?.stop();
  await pool?.close();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/**
 * Each case runs while the good miner mines on its own connection: afterwards it must have gone
 * on mining, every share of it answered exactly once and accepted (or 21, for a share whose job a
 * new block replaced while it was in flight), and its connection still open.
 */
function badInput(name: string, body: () => Promise<void>): void {
  it(name, async () => {
    const from = good.sent;
    await body();
    await good.mineMore(2);
    expect(good.client.isClosed).toBe(false);
    const mine = good.outcomes.slice(from);
    for (const o of mine) {
      if (o.code === null) continue;
      expect({ ...o, replaced: o.jobId !== o.latestJobId }).toMatchObject({ code: STALE, replaced: true });
    }
    expect(good.unanswered()).toEqual([]);
  });
}

describe('bad input, each answered exactly, while a good miner keeps mining', () => {
  badInput('a line that is not JSON: -32700 with id null, and the connection stays usable', async () => {
    const c = await raw(freshAddress());
    const lines = [
      '{"id":1,"method":"mining.subscribe"',
      'not json at all',
      "{'id':1,'method':'mining.ping'}",
      '{"id":1,"method":"mining.ping","params":[]} trailing',
      '{"id":1,"method":"mining.ping","params":[NaN]}',
      '\u0001\u0002\u0003',
    ];
    for (const l of lines) c.sendLine(l);
    c.write(Buffer.from([0xff, 0xfe, 0x7b, 0x0a])); // invalid UTF-8, then "{"
    const answers = await c.answerCount(lines.length + 1);
    for (const a of answers) expectError(a, PARSE, null);
    expect((await c.request('mining.ping', [], 'after')).result).toBe('pong');
  });

  badInput('JSON that is not a request object: -32600, with the id when there is one', async () => {
    const c = await raw(freshAddress());
    for (const l of ['[1,2,3]', '42', '"text"', 'null', 'true']) c.sendLine(l);
    const bare = await c.answerCount(5);
    for (const a of bare) expectError(a, INVALID_REQUEST, null);
    c.sendLine('{"id":3}');
    expectError(await c.answer(3), INVALID_REQUEST, 3);
    c.sendLine('{"id":4,"method":7,"params":[]}');
    expectError(await c.answer(4), INVALID_REQUEST, 4);
    c.sendLine('{"id":5,"method":null}');
    expectError(await c.answer(5), INVALID_REQUEST, 5);
  });

  badInput(
    'deep nesting inside the line cap is answered; a nesting bomb past it closes the connection',
    async () => {
      const c = await raw(freshAddress());
      c.sendLine(`${'['.repeat(1900)}${']'.repeat(1900)}`);
      expectError((await c.answerCount(1))[0] as Answer, INVALID_REQUEST, null);
      c.sendLine(`{"id":6,"method":"mining.subscribe","params":[${'['.repeat(1800)}${']'.repeat(1800)}]}`);
      expectError(await c.answer(6), INVALID_PARAMS, 6);
      // mining.ping takes no params: whatever nesting they hold is ignored.
      c.sendLine(`{"id":7,"method":"mining.ping","params":[${'['.repeat(1800)}${']'.repeat(1800)}]}`);
      expect((await c.answer(7)).result).toBe('pong');

      const bomb = await raw(freshAddress());
      bomb.send({ id: 1, method: 'mining.ping', params: [] });
      await bomb.answer(1);
      bomb.sendLine(
        `{"id":2,"method":"mining.ping","params":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`,
      );
      await bomb.waitClosed();
      expect(bomb.answersTo(2)).toEqual([]);
      expect(bomb.answers()).toHaveLength(1);
    },
  );

  badInput('params of the wrong type: -32602 naming the field, with the request id', async () => {
    const c = await raw(freshAddress());
    const cases: [unknown, string, unknown, string][] = [
      ['a1', 'mining.authorize', [42, 'x'], 'params[0] (user)'],
      ['a2', 'mining.subscribe', [7], 'params[0] (user agent)'],
      ['a3', 'mining.suggest_difficulty', ['abc'], 'params[0] (difficulty)'],
      ['a4', 'mining.suggest_difficulty', [-1], 'params[0] (difficulty)'],
      ['a5', 'mining.submit', { worker: 'w' }, 'mining.submit params'],
      ['a6', 'mining.configure', ['version-rolling'], 'params[0] (extensions)'],
      ['a7', 'mining.submit', ['w', 'j', '00', '00'], 'mining.submit params'],
      ['a8', 'mining.submit', [123, 'j', '00', '00000000', '00000000'], 'params[0] (worker)'],
      [{ n: [1] }, 'mining.authorize', ['x'.repeat(300), 'x'], 'params[0] (user)'],
    ];
    for (const [id, method, params] of cases) c.send({ id, method, params });
    for (const [id, , , field] of cases) {
      const a = await c.answer(id);
      expectError(a, INVALID_PARAMS, id);
      expect((a.error as unknown[])[1]).toContain(field);
    }
    expect(c.isClosed).toBe(false);
  });

  badInput('non-hex or misshapen share fields: -32602 from the parser, before any hashing', async () => {
    const s = await session(freshAddress());
    const en2Hex = en2(s, 1);
    const { ntime } = s.job;
    const bad: [string, unknown[]][] = [
      ['nonce', [s.worker, s.job.jobId, en2Hex, ntime, 'xyz12345']],
      ['extranonce2', [s.worker, s.job.jobId, 'zz'.repeat(s.extranonce2Size), ntime, '00000000']],
      ['extranonce2', [s.worker, s.job.jobId, '123', ntime, '00000000']],
      ['ntime', [s.worker, s.job.jobId, en2Hex, '12345678x', '00000000']],
      ['nonce', [s.worker, s.job.jobId, en2Hex, ntime, '123456789']],
      ['version bits', [s.worker, s.job.jobId, en2Hex, ntime, '00000000', 'nothex!!']],
    ];
    bad.forEach(([, params], i) => s.client.send({ id: 100 + i, method: 'mining.submit', params }));
    for (let i = 0; i < bad.length; i += 1) {
      const a = await s.client.answer(100 + i);
      expectError(a, INVALID_PARAMS, 100 + i);
      expect((a.error as unknown[])[1]).toContain(bad[i]?.[0]);
    }
  });

  badInput('extranonce2 of the wrong length: 20', async () => {
    const s = await session(freshAddress());
    for (const bytes of [s.extranonce2Size - 1, s.extranonce2Size + 1]) {
      const a = await s.client.request('mining.submit', [
        s.worker,
        s.job.jobId,
        '00'.repeat(bytes),
        s.job.ntime,
        '00000000',
      ]);
      expectError(a, OTHER);
      expect((a.error as unknown[])[1]).toContain('extranonce2');
    }
  });

  badInput('ntime before the job or more than 7000 s after it: 20; both edges accepted', async () => {
    const s = await session(freshAddress());
    const jobTime = Number.parseInt(s.job.ntime, 16);
    const hex = (t: number): string => t.toString(16).padStart(8, '0');
    for (const t of [jobTime - 1, jobTime + 7001]) {
      const a = await s.client.request('mining.submit', [
        s.worker,
        s.job.jobId,
        en2(s, 1),
        hex(t),
        '00000000',
      ]);
      expectError(a, OTHER);
      expect((a.error as unknown[])[1]).toContain('ntime');
    }
    for (const [n, t] of [
      [2, jobTime],
      [3, jobTime + 7000],
    ] as const) {
      const found = share(s, n, { ntime: hex(t) });
      const a = await s.client.request('mining.submit', submitParams(s.worker, s.job.jobId, found));
      expect(codeOf(a), a.line).toBeNull();
    }
  });

  badInput('version bits outside the negotiated mask: 20; inside it, accepted', async () => {
    const s = await session(freshAddress(), { versionMask: 'ffffffff' });
    const mask = 0x1fffe000;
    const inside = share(s, 1, { versionMask: mask, versionBits: 0x00ffe000 });
    expect(
      codeOf(await s.client.request('mining.submit', submitParams(s.worker, s.job.jobId, inside))),
    ).toBeNull();
    const outside = await s.client.request('mining.submit', [
      s.worker,
      s.job.jobId,
      en2(s, 2),
      s.job.ntime,
      '00000000',
      'e0000000',
    ]);
    expectError(outside, OTHER);
    // No mining.configure: no bits may roll at all.
    const plain = await session(freshAddress());
    const rolled = await plain.client.request('mining.submit', [
      plain.worker,
      plain.job.jobId,
      en2(plain, 1),
      plain.job.ntime,
      '00000000',
      '00002000',
    ]);
    expectError(rolled, OTHER);
  });

  badInput(
    'unknown and pool-side methods: -32601 with the id (a malformed notify is judged by its params first)',
    async () => {
      const c = await raw(freshAddress());
      const cases: [number, string, unknown[], number][] = [
        [1, 'mining.frobnicate', [], NO_METHOD],
        [2, 'eth_submitLogin', ['0xabc'], NO_METHOD],
        [3, 'mining.set_difficulty', [1], NO_METHOD],
        [4, 'client.reconnect', [], NO_METHOD],
        [5, 'client.get_version', [], NO_METHOD],
        [6, 'mining.notify', ['not', 'a', 'job'], INVALID_PARAMS],
      ];
      for (const [id, method, params] of cases) c.send({ id, method, params });
      for (const [id, , , code] of cases) expectError(await c.answer(id), code, id);
    },
  );

  badInput('a duplicate resent in upper case or without leading zeros: 22', async () => {
    const s = await session(freshAddress());
    // nonceStride 256 gives cpuminer-style nonces whose hex starts with 00.
    const found = share(s, 1, { nonceStride: 256, startNonce: 256 });
    expect(found.nonce.startsWith('00')).toBe(true);
    const params = submitParams(s.worker, s.job.jobId, found);
    expect(codeOf(await s.client.request('mining.submit', params))).toBeNull();
    const variants = [
      params,
      [
        s.worker,
        s.job.jobId,
        found.extranonce2.toUpperCase(),
        found.ntime.toUpperCase(),
        found.nonce.toUpperCase(),
      ],
      [s.worker, s.job.jobId, found.extranonce2, found.ntime, found.nonce.slice(2)],
      [
        s.worker,
        s.job.jobId,
        found.extranonce2,
        found.ntime.replace(/^0+/, ''),
        found.nonce.replace(/^0+/, ''),
      ],
    ];
    for (const v of variants) expectError(await s.client.request('mining.submit', v), DUPLICATE);
  });

  badInput('a share for a job a new block made stale, or a job never issued: 21', async () => {
    const s = await session(freshAddress());
    const old = share(s, 1);
    pool.newBlock();
    const clean = await s.client.notification('mining.notify');
    expect(clean.params[8]).toBe(true);
    expectError(await s.client.request('mining.submit', submitParams(s.worker, s.job.jobId, old)), STALE);
    expectError(await s.client.request('mining.submit', submitParams(s.worker, 'no-such-job', old)), STALE);
  });

  badInput('low difficulty 23, unauthorized worker 24, not subscribed 25', async () => {
    const s = await session(freshAddress());
    const low = share(s, 1, { difficulty: 1e-12, notDifficulty: s.difficulty });
    expectError(await s.client.request('mining.submit', submitParams(s.worker, s.job.jobId, low)), LOW);
    const good2 = share(s, 2);
    expectError(
      await s.client.request('mining.submit', submitParams('someone.else', s.job.jobId, good2)),
      UNAUTHORIZED,
    );
    const fresh = await raw(freshAddress());
    expectError(
      await fresh.request('mining.submit', submitParams(s.worker, s.job.jobId, good2)),
      NOT_SUBSCRIBED,
    );
  });

  badInput(
    'a line over the cap closes the connection unanswered; what was answered before it stands',
    async () => {
      const c = await raw(freshAddress());
      expect((await c.request('mining.ping', [], 1)).result).toBe('pong');
      c.send({ id: 2, method: 'mining.subscribe', params: ['x'.repeat(5000)] });
      await c.waitClosed();
      expect(c.answersTo(1)).toHaveLength(1);
      expect(c.answersTo(2)).toEqual([]);
      // Never ending: no newline at all.
      const endless = await raw(freshAddress());
      endless.write('{"id":1,"method":"mining.subscribe","params":["');
      endless.write('a'.repeat(8192));
      await endless.waitClosed();
      expect(endless.received).toEqual([]);
    },
  );

  badInput(
    'bytes without a newline wait for it; one byte at a time and CRLF work; a half line then close is forgotten',
    async () => {
      const c = await raw(freshAddress());
      c.write('{"id":1,"method":"mining.ping","params":[]}');
      c.write('\r\n{"id":2,"method":"mining.ping","params":[]}\r\n');
      await c.answer(2);
      expect(c.answers().map((a) => a.id)).toEqual([1, 2]);

      const slow = await raw(freshAddress());
      for (const ch of '{"id":"s","method":"mining.subscribe","params":["byte-by-byte/1"]}\n') {
        slow.write(ch);
        await yieldToLoop();
      }
      expect(Array.isArray((await slow.answer('s')).result)).toBe(true);
      expect(slow.answers()).toHaveLength(1);

      const address = freshAddress();
      const sessionsFrom = (): number =>
        proxy.core.snapshot().miners.filter((x) => x.remote.startsWith(`${address}:`)).length;
      const half = await connectClient(port, address);
      await vi.waitFor(() => expect(sessionsFrom()).toBe(1), PATIENCE);
      half.write('{"id":1,"method":"mining.subscr');
      await half.close();
      await vi.waitFor(() => expect(sessionsFrom()).toBe(0), PATIENCE);
      expect(half.received).toEqual([]);
    },
  );

  badInput('blank lines and answer-shaped lines from a miner get no answer', async () => {
    const c = await raw(freshAddress());
    c.write('\n\n   \n\r\n');
    c.sendLine('{"id":9,"result":true,"error":null}');
    c.sendLine('{"id":10,"result":null,"error":[20,"x",null]}');
    expect((await c.request('mining.ping', [], 11)).result).toBe('pong');
    expect(c.answers().map((a) => a.id)).toEqual([11]);
  });

  badInput(
    `a flood of ${MAX_QUEUED_LINES * 2} pipelined requests in one write: every one answered, in order (the socket is paused, not cut)`,
    async () => {
      const c = await raw(freshAddress());
      const count = MAX_QUEUED_LINES * 2;
      let text = '';
      for (let i = 1; i <= count; i += 1) text += `{"id":${i},"method":"mining.ping","params":[]}\n`;
      c.write(text);
      const answers = await c.answerCount(count);
      expect(answers.map((a) => a.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(answers.every((a) => a.result === 'pong')).toBe(true);
      expect(c.isClosed).toBe(false);
    },
  );

  badInput(
    '19 malformed lines are answered and tolerated; the 20th is answered, then the connection closed',
    async () => {
      const c = await raw(freshAddress());
      for (let i = 0; i < 19; i += 1) c.sendLine(`garbage ${i}`);
      expect((await c.request('mining.ping', [], 'alive')).result).toBe('pong');
      expect(c.isClosed).toBe(false);
      c.sendLine('garbage 19');
      await c.waitClosed();
      const answers = c.answers();
      expect(answers).toHaveLength(21);
      expect(answers.filter((a) => codeOf(a) === PARSE)).toHaveLength(20);
    },
  );

  badInput('a resubmit storm: one accepted, then 22 each, until 500 checks ban the address', async () => {
    const address = freshAddress();
    const s = await session(address);
    const params = submitParams(s.worker, s.job.jobId, share(s, 1));
    let storm = '';
    for (let i = 1; i <= 600; i += 1)
      storm += `${JSON.stringify({ id: 1000 + i, method: 'mining.submit', params })}\n`;
    s.client.write(storm);
    await s.client.waitClosed();
    const answers = s.client.answers().filter((a) => typeof a.id === 'number' && a.id > 1000);
    // 500 checks make a round; 499 of them rejected is past the 50% ratio: banned and closed there.
    expect(answers).toHaveLength(500);
    expect(codeOf(answers[0] as Answer)).toBeNull();
    expect(answers.slice(1).every((a) => codeOf(a) === DUPLICATE)).toBe(true);
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 500 }, (_, i) => 1001 + i));
    const again = await connectClient(port, address);
    clients.push(again);
    await again.waitClosed();
    expect(again.received).toEqual([]);
    expect(proxy.limits.snapshot().banned.map((b) => b.ip)).toContain(address);
  });
});

describe('a connection flood with rate limits on', () => {
  let floodPool: PoolSimulator | undefined;
  let floodProxy: RunningProxy | undefined;
  const floodClients: StratumClient[] = [];

  afterEach(async () => {
    await Promise.all(floodClients.splice(0).map((c) => c.close()));
    await floodProxy?.stop();
    await floodPool?.close();
  });

  it('bans the flooding address after max_connections_per_minute; a miner already mining carries on', async () => {
    floodPool = await startTestPool({ difficulty: DIFFICULTY });
    floodProxy = await startTestProxy(floodPool.port, {
      vardiff: { enabled: false },
      ratelimit: { enabled: true, max_connections_per_minute: 10, max_connections_per_ip: 0 },
    });
    const miner = await LoopMiner.connect(floodProxy.stratum.port, { worker: 'steady.rig' });
    floodClients.push(miner.client);
    miner.start();
    const flooder = '127.0.0.250';
    for (let i = 0; i < 10; i += 1) {
      const c = await connectClient(floodProxy.stratum.port, flooder);
      floodClients.push(c);
      expect((await c.request('mining.ping', [], i)).result).toBe('pong');
    }
    const refused = await connectClient(floodProxy.stratum.port, flooder);
    floodClients.push(refused);
    await refused.waitClosed();
    expect(refused.received).toEqual([]);
    expect(floodProxy.limits.snapshot().banned.map((b) => b.ip)).toEqual([flooder]);
    await miner.mineMore(3);
    await miner.stop();
    expect(miner.outcomes.every((o) => o.code === null)).toBe(true);
    expect(miner.unanswered()).toEqual([]);
    expect(miner.client.isClosed).toBe(false);
  });
});
