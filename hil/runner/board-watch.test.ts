import { describe, expect, it } from 'vitest';
import type { Clock } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import type { BoardHandle } from '../boards/serial-board.js';
import { BoardConsole } from '../serial/board-console.js';
import { BoardWatch, DEFAULT_EXCERPT_LINE_CHARS } from './board-watch.js';

/** A clock the test moves by hand. */
function manualClock(): Clock & { set(ms: number): void } {
  let now = 0;
  return { ...systemClock, now: () => now, set: (ms) => (now = ms) };
}

function board(clock: Clock): BoardHandle {
  return {
    name: 'b',
    info: { path: '/dev/null', source: 'explicit' },
    console: new BoardConsole({ clock }),
    reset: async () => undefined,
    close: async () => undefined,
  };
}

const AUTHORIZE = '  Sending  : {"params": ["bc1qwallet.rig7", "x"], "id": 2, "method": "mining.authorize"}';

describe('BoardWatch', () => {
  it('learns the worker name from the board authorize line, unless one was given', () => {
    const clock = manualClock();
    const b = board(clock);
    const found = new BoardWatch(b, undefined, clock);
    const given = new BoardWatch(b, 'bc1qgiven', clock);
    expect(found.seenSubscribe).toBe(false);
    b.console.feedLine('[WORKER] ==> Mining subscribe');
    b.console.feedLine(AUTHORIZE);
    expect(found.worker).toBe('bc1qwallet.rig7');
    expect(found.seenSubscribe).toBe(true);
    expect(given.worker).toBe('bc1qgiven');
    expect(given.lastAuthorized).toBe('bc1qwallet.rig7');
  });

  it('cuts an excerpt to the case, keeps its last lines, and leads with context when all fit', () => {
    const clock = manualClock();
    const b = board(clock);
    const watch = new BoardWatch(b, undefined, clock);
    for (let i = 0; i < 30; i++) {
      clock.set(i * 100);
      b.console.feedLine(`line ${i}`);
    }
    const whole = watch.excerpt(2000, 2500, 150, 3);
    expect(whole.omitted).toBe(0);
    expect(whole.lines).toEqual([
      { t: -300, line: 'line 17' },
      { t: -200, line: 'line 18' },
      { t: -100, line: 'line 19' },
      ...[20, 21, 22, 23, 24, 25].map((i) => ({ t: i * 100 - 2000, line: `line ${i}` })),
    ]);
    const tail = watch.excerpt(0, 2900, 4, 3);
    expect(tail.omitted).toBe(26);
    expect(tail.lines.map((l) => l.line)).toEqual(['line 26', 'line 27', 'line 28', 'line 29']);
  });

  it('keeps a bounded ring and cuts long lines', () => {
    const clock = manualClock();
    const b = board(clock);
    const watch = new BoardWatch(b, undefined, clock, 5);
    for (let i = 0; i < 9; i++) b.console.feedLine(`l${i}`);
    b.console.feedLine('x'.repeat(DEFAULT_EXCERPT_LINE_CHARS + 50));
    const { lines } = watch.excerpt(0, 0, 150, 0);
    expect(lines.map((l) => l.line.slice(0, 3))).toEqual(['l5', 'l6', 'l7', 'l8', 'xxx']);
    expect(lines[4]!.line).toBe(
      `${'x'.repeat(DEFAULT_EXCERPT_LINE_CHARS)}… (${DEFAULT_EXCERPT_LINE_CHARS + 50} chars)`,
    );
    watch.stop();
    b.console.feedLine('after stop');
    expect(watch.excerpt(0, 0, 150, 0).lines).toHaveLength(5);
  });
});
