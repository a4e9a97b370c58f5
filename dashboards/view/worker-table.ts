import type { WorkerStatus } from '../../proxy/api/index.js';
import {
  ago,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  padLeft,
  padRight,
} from './format.js';

export const SORT_KEYS = [
  'name',
  'hashrate',
  'accepted',
  'rejected',
  'stale',
  'last',
  'p95',
  'difficulty',
  'kind',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface Column {
  id: string;
  title: string;
  width: number;
  align: 'left' | 'right';
  /** Shown only when the terminal is wide enough; lower drops first. 0 = always. */
  priority: number;
  cell: (w: WorkerStatus, now: number) => string;
}

/**
 * The name column takes what the others leave, between the min and max widths; an optional
 * column is shown only if the name can still have its preferred width.
 */
export const NAME_MIN_WIDTH = 10;
export const NAME_PREFERRED_WIDTH = 20;
export const NAME_MAX_WIDTH = 32;

export const COLUMNS: readonly Column[] = [
  { id: 'name', title: 'worker', width: NAME_MIN_WIDTH, align: 'left', priority: 0, cell: (w) => w.name },
  { id: 'kind', title: 'kind', width: 9, align: 'left', priority: 0, cell: (w) => w.kind },
  {
    id: 'difficulty',
    title: 'diff',
    width: 6,
    align: 'right',
    priority: 0,
    cell: (w) => formatDifficulty(w.difficulty),
  },
  {
    id: 'hashrate',
    title: 'H/s',
    width: 5,
    align: 'right',
    priority: 0,
    cell: (w) => formatHashrate(w.hashrate),
  },
  {
    id: 'accepted',
    title: 'acc',
    width: 5,
    align: 'right',
    priority: 0,
    cell: (w) => formatCount(w.accepted),
  },
  {
    id: 'rejected',
    title: 'rej',
    width: 4,
    align: 'right',
    priority: 0,
    cell: (w) => formatCount(w.rejected),
  },
  { id: 'stale', title: 'stl', width: 4, align: 'right', priority: 0, cell: (w) => formatCount(w.stale) },
  {
    id: 'last',
    title: 'last',
    width: 4,
    align: 'right',
    priority: 0,
    cell: (w, now) => ago(w.last_share_at, now),
  },
  {
    id: 'p50',
    title: 'p50',
    width: 5,
    align: 'right',
    priority: 0,
    cell: (w) => formatDuration(w.latency_ms.p50),
  },
  {
    id: 'p95',
    title: 'p95',
    width: 5,
    align: 'right',
    priority: 0,
    cell: (w) => formatDuration(w.latency_ms.p95),
  },
  {
    id: 'spacing',
    title: 'spacing',
    width: 7,
    align: 'right',
    priority: 0,
    cell: (w) => formatDuration(w.share_spacing_ms.p50),
  },
  {
    id: 'pool',
    title: 'pool a/r',
    width: 9,
    align: 'right',
    priority: 1,
    cell: (w) => `${formatCount(w.pool.accepted)}/${formatCount(w.pool.rejected)}`,
  },
  {
    id: 'fwd',
    title: 'fwd',
    width: 5,
    align: 'right',
    priority: 2,
    cell: (w) => formatCount(w.pool.forwarded),
  },
  { id: 'dup', title: 'dup', width: 3, align: 'right', priority: 4, cell: (w) => formatCount(w.duplicates) },
  { id: 'remote', title: 'remote', width: 21, align: 'left', priority: 3, cell: (w) => w.remote ?? '-' },
];

const GAP = 1;

/** The columns that fit `width`, with the name column widened into the space left over. */
export function fitColumns(width: number, columns: readonly Column[] = COLUMNS): Column[] {
  const used = (cols: readonly Column[]): number =>
    cols.reduce((n, c) => n + c.width, 0) + GAP * (cols.length - 1);
  const chosen = new Set(columns.filter((c) => c.priority === 0));
  // Optional columns, most important first, each if it still leaves the name its preferred width.
  for (const c of [...columns].filter((c) => c.priority > 0).sort((a, b) => a.priority - b.priority)) {
    const trial = columns.filter((x) => chosen.has(x) || x === c);
    if (used(trial) + (NAME_PREFERRED_WIDTH - NAME_MIN_WIDTH) <= width) chosen.add(c);
  }
  const shown = columns.filter((c) => chosen.has(c));
  const spare = Math.max(0, width - used(shown));
  const nameWidth = NAME_MIN_WIDTH + Math.min(spare, NAME_MAX_WIDTH - NAME_MIN_WIDTH);
  return shown.map((c) => (c.id === 'name' ? { ...c, width: nameWidth } : c));
}

/** One line of fixed-width cells. */
export function formatRow(cells: readonly string[], columns: readonly Column[]): string {
  return columns
    .map((c, i) =>
      c.align === 'left' ? padRight(cells[i] ?? '', c.width) : padLeft(cells[i] ?? '', c.width),
    )
    .join(' '.repeat(GAP))
    .trimEnd();
}

export function headerRow(columns: readonly Column[]): string {
  return formatRow(
    columns.map((c) => c.title),
    columns,
  );
}

export function workerCells(w: WorkerStatus, columns: readonly Column[], now: number): string[] {
  return columns.map((c) => c.cell(w, now));
}

/** Workers whose name, kind or remote address contains `filter` (case-insensitive). */
export function filterWorkers(workers: readonly WorkerStatus[], filter: string): WorkerStatus[] {
  const f = filter.trim().toLowerCase();
  if (!f) return [...workers];
  return workers.filter((w) => [w.name, w.kind, w.remote ?? ''].some((s) => s.toLowerCase().includes(f)));
}

/**
 * Sorted copy. Numbers sort largest first (most recent first for `last`) unless `reverse`; names
 * and kinds A-Z; unknown values last; ties by name.
 */
export function sortWorkers(workers: readonly WorkerStatus[], key: SortKey, reverse = false): WorkerStatus[] {
  const value = sortValue(key);
  const dir = reverse ? -1 : 1;
  return [...workers].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = compareValues(va, vb, dir);
    return c !== 0 ? c : a.name.localeCompare(b.name);
  });
}

/** Unknown last whatever the direction; strings A-Z and numbers largest first when `dir` is 1. */
function compareValues(va: string | number | null, vb: string | number | null, dir: number): number {
  if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
  if (typeof va === 'string' && typeof vb === 'string') return dir * va.localeCompare(vb);
  return dir * (Number(vb) - Number(va));
}

function sortValue(key: SortKey): (w: WorkerStatus) => string | number | null {
  switch (key) {
    case 'name':
      return (w) => w.name;
    case 'kind':
      return (w) => w.kind;
    case 'hashrate':
      return (w) => w.hashrate;
    case 'accepted':
      return (w) => w.accepted;
    case 'rejected':
      return (w) => w.rejected;
    case 'stale':
      return (w) => w.stale;
    case 'last':
      return (w) => w.last_share_at;
    case 'p95':
      return (w) => w.latency_ms.p95;
    case 'difficulty':
      return (w) => w.difficulty;
  }
}
