import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../runtime/test-support/manual-clock.js';
import { PATIENCE } from '../../test-support/patience.js';
import { readBip34Height } from './coinbase.js';
import { DEFAULT_NBITS, DEFAULT_START_HEIGHT } from './pool-options.js';
import { jobFromNotify, mineShare } from './test-support/cpu-miner.js';
import { codeOf } from './test-support/pool-harness.js';
import { poolFixture } from './test-support/pool-fixture.js';

const fx = poolFixture();
const { pool, client } = fx;

describe('mining.subscribe and mining.authorize', () => {
  it('answers subscribe with subscriptions, a unique extranonce1 of the configured size and the extranonce2 size', async () => {
    const p = await pool({ extranonce1Size: 6, extranonce2Size: 2 });
    const a = await client(p);
    const b = await client(p);
    const ra = await a.request('mining.subscribe', ['a/1']);
    const rb = await b.request('mining.subscribe', []);
    const [subsA, en1A, sizeA] = ra.result as [unknown[], string, number];
    const [, en1B] = rb.result as [unknown[], string, number];
    expect(subsA.map((s) => (s as string[])[0])).toEqual(['mining.set_difficulty', 'mining.notify']);
    expect(en1A).toMatch(/^[0-9a-f]{12}$/);
    expect(en1B).toMatch(/^[0-9a-f]{12}$/);
    expect(en1A).not.toBe(en1B);
    expect(sizeA).toBe(2);
    expect(p.sessions().find((s) => s.extranonce1 === en1A)?.userAgent).toBe('a/1');
  });

  it('resumes a just-closed session that offers its extranonce1, and never hands out a live one', async () => {
    const p = await pool();
    const a = await client(p);
    const [, en1A] = (await a.request('mining.subscribe', ['a/1'])).result as [unknown, string];
    const b = await client(p);
    // A live session's extranonce1 is not up for grabs.
    const [, en1B] = (await b.request('mining.subscribe', ['b/1', en1A])).result as [unknown, string];
    expect(en1B).not.toBe(en1A);
    await a.close();
    await vi.waitFor(() => expect(p.sessions()).toHaveLength(1), PATIENCE);
    const again = await client(p);
    const [, resumed] = (await again.request('mining.subscribe', ['a/1', en1A])).result as [unknown, string];
    expect(resumed).toBe(en1A);
    // Once a clean job has freed it, an old extranonce1 is not resumed.
    await again.close();
    await vi.waitFor(() => expect(p.sessions()).toHaveLength(1), PATIENCE);
    p.newBlock();
    const late = await client(p);
    const [, fresh] = (await late.request('mining.subscribe', ['a/1', en1A])).result as [unknown, string];
    expect(fresh).not.toBe(en1A);
  });

  it('sends no job before a worker is authorized, then difficulty and a clean job after the answer', async () => {
    const p = await pool();
    const c = await client(p);
    await c.request('mining.subscribe', []);
    const auth = await c.request('mining.authorize', ['alice', 'x']);
    expect(auth.result).toBe(true);
    await c.notification('mining.notify');
    expect(c.received.map((r) => r.json?.method ?? `answer:${String(r.json?.id)}`).slice(0, 4)).toEqual([
      'answer:1',
      'answer:2',
      'mining.set_difficulty',
      'mining.notify',
    ]);
    expect(c.notifications('mining.notify')[0]?.params[8]).toBe(true);
  });

  it('accepts authorize before subscribe and starts work once subscribed', async () => {
    const p = await pool();
    const c = await client(p);
    expect((await c.request('mining.authorize', ['alice', 'x'])).result).toBe(true);
    expect(c.notifications('mining.notify')).toHaveLength(0);
    await c.request('mining.subscribe', []);
    await c.notification('mining.notify');
  });

  it('authorizes only the allow-list (full name or account before the dot) when given', async () => {
    const p = await pool({ allowWorkers: ['alice', 'bob.rig2'] });
    const c = await client(p);
    await c.request('mining.subscribe', []);
    expect((await c.request('mining.authorize', ['alice.rig9', 'x'])).result).toBe(true);
    expect((await c.request('mining.authorize', ['bob.rig2', 'x'])).result).toBe(true);
    const refused = await c.request('mining.authorize', ['bob.rig3', 'x']);
    expect(codeOf(refused)).toBe(24);
    expect(p.sessions()[0]?.workers).toEqual(['alice.rig9', 'bob.rig2']);
  });
});

