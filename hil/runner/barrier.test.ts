import { describe, expect, it } from 'vitest';
import { Barrier } from './barrier.js';

describe('Barrier', () => {
  it('runs the action once, when every participant has arrived, and gives all its result', async () => {
    const barrier = new Barrier(3);
    let runs = 0;
    const action = async () => ++runs;
    const first = barrier.arrive(0, 'drop', action);
    const second = barrier.arrive(1, 'drop', action);
    await Promise.resolve();
    expect(runs).toBe(0);
    const third = barrier.arrive(2, 'drop', action);
    expect(await Promise.all([first, second, third])).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
  });

  it('stops waiting for a participant that finished without arriving', async () => {
    const barrier = new Barrier(2);
    const waiting = barrier.arrive(0, 'k', async () => 'done');
    barrier.leave(1);
    expect(await waiting).toBe('done');
  });

  it('fires at once when the others already left', async () => {
    const barrier = new Barrier(3);
    barrier.leave(1);
    barrier.leave(2);
    expect(await barrier.arrive(0, 'k', async () => 7)).toBe(7);
  });

  it('gives every waiter the action error, including a synchronous throw', async () => {
    const barrier = new Barrier(2);
    const boom = (): Promise<never> => {
      throw new Error('boom');
    };
    const a = barrier.arrive(0, 'k', boom);
    const b = barrier.arrive(1, 'k', boom);
    await expect(a).rejects.toThrow('boom');
    await expect(b).rejects.toThrow('boom');
  });

  it('keeps gates apart and refuses an arrival at a gate already passed', async () => {
    const barrier = new Barrier(1);
    expect(await barrier.arrive(0, 'a', async () => 'a')).toBe('a');
    expect(await barrier.arrive(0, 'b', async () => 'b')).toBe('b');
    await expect(barrier.arrive(0, 'a', async () => 'again')).rejects.toThrow('already passed');
  });
});
