import type { DashState } from './dash-state.js';
import { clockTime } from './format.js';
import { linkText, upstreamLines } from './panels.js';
import {
  COLUMNS,
  NAME_MAX_WIDTH,
  NAME_MIN_WIDTH,
  formatRow,
  headerRow,
  sortWorkers,
  workerCells,
} from './worker-table.js';

/**
 * The no-TTY view: a header, the upstream lines and every worker (by name) with every column,
 * the name column as wide as the longest name (within limits). Ends with a newline. Pure.
 */
export function plainReport(state: DashState, url: string, now: number): string {
  const link = linkText(state.link, now);
  const out = [`karoo dash ${url} at ${clockTime(now)}: ${link.text}`];
  if (!state.status) return `${out.join('\n')}\n`;
  for (const l of upstreamLines(state.status, now, 10_000)) out.push(l.text);
  const workers = sortWorkers(state.status.workers, 'name');
  const longest = workers.reduce((n, w) => Math.max(n, w.name.length), 0);
  const nameWidth = Math.max(NAME_MIN_WIDTH, Math.min(NAME_MAX_WIDTH, longest));
  const columns = COLUMNS.map((c) => (c.id === 'name' ? { ...c, width: nameWidth } : c));
  out.push(headerRow(columns));
  for (const w of workers) out.push(formatRow(workerCells(w, columns, now), columns));
  if (!workers.length) out.push('(no workers)');
  return `${out.join('\n')}\n`;
}
