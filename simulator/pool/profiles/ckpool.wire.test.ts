import { describe, expect, it } from 'vitest';
import { startPool } from '../pool-server.js';
import { poolFixture } from '../test-support/pool-fixture.js';

const fx = poolFixture();

describe('karoo pool --profile ckpool, on the wire', () => {
  it("gives a real client ckpool's subscribe answer, integer difficulties and silent suggestions", async () => {
    const pool = fx.trackPool(
      await startPool({ port: 0, profile: 'ckpool', jobIntervalSeconds: 0, blockIntervalSeconds: 0 }),
    );
    const c = await fx.client(pool);
    const sub = await c.request('mining.subscribe', ['bitaxe/BM1370/v2.4.0']);
    const [, en1] = sub.result as [unknown, string];
    expect(sub.result).toEqual([[['mining.notify', '00000001']], en1, 8]);
    // Before authorize a suggestion is dropped; after it only integers count, unanswered.
    c.send({ id: 'early', method: 'mining.suggest_difficulty', params: [1000] });
    expect((await c.request('mining.authorize', ['alice.bitaxe', 'x'])).result).toBe(true);
    expect((await c.notification('mining.set_difficulty')).params).toEqual([42]);
    await c.notification('mining.notify');
    c.send({ id: 'half', method: 'mining.suggest_difficulty', params: [0.5] });
    c.send({ id: 'whole', method: 'mining.suggest_difficulty', params: [1000] });
    expect((await c.notification('mining.set_difficulty')).params).toEqual([1000]);
    pool.setDifficulty(0.25);
    expect((await c.notification('mining.set_difficulty')).params).toEqual([1]);
    for (const id of ['early', 'half', 'whole']) expect(c.answersTo(id)).toEqual([]);
    expect(c.notifications('mining.set_difficulty').map((n) => n.params)).toEqual([[42], [1000], [1]]);
  });
});
