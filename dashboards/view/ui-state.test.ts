import { describe, expect, it } from 'vitest';
import { workerFixture } from '../../proxy/api/test-support/status-fixture.js';
import {
  INITIAL_UI,
  cycleSort,
  moveSelection,
  reverseSort,
  scrollFor,
  selectedIndex,
  setFilter,
} from './ui-state.js';
import { SORT_KEYS } from './worker-table.js';

const rows = ['a', 'b', 'c', 'd', 'e'].map((n) => workerFixture(n));

describe('ui state', () => {
  it('selects the first row when nothing (or a vanished worker) is selected', () => {
    expect(selectedIndex(INITIAL_UI, rows)).toBe(0);
    expect(selectedIndex({ ...INITIAL_UI, selected: 'gone' }, rows)).toBe(0);
    expect(selectedIndex({ ...INITIAL_UI, selected: 'c' }, rows)).toBe(2);
    expect(selectedIndex(INITIAL_UI, [])).toBe(-1);
  });

  it('moves the selection within the rows and scrolls a 2-row window with it', () => {
    let ui = moveSelection(INITIAL_UI, rows, 3, 2);
    expect(ui).toMatchObject({ selected: 'd', scrollTop: 2 });
    ui = moveSelection(ui, rows, 10, 2);
    expect(ui).toMatchObject({ selected: 'e', scrollTop: 3 });
    ui = moveSelection(ui, rows, -1, 2);
    expect(ui).toMatchObject({ selected: 'd', scrollTop: 3 });
    ui = moveSelection(ui, rows, -10, 2);
    expect(ui).toMatchObject({ selected: 'a', scrollTop: 0 });
    expect(moveSelection(ui, [], 1, 2)).toMatchObject({ selected: null, scrollTop: 0 });
  });

  it('clamps the scroll when rows go away', () => {
    expect(scrollFor(1, 40, 5, 10)).toBe(1);
    expect(scrollFor(9, 40, 5, 10)).toBe(5);
    expect(scrollFor(0, 3, 0, 10)).toBe(0);
  });

  it('cycles through every sort key back to the first, and reverses', () => {
    let ui = INITIAL_UI;
    const seen = [ui.sort];
    for (let i = 0; i < SORT_KEYS.length; i += 1) {
      ui = cycleSort(reverseSort(ui));
      expect(ui.reverse).toBe(false);
      seen.push(ui.sort);
    }
    expect(seen).toEqual([...SORT_KEYS, SORT_KEYS[0]]);
  });

  it('trims the filter and scrolls back to the top', () => {
    expect(setFilter({ ...INITIAL_UI, scrollTop: 7 }, '  nerd ')).toMatchObject({
      filter: 'nerd',
      scrollTop: 0,
    });
  });
});
