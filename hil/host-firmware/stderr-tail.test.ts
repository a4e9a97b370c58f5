import { describe, expect, it } from 'vitest';
import { STDERR_TAIL_LINES, StderrTail } from './stderr-tail.js';

describe('StderrTail', () => {
  it('keeps the last lines, whole across chunks, blank ones dropped, each cut to a bounded length', () => {
    const tail = new StderrTail();
    tail.push('first li');
    tail.push('ne\r\n\n');
    tail.push(`${'x'.repeat(1000)}\nunfinished`);
    expect(tail.get()).toEqual(['first line', 'x'.repeat(400), 'unfinished']);
    for (let i = 0; i < 50; i++) tail.push(`line ${i}\n`);
    expect(tail.get()).toHaveLength(STDERR_TAIL_LINES);
    expect(tail.get().at(-1)).toBe('line 49');
  });
});
