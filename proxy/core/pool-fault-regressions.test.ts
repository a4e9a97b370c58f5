import { describe, expect, it } from 'vitest';
import { coreBench } from './test-support/core-bench.js';
import type { TestMiner } from './test-support/test-miner.js';

/** Each of these failed on the proxy before the sealed core (issue: "a proxy core you can trust"). */

describe('bug: a share accepted and forwarded twice after a redial that resumes', () => {
  it('answers a resubmitted share 22 when the resumed pool sends the same job again', async () => {
    const b = coreBench();
    const m = await b.miner('rig.resume');
    const first = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(first)?.result).toBe(true);
    const jobId = m.latestJob?.jobId;

    b.pool.dropAll();
    await b.settle();
    await b.tick(2_000);
    // The pool resumed the session (same extranonce1) and sent the same job, clean.
    expect(b.pool.live).toHaveLength(1);
    expect(b.pool.live[0]?.extranonce1).toBe(b.pool.connections[0]?.extranonce1);
    expect(m.latestJob?.jobId).toBe(jobId);
    expect(m.isClosed).toBe(false);

    const again = m.submit('duplicate') as number;
    await b.settle();
    expect(m.answer(again)?.error).toEqual([22, 'Duplicate share', null]);
    const hashes = b.pool.received.map((r) => r.hash);
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(b.pool.received.filter((r) => r.verdict === 'duplicate')).toHaveLength(0);
  });
});

describe('bug: a redial never resumed on ckpool', () => {
  it('offers the pool’s notify subscription id, not the extranonce1, so ckpool resumes and miners stay', async () => {
    // ckpool looks a disconnected session up by its %08x subscription id (stratifier.c parse_subscribe).
    const b = coreBench();
    b.pool.resumeBy = 'subscription';
    const m = await b.miner('rig.ckpool');
    const first = b.pool.connections[0];
    expect(first?.subscriptionId).not.toBe(first?.extranonce1);
    b.pool.dropAll();
    await b.settle();
    await b.tick(2_000);
    expect(b.pool.live).toHaveLength(1);
    expect(b.pool.live[0]?.extranonce1).toBe(first?.extranonce1);
    expect(m.isClosed).toBe(false);
    // Resumed again from the resumed session.
    b.pool.dropAll();
    await b.settle();
    await b.tick(5_000);
    expect(b.pool.live[0]?.extranonce1).toBe(first?.extranonce1);
    expect(m.isClosed).toBe(false);
  });
});

describe('bug: a pool that never answers mining.configure could never be used', () => {
  it('goes on without version rolling shortly after the subscribe answer, and mines', async () => {
    const b = coreBench();
    b.pool.answerConfigure = false;
    // A Bitaxe on a cold proxy: configure, subscribe, authorize, each answered within a second.
    const cold = b.connect('rig.cold');
    const configure = cold.configure('1fffe000');
    const subscribe = cold.subscribe('bitaxe/BM1366/v2.4.0');
    cold.authorize();
    await b.settle();
    await b.tick(300);
    expect(b.core.upstreamState).toBe('ready');
    expect(b.pool.dialTimes).toHaveLength(1);
    expect(b.pool.connections[0]?.user).toBe('rack.upstream');
    expect(Array.isArray(cold.answer(subscribe)?.result)).toBe(true);
    // The pool granted nothing, so the miner is told there is nothing to roll.
    expect(cold.answer(configure)?.result).toEqual({ 'version-rolling': false });
    // The next session with that pool does not ask again.
    b.pool.dropAll();
    await b.settle();
    await b.tick(2_000);
    expect(b.pool.connections).toHaveLength(2);
    expect(b.pool.live).toHaveLength(1);
    expect(b.pool.configureRequests).toBe(1);
    const share = cold.submit('valid') as number;
    await b.settle();
    expect(cold.answer(share)?.result).toBe(true);
    expect(b.pool.received[0]?.verdict).toBe('accepted');
  });
});

