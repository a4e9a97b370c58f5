import type { DashState } from './dash-state.js';
import { layout } from './layout.js';
import type { Layout } from './layout.js';
import { detailLines, feedLines, headerLine, upstreamLines } from './panels.js';
import type { Line } from './panels.js';
import { UNICODE_BARS } from './sparkline.js';
import type { Bars } from './sparkline.js';
import { truncate } from './format.js';
import { scrollFor, selectedIndex, visibleWorkers } from './ui-state.js';
import type { UiState } from './ui-state.js';
import { fitColumns, formatRow, headerRow, workerCells } from './worker-table.js';

export interface Panel {
  label: string;
  lines: Line[];
}

/** Everything the terminal shows, as text; the front end only places and colours it. */
export interface ScreenModel {
  layout: Layout;
  header: Line;
  upstream: Panel;
  table: Panel & { header: string };
  detail: Panel;
  feed: Panel;
  footer: Line;
  /** The UI state with the selection and scroll made valid for the current rows. */
  ui: UiState;
}

/** The footer while the filter is typed; the text box follows it on the same line. */
export const FILTER_PROMPT = 'filter by name, kind or address (Enter applies, Esc clears): ';

export interface ScreenOptions {
  url: string;
  bars?: Bars;
  /** True while the filter prompt is open (the footer says how to leave it). */
  filtering?: boolean;
}

/** The whole screen for a terminal of `width` x `height`. Pure. */
export function buildScreen(
  state: DashState,
  uiIn: UiState,
  now: number,
  width: number,
  height: number,
  options: ScreenOptions,
): ScreenModel {
  const L = layout(width, height);
  const inner = (w: number): number => Math.max(0, w - 2);
  const rows = visibleWorkers(state, uiIn);
  const index = selectedIndex(uiIn, rows);
  const ui: UiState = {
    ...uiIn,
    selected: index < 0 ? null : (rows[index]?.name ?? null),
    scrollTop: scrollFor(Math.max(0, index), uiIn.scrollTop, L.tableRows, rows.length),
  };
  const columns = fitColumns(inner(L.table.width));
  const tableLines: Line[] = rows.slice(ui.scrollTop, ui.scrollTop + L.tableRows).map((w, i) => ({
    text: truncate(formatRow(workerCells(w, columns, now), columns), inner(L.table.width)),
    style:
      ui.scrollTop + i === index ? 'selected' : !w.connected ? 'dim' : w.rejected > 0 ? 'warn' : 'normal',
  }));
  if (!rows.length) {
    tableLines.push({
      text: state.status ? (ui.filter ? `no worker matches "${ui.filter}"` : 'no workers connected') : '',
      style: 'dim',
    });
  }
  const all = state.status?.workers.length ?? 0;
  const shown = rows.length === all ? `${all}` : `${rows.length}/${all}`;
  const range =
    rows.length > L.tableRows
      ? ` ${ui.scrollTop + 1}-${Math.min(rows.length, ui.scrollTop + L.tableRows)}`
      : '';
  const selected = index < 0 ? undefined : rows[index];
  return {
    layout: L,
    header: headerLine(state, options.url, now, L.header.width),
    upstream: { label: ' upstream ', lines: upstreamLines(state.status, now, inner(L.upstream.width)) },
    table: {
      label: ` workers ${shown}${range}  sort ${ui.sort}${ui.reverse ? ' (reversed)' : ''}${ui.filter ? `  filter "${ui.filter}"` : ''} `,
      header: truncate(headerRow(columns), inner(L.table.width)),
      lines: tableLines,
    },
    detail: {
      label: selected ? ` ${selected.name} ` : ' worker ',
      lines: detailLines(
        state,
        selected,
        now,
        inner(L.detail.width),
        inner(L.detail.height),
        options.bars ?? UNICODE_BARS,
      ),
    },
    feed: { label: ' events ', lines: feedLines(state, inner(L.feed.width), inner(L.feed.height)) },
    footer: {
      text: truncate(
        options.filtering
          ? FILTER_PROMPT
          : 'q quit  arrows select  PgUp/PgDn  s sort  r reverse  / filter  Esc clear filter',
        L.footer.width,
      ),
      style: 'dim',
    },
    ui,
  };
}