describe('mining.configure (BIP310)', () => {
  it('grants the intersection of the pool mask and the miner mask', async () => {
    const p = await pool();
    const c = await client(p);
    const all = await c.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': 'ffffffff' },
    ]);
    expect(all.result).toEqual({ 'version-rolling': true, 'version-rolling.mask': '1fffe000' });
    const part = await c.request('mining.configure', [
      ['version-rolling', 'minimum-difficulty'],
      { 'version-rolling.mask': '00ffff00', 'version-rolling.min-bit-count': 2 },
    ]);
    expect(part.result).toEqual({
      'version-rolling': true,
      'version-rolling.mask': '00ffe000',
      'minimum-difficulty': false,
    });
    expect(p.sessions()[0]?.versionMask).toBe(0x00ffe000);
  });

  it('refuses when the intersection has fewer bits than min-bit-count, or the pool grants none', async () => {
    const p = await pool();
    const c = await client(p);
    const few = await c.request('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': '00006000', 'version-rolling.min-bit-count': 3 },
    ]);
    expect(few.result).toEqual({ 'version-rolling': false });
    const none = await pool({ versionMask: 0 });
    const d = await client(none);
    const answer = await d.request('mining.configure', [['version-rolling'], {}]);
    expect(answer.result).toEqual({ 'version-rolling': false });
  });
});

describe('mining.suggest_difficulty', () => {
  it('honours the first suggestion, fractional, as the starting difficulty', async () => {
    const p = await pool();
    const m = await fx.miner(p, { suggestDifficulty: 0.00015 });
    expect(m.difficulty).toBe(0.00015);
    expect(p.sessions()[0]?.difficulty).toBe(0.00015);
  });

  it('ignores later suggestions but still answers them', async () => {
    const p = await pool();
    const m = await fx.miner(p, { suggestDifficulty: 0.001 });
    const again = await m.client.request('mining.suggest_difficulty', [0.5]);
    expect(again.result).toBe(true);
    await m.client.request('mining.ping', []);
    expect(m.client.notifications('mining.set_difficulty')).toHaveLength(1);
    expect(p.sessions()[0]?.difficulty).toBe(0.001);
  });

  it('clamps to the pool minimum and maximum', async () => {
    const p = await pool({ minDifficulty: 1e-5, maxDifficulty: 16 });
    const low = await fx.miner(p, { suggestDifficulty: 1e-9 });
    const high = await fx.miner(p, { suggestDifficulty: 1e18 });
    expect(low.difficulty).toBe(1e-5);
    expect(high.difficulty).toBe(16);
  });

  it('after work started, sends set_difficulty and a new job', async () => {
    const p = await pool();
    const m = await fx.miner(p);
    m.client.send({ id: null, method: 'mining.suggest_difficulty', params: ['0.0002'] });
    const diff = await m.client.notification('mining.set_difficulty');
    expect(diff.params[0]).toBe(0.0002);
    const notify = await m.client.notification('mining.notify');
    expect(notify.params[0]).not.toBe(m.job.jobId);
  });
});

describe('other methods', () => {
  it('answers mining.ping with pong and mining.extranonce.subscribe with true', async () => {
    const p = await pool();
    const c = await client(p);
    expect((await c.request('mining.ping', [])).result).toBe('pong');
    expect((await c.request('mining.extranonce.subscribe', [])).result).toBe(true);
  });

  it('asks the miner client.get_version and sends mining.ping, settling on the answers', async () => {
    const p = await pool();
    const m = await fx.miner(p);
    const id = p.sessions()[0]?.id as string;
    const version = p.getClientVersion(id);
    const ask = await m.client.notification('client.get_version');
    m.client.send({ id: ask.id, result: 'cpuminer/2.5.1', error: null });
    expect(await version).toBe('cpuminer/2.5.1');
    const ping = p.ping(id);
    await m.client.notification('mining.ping');
    m.client.send({ id: null, method: 'pong', params: [] });
    expect(await ping).toBe(true);
    expect(await p.getClientVersion(id, 50)).toBeUndefined();
  });

  it('answers an unknown method with -32601, a server-to-client method with -32601 and a non-JSON line with -32700', async () => {
    const p = await pool();
    const c = await client(p);
    expect((await c.request('mining.frobnicate', [])).error).toEqual([
      -32601,
      'Method not found: mining.frobnicate',
      null,
    ]);
    expect(codeOf(await c.request('client.reconnect', []))).toBe(-32601);
    c.sendLine('this is not json');
    const answer = await c.answer(null);
    expect(codeOf(answer)).toBe(-32700);
  });
});

