import blessed from 'blessed';
import type { Clock, TimerHandle } from '../../runtime/clock.js';
import { systemClock } from '../../runtime/clock.js';
import { LiveFeed } from '../client/live-feed.js';
import type { DashOptions } from '../dash-options.js';
import { initialState, reduce } from '../view/dash-state.js';
import type { DashAction, DashState } from '../view/dash-state.js';
import type { Rect } from '../view/layout.js';
import { UNICODE_BARS, barsForEnv } from '../view/sparkline.js';
import { buildScreen } from '../view/screen-model.js';
import type { ScreenModel } from '../view/screen-model.js';
import {
  INITIAL_UI,
  cycleSort,
  moveSelection,
  reverseSort,
  setFilter,
  visibleWorkers,
} from '../view/ui-state.js';
import type { UiState } from '../view/ui-state.js';
import { paintLine } from './paint.js';

/** Redraws at most this often when events pour in, and at least this often for the ages. */
export const DEFAULT_RENDER_MS = 200;
export const DEFAULT_TICK_MS = 1000;

type Box = blessed.Widgets.BoxElement;

/** The full-screen dashboard. Resolves when the operator quits (q, Ctrl-C). */
export function runTui(options: DashOptions, clock: Clock = systemClock): Promise<void> {
  const bars = barsForEnv(process.env);
  const screen = blessed.screen({ smartCSR: true, title: 'karoo dash', warnings: false, autoPadding: false });
  // In a UTF-8 locale draw borders as UTF-8 box characters rather than through the terminal's
  // alternate character set (what ncurses does with NCURSES_NO_UTF8_ACS=1): same look, and
  // tmux capture-pane shows real lines instead of "lqqk".
  if (bars === UNICODE_BARS) (screen.tput as { brokenACS?: boolean }).brokenACS = true;
  const box = (border: boolean): Box =>
    blessed.box({
      parent: screen,
      tags: true,
      wrap: false,
      ...(border ? { border: { type: 'line' as const }, style: { border: { fg: 'blue' } } } : {}),
    });
  const header = box(false);
  const upstream = box(true);
  const table = box(true);
  const detail = box(true);
  const events = box(true);
  const footer = box(false);
  const prompt = blessed.textbox({ parent: screen, inputOnFocus: false, hidden: true, height: 1 });

  let state: DashState = initialState(clock.now());
  let ui: UiState = INITIAL_UI;
  let model: ScreenModel | undefined;
  let filtering = false;
  let renderTimer: TimerHandle | undefined;
  const url = options.base.origin;

  const render = (): void => {
    clock.clearTimeout(renderTimer);
    renderTimer = undefined;
    const width = Number(screen.width);
    const height = Number(screen.height);
    model = buildScreen(state, ui, clock.now(), width, height, { url, bars, filtering });
    ui = model.ui;
    const L = model.layout;
    place(header, L.header);
    place(upstream, L.upstream, true);
    place(table, L.table, true);
    place(detail, L.detail, true);
    place(events, L.feed, true);
    header.setContent(paintLine(model.header, L.header.width));
    upstream.setLabel(model.upstream.label);
    upstream.setContent(model.upstream.lines.map((l) => paintLine(l, L.upstream.width - 2)).join('\n'));
    table.setLabel(model.table.label);
    table.setContent(
      [
        `{bold}${blessed.escape(model.table.header)}{/bold}`,
        ...model.table.lines.map((l) => paintLine(l, L.table.width - 2)),
      ].join('\n'),
    );
    detail.setLabel(model.detail.label);
    detail.setContent(model.detail.lines.map((l) => paintLine(l, L.detail.width - 2)).join('\n'));
    events.setLabel(model.feed.label);
    events.setContent(model.feed.lines.map((l) => paintLine(l, L.feed.width - 2)).join('\n'));
    place(footer, L.footer);
    footer.setContent(paintLine(model.footer, L.footer.width));
    if (filtering) {
      const left = Math.min(model.footer.text.length, Math.max(0, L.footer.width - 10));
      place(prompt, { top: L.footer.top, left, width: L.footer.width - left, height: 1 });
    }
    screen.render();
  };
  const soon = (): void => {
    if (renderTimer === undefined) renderTimer = clock.setTimeout(render, DEFAULT_RENDER_MS);
  };

  const feed = new LiveFeed(
    { base: options.base, token: options.token, clock, refreshMs: options.refreshMs },
    (action: DashAction) => {
      state = reduce(state, action);
      soon();
    },
  );

  const move = (delta: number): void => {
    ui = moveSelection(ui, visibleWorkers(state, ui), delta, model?.layout.tableRows ?? 1);
    render();
  };
  const page = (): number => Math.max(1, model?.layout.tableRows ?? 1);
  /** A command key; ignored while the filter prompt has the keyboard. */
  const key = (names: string[], fn: () => void): void => {
    screen.key(names, () => {
      if (!filtering) fn();
    });
  };
  key(['up', 'k'], () => move(-1));
  key(['down', 'j'], () => move(1));
  key(['pageup'], () => move(-page()));
  key(['pagedown'], () => move(page()));
  key(['home', 'g'], () => move(-Infinity));
  key(['end', 'S-g'], () => move(Infinity));
  key(['s'], () => {
    ui = cycleSort(ui);
    render();
  });
  key(['r'], () => {
    ui = reverseSort(ui);
    render();
  });
  key(['escape'], () => {
    ui = setFilter(ui, '');
    render();
  });
  key(['/'], () => {
    if (!model) return;
    filtering = true;
    prompt.setValue(ui.filter);
    render();
    prompt.readInput((_err, value) => {
      filtering = false;
      prompt.hide();
      // Enter submits the text; Escape gives null and clears the filter.
      ui = setFilter(ui, typeof value === 'string' ? value : '');
      render();
    });
  });

  const ticker = clock.setInterval(render, DEFAULT_TICK_MS);
  screen.on('resize', render);
  feed.start();
  render();

  return new Promise((resolve) => {
    let done = false;
    const quit = (): void => {
      if (done) return;
      done = true;
      feed.stop();
      clock.clearInterval(ticker);
      clock.clearTimeout(renderTimer);
      screen.destroy();
      resolve();
    };
    key(['q'], quit);
    screen.key(['C-c'], quit);
  });
}

/** Puts `el` at `r`; a bordered box with no room inside is hidden. */
function place(el: blessed.Widgets.BlessedElement, r: Rect, bordered = false): void {
  if (bordered && r.height < 3) {
    el.hide();
    return;
  }
  el.show();
  el.top = r.top;
  el.left = r.left;
  el.width = r.width;
  el.height = r.height;
}
