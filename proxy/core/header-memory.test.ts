import { describe, expect, it } from 'vitest';
import { HeaderMemory } from './header-memory.js';

describe('HeaderMemory', () => {
  const blocks: Record<string, string> = { a1: 'A', a2: 'A', b1: 'B', c1: 'C', d1: 'D', e1: 'E' };
  const memory = (max?: number) => new HeaderMemory((id) => blocks[id], max);

  it('knows a header by its hash whatever job id it comes under', () => {
    const m = memory();
    m.add('a1', 'h1');
    expect(m.has('a1', 'h1')).toBe(true);
    expect(m.has('a2', 'h1')).toBe(true);
    expect(m.has('a1', 'h2')).toBe(false);
    expect(m.size).toBe(1);
    m.add('a2', 'h1');
    expect(m.size).toBe(1);
  });

  it('keeps a block’s headers through clean jobs on the same block, forgets them on a new one', () => {
    const m = memory();
    m.add('a1', 'h1');
    m.add('b1', 'h2');
    m.onCleanJob('A');
    expect(m.has('a1', 'h1')).toBe(true);
    expect(m.has('b1', 'h2')).toBe(false);
    m.onCleanJob('B');
    expect(m.has('a1', 'h1')).toBe(false);
    expect(m.size).toBe(0);
  });

  it('is bounded: at most four blocks, and at most maxEntries headers, oldest block first', () => {
    const m = memory(3);
    for (const id of ['a1', 'b1', 'c1', 'd1', 'e1']) m.add(id, `h-${id}`);
    expect(m.has('a1', 'h-a1')).toBe(false);
    expect(m.size).toBeLessThanOrEqual(3);
    expect(m.has('e1', 'h-e1')).toBe(true);
  });
});
