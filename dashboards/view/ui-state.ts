import type { WorkerStatus } from '../../proxy/api/index.js';
import type { DashState } from './dash-state.js';
import { SORT_KEYS, filterWorkers, sortWorkers } from './worker-table.js';
import type { SortKey } from './worker-table.js';

/** What the operator chose: selection (by name, so it survives re-sorting), sort, filter, scroll. */
export interface UiState {
  selected: string | null;
  sort: SortKey;
  reverse: boolean;
  filter: string;
  scrollTop: number;
}

export const INITIAL_UI: UiState = { selected: null, sort: 'name', reverse: false, filter: '', scrollTop: 0 };

/** The table's workers in display order. */
export function visibleWorkers(state: DashState, ui: UiState): WorkerStatus[] {
  return sortWorkers(filterWorkers(state.status?.workers ?? [], ui.filter), ui.sort, ui.reverse);
}

/** Index of the selected worker in `rows` (the first when it is gone), or -1 when empty. */
export function selectedIndex(ui: UiState, rows: readonly WorkerStatus[]): number {
  if (rows.length === 0) return -1;
  const i = ui.selected === null ? -1 : rows.findIndex((w) => w.name === ui.selected);
  return i < 0 ? 0 : i;
}

/** Moves the selection by `delta` rows (clamped), keeping it in view of `height` rows. */
export function moveSelection(
  ui: UiState,
  rows: readonly WorkerStatus[],
  delta: number,
  height: number,
): UiState {
  if (rows.length === 0) return { ...ui, selected: null, scrollTop: 0 };
  const from = selectedIndex(ui, rows);
  const to = Math.max(0, Math.min(rows.length - 1, from + delta));
  return {
    ...ui,
    selected: rows[to]?.name ?? null,
    scrollTop: scrollFor(to, ui.scrollTop, height, rows.length),
  };
}

/** The next sort key (s), back to the first after the last. */
export function cycleSort(ui: UiState): UiState {
  const next = SORT_KEYS[(SORT_KEYS.indexOf(ui.sort) + 1) % SORT_KEYS.length] ?? 'name';
  return { ...ui, sort: next, reverse: false };
}

export function reverseSort(ui: UiState): UiState {
  return { ...ui, reverse: !ui.reverse };
}

export function setFilter(ui: UiState, filter: string): UiState {
  return { ...ui, filter: filter.trim(), scrollTop: 0 };
}

/** The first visible row so that row `index` of `count` shows in a window of `height`. */
export function scrollFor(index: number, scrollTop: number, height: number, count: number): number {
  if (height <= 0 || count <= 0) return 0;
  let top = Math.min(scrollTop, Math.max(0, count - height));
  if (index < top) top = index;
  if (index >= top + height) top = index - height + 1;
  return Math.max(0, top);
}