describe('bug: extranonce prefixes leaked on every re-split', () => {
  it('subscribes 100 NerdMiners in every round of pool extranonce changes (3-byte pool extranonce2)', async () => {
    const b = coreBench({ pool: { extranonce2Size: 3 }, core: { maxClients: 1000 } });
    const subscribed: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const rack: TestMiner[] = [];
      for (let i = 0; i < 100; i += 1) rack.push(b.connect(`nerd.${round}.${i}`));
      const ids = rack.map((m) => [m, m.subscribe(), m.authorize()] as const);
      await b.settle();
      await b.tick(0);
      subscribed.push(ids.filter(([m, sub]) => Array.isArray(m.answer(sub)?.result)).length);
      expect(b.core.allocatedPrefixes().sort()).toEqual(
        b.core
          .snapshot()
          .miners.flatMap((x) => (x.prefix === null ? [] : [x.prefix]))
          .sort(),
      );
      // The pool changes the extranonce; NerdMiners cannot follow and are reconnected.
      b.pool.setExtranonce();
      await b.settle();
      expect(rack.every((m) => m.isClosed)).toBe(true);
      expect(b.core.allocatedPrefixes()).toEqual([]);
      b.pool.newJob({ clean: false });
      await b.settle();
    }
    expect(subscribed).toEqual([100, 100, 100, 100, 100]);
  });
});

describe('bug: the redial backoff never grew when the pool dropped right after each handshake', () => {
  it('dials a few times in 70 s, each wait longer in expectation, never resetting', async () => {
    const b = coreBench({ seed: 7 });
    b.pool.mode = 'drop-after-handshake';
    await b.miner('rig.flap');
    for (let t = 0; t < 70_000; t += 250) await b.tick(250);
    const dials = b.pool.dialTimes.length;
    // 1 s doubling to 60 s: the ceilings sum past 70 s after about 7 failures.
    expect(dials).toBeGreaterThanOrEqual(4);
    expect(dials).toBeLessThanOrEqual(12);
    // Every failure counted: the backoff exponent was never reset by a handshake that went nowhere.
    expect(b.core.snapshot().upstream.attempt).toBe(dials);
    const gaps = b.pool.dialTimes.slice(1).map((at, i) => at - (b.pool.dialTimes[i] as number));
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(250);
      expect(gap).toBeLessThanOrEqual(Math.min(60_000, 1000 * 2 ** i) + 250);
    });
  });

  it('starts over after a session delivered work for the healthy period', async () => {
    const b = coreBench({ seed: 3 });
    b.pool.mode = 'drop-after-handshake';
    await b.miner('rig.heal');
    for (let t = 0; t < 20_000; t += 250) await b.tick(250);
    expect(b.core.snapshot().upstream.attempt).toBeGreaterThan(2);
    b.pool.mode = 'normal';
    for (let t = 0; t < 70_000 && b.core.upstreamState !== 'ready'; t += 250) await b.tick(250);
    expect(b.core.upstreamState).toBe('ready');
    await b.tick(31_000);
    b.pool.newJob({ clean: false });
    await b.settle();
    expect(b.core.snapshot().upstream.attempt).toBe(0);
  });
});

describe('bug: client.reconnect was followed to any host, credentials included', () => {
  it('ignores a reconnect to a foreign host and stays on the pool', async () => {
    const b = coreBench();
    const m = await b.miner('rig.stay');
    b.pool.clientReconnect('evil.example.net', 4444);
    await b.settle();
    await b.tick(5_000);
    expect(b.pool.dialed.map((e) => e.host)).toEqual(['stratum.pool.example']);
    expect(b.pool.live).toHaveLength(1);
    const share = m.submit('valid') as number;
    await b.settle();
    expect(m.answer(share)?.result).toBe(true);
  });

  it('follows a reconnect within the pool’s domain, with the same credentials', async () => {
    const b = coreBench();
    await b.miner('rig.move');
    b.pool.clientReconnect('eu.pool.example', 3334);
    await b.settle();
    await b.tick(1_000);
    expect(b.pool.dialed.map((e) => `${e.host}:${e.port}`)).toEqual([
      'stratum.pool.example:3333',
      'eu.pool.example:3334',
    ]);
    expect(b.pool.dialed[1]?.user).toBe('rack.upstream');
    expect(b.core.upstreamState).toBe('ready');
  });
});
