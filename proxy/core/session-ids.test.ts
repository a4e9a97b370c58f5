import { describe, expect, it } from 'vitest';
import { coreBench } from './test-support/core-bench.js';

describe('connection ids', () => {
  it('count 1, 2, 3 by default', async () => {
    const b = coreBench();
    for (const name of ['a', 'b', 'c']) await b.miner(`rig.${name}`);
    expect(b.core.snapshot().miners.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it('follow first and step, so the worker processes behind one port never share one', async () => {
    const ids = [];
    for (const first of [1, 2, 3]) {
      const b = coreBench({ sessionIds: { first, step: 3 } });
      for (const name of ['a', 'b', 'c']) await b.miner(`rig.${name}`);
      ids.push(...b.core.snapshot().miners.map((m) => m.id));
    }
    expect(ids).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
  });
});
