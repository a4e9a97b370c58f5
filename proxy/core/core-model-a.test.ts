import { describe, expect, it } from 'vitest';
import { runCoreModel } from './test-support/core-model.js';

/**
 * Model-based fault tests, half one of two (the halves run in parallel; together over
 * 10,000 random steps per run): random interleavings of miner actions and pool faults drive the
 * core in memory, and CoreInvariants is checked after every step (test-support/core-model.ts).
 */
describe('the proxy core under random pool faults and miner actions (model-based, seed 0x6b61726f)', () => {
  it('keeps every invariant after every step of 5,000+ random steps', async () => {
    expect(await runCoreModel(0x6b61726f, 5_000)).toBeGreaterThanOrEqual(5_000);
  }, 120_000);
});