describe('jobs that look like mainnet', () => {
  it('has version 0x20000000, nbits, a current ntime, a BIP34 height and branches from the synthetic transactions', async () => {
    const now = Date.UTC(2025, 5, 1, 12, 0, 0);
    const p = await pool({ transactions: 8, clock: new ManualClock(now) });
    const m = await fx.miner(p);
    const job = m.job;
    expect(job.version).toBe('20000000');
    expect(job.nbits).toBe(DEFAULT_NBITS);
    expect(Number.parseInt(job.ntime, 16)).toBe(now / 1000);
    expect(job.branches).toHaveLength(4);
    expect(job.prevhash).toMatch(/^[0-9a-f]{64}$/);
    const scriptSig = Buffer.from(job.coinb1, 'hex').subarray(42);
    expect(readBip34Height(scriptSig)).toBe(DEFAULT_START_HEIGHT);
    expect(job.coinb2).toContain('6a24aa21a9ed');
    p.newBlock();
    const next = jobFromNotify((await m.client.notification('mining.notify')).params);
    expect(readBip34Height(Buffer.from(next.coinb1, 'hex').subarray(42))).toBe(DEFAULT_START_HEIGHT + 1);
    expect(next.prevhash).not.toBe(job.prevhash);
    expect(next.clean).toBe(true);
    expect(p.stats().totals).toMatchObject({ blocks: 1, height: DEFAULT_START_HEIGHT + 1 });
  });

  it('sends new jobs and new blocks on its own timers', async () => {
    const p = await pool({ jobIntervalSeconds: 0.05, blockIntervalSeconds: 0.2 });
    const m = await fx.miner(p);
    const seen = new Set<boolean>();
    while (!seen.has(true)) {
      const n = await m.client.notification('mining.notify');
      seen.add(n.params[8] as boolean);
    }
    expect(seen).toEqual(new Set([false, true]));
  });
});

describe('a cpuminer session, line for line', () => {
  it('gets only lines cpuminer handles before its authorize answer, and its share accepted', async () => {
    // The exact lines pooler's cpuminer 2.5.1 writes (util.c stratum_subscribe/authorize, cpu-miner.c submit).
    const p = await pool();
    const c = await client(p);
    c.sendLine('{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}');
    const sub = await c.answer(1);
    const [, en1, en2Size] = sub.result as [unknown, string, number];
    c.sendLine('{"id": 2, "method": "mining.authorize", "params": ["cpu.worker", "x"]}');
    const auth = await c.answer(2);
    expect(auth).toMatchObject({ result: true, error: null });
    // cpuminer's authorize loop treats any line other than notify/set_difficulty/reconnect/get_version/show_message as the answer.
    const beforeAnswer = c.received.slice(
      1,
      c.received.findIndex((r) => r.json?.id === 2),
    );
    expect(
      beforeAnswer.every((r) => ['mining.notify', 'mining.set_difficulty'].includes(String(r.json?.method))),
    ).toBe(true);
    const diff = await c.notification('mining.set_difficulty');
    const notify = await c.notification('mining.notify');
    const job = jobFromNotify(notify.params);
    expect([job.prevhash.length, job.version.length, job.nbits.length, job.ntime.length]).toEqual([
      64, 8, 8, 8,
    ]);
    expect(job.branches.every((b) => b.length === 64)).toBe(true);
    const share = mineShare(job, {
      extranonce1: en1,
      extranonce2: '00'.repeat(en2Size),
      difficulty: diff.params[0] as number,
    });
    c.sendLine(
      `{"method": "mining.submit", "params": ["cpu.worker", "${job.jobId}", "${share.extranonce2}", "${share.ntime}", "${share.nonce}"], "id":4}`,
    );
    expect(await c.answer(4)).toMatchObject({ result: true, error: null });
    expect(p.stats().workers['cpu.worker']?.accepted).toBe(1);
  });
});
