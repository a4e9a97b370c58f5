import { describe, expect, it } from 'vitest';
import type { WorkerStatus } from '../../proxy/api/index.js';
import { T0, statusFixture, workerFixture } from '../../proxy/api/test-support/status-fixture.js';
import { initialState, reduce } from './dash-state.js';
import type { DashState } from './dash-state.js';
import type { Rect } from './layout.js';
import { ASCII_BARS } from './sparkline.js';
import { buildScreen } from './screen-model.js';
import type { ScreenModel } from './screen-model.js';
import { INITIAL_UI, cycleSort, moveSelection, setFilter, visibleWorkers } from './ui-state.js';

const URL = 'http://127.0.0.1:8080';

function stateWith(workers: WorkerStatus[]): DashState {
  let s = reduce(initialState(T0), { type: 'link', at: T0, phase: 'live' });
  s = reduce(s, { type: 'status', at: T0, status: statusFixture(workers) });
  return s;
}

const rack = (n: number): WorkerStatus[] =>
  Array.from({ length: n }, (_, i) =>
    workerFixture(`rack.w${String(i + 1).padStart(2, '0')}`, { accepted: 100 + i, hashrate: 1000 * (n - i) }),
  );

/** Every panel's text fits its box: lines within the inner width, not more lines than rows. */
function expectFits(m: ScreenModel): void {
  const L = m.layout;
  const inner = (r: Rect): { w: number; h: number } => ({
    w: Math.max(0, r.width - 2),
    h: Math.max(0, r.height - 2),
  });
  expect(m.header.text.length).toBeLessThanOrEqual(L.header.width);
  expect(m.footer.text.length).toBeLessThanOrEqual(L.footer.width);
  const panels: [Rect, string[]][] = [
    [L.upstream, m.upstream.lines.map((l) => l.text)],
    [L.table, [m.table.header, ...m.table.lines.map((l) => l.text)]],
    [L.detail, m.detail.lines.map((l) => l.text)],
    [L.feed, m.feed.lines.map((l) => l.text)],
  ];
  for (const [rect, lines] of panels) {
    expect(lines.length).toBeLessThanOrEqual(inner(rect).h);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(inner(rect).w);
  }
}

/** The boxes tile the terminal: inside it, no overlaps, every cell covered. */
function expectTiles(m: ScreenModel, width: number, height: number): void {
  const grid = Array.from({ length: height }, () => new Array<number>(width).fill(0));
  const L = m.layout;
  for (const r of [L.header, L.upstream, L.table, L.detail, L.feed, L.footer]) {
    expect(r.top + r.height).toBeLessThanOrEqual(height);
    expect(r.left + r.width).toBeLessThanOrEqual(width);
    for (let y = r.top; y < r.top + r.height; y += 1)
      for (let x = r.left; x < r.left + r.width; x += 1) grid[y]![x]! += 1;
  }
  expect(grid.flat().every((n) => n === 1)).toBe(true);
}

describe('screen model', () => {
  it('fits 80x24 with every panel in place', () => {
    const m = buildScreen(stateWith(rack(3)), INITIAL_UI, T0 + 1000, 80, 24, { url: URL });
    expectTiles(m, 80, 24);
    expectFits(m);
    expect(m.header.text).toContain('live');
    expect(m.upstream.lines[0]?.text).toContain('pool pool.example:3333');
    expect(m.upstream.lines[0]?.text).toContain('diff 1.02k');
    expect(m.table.header).toMatch(/^worker +kind +diff +H\/s +acc +rej +stl +last +p50 +p95 +spacing$/);
    expect(m.table.lines.map((l) => l.text.split(' ')[0])).toEqual(['rack.w01', 'rack.w02', 'rack.w03']);
    expect(m.table.lines.map((l) => l.style)).toEqual(['selected', 'normal', 'normal']);
    expect(m.detail.label).toBe(' rack.w01 ');
    expect(m.footer.text).toMatch(/^q quit .*s sort.*\/ filter/);
    expect(m.layout.tableRows).toBeGreaterThanOrEqual(5);
  });

  it('uses a larger terminal for more rows and more columns', () => {
    const small = buildScreen(stateWith(rack(60)), INITIAL_UI, T0, 80, 24, { url: URL });
    const big = buildScreen(stateWith(rack(60)), INITIAL_UI, T0, 160, 50, { url: URL });
    expectTiles(big, 160, 50);
    expectFits(big);
    expect(big.table.lines.length).toBeGreaterThan(small.table.lines.length + 10);
    expect(big.table.header).toContain('pool a/r');
    expect(big.table.header).toContain('remote');
    expect(big.detail.lines.length).toBeGreaterThanOrEqual(small.detail.lines.length);
  });

  it('still tiles a cramped terminal', () => {
    for (const [w, h] of [
      [40, 14],
      [60, 20],
      [81, 25],
      [200, 80],
    ] as const) {
      const m = buildScreen(stateWith(rack(20)), INITIAL_UI, T0, w, h, { url: URL });
      expectTiles(m, w, h);
      expectFits(m);
    }
  });

  it('scrolls to keep the selection in view and says which rows show', () => {
    const state = stateWith(rack(40));
    let ui = INITIAL_UI;
    const first = buildScreen(state, ui, T0, 80, 24, { url: URL });
    const rows = first.layout.tableRows;
    expect(first.table.label).toContain(`workers 40 1-${rows}`);
    ui = moveSelection(first.ui, visibleWorkers(state, first.ui), 39, rows);
    const last = buildScreen(state, ui, T0, 80, 24, { url: URL });
    expect(last.table.lines.at(-1)).toMatchObject({ style: 'selected' });
    expect(last.table.lines.at(-1)?.text).toMatch(/^rack\.w40 /);
    expect(last.table.label).toContain(`${40 - rows + 1}-40`);
    expect(last.detail.label).toBe(' rack.w40 ');
    ui = moveSelection(last.ui, visibleWorkers(state, last.ui), -1000, rows);
    expect(buildScreen(state, ui, T0, 80, 24, { url: URL }).table.lines[0]).toMatchObject({
      style: 'selected',
    });
  });

  it('keeps the selected worker selected when the sort changes', () => {
    const state = stateWith(rack(5));
    let ui = moveSelection(INITIAL_UI, visibleWorkers(state, INITIAL_UI), 1, 10);
    expect(ui.selected).toBe('rack.w02');
    ui = cycleSort(ui);
    ui = { ...ui, reverse: true };
    const m = buildScreen(state, ui, T0, 80, 24, { url: URL });
    expect(m.table.label).toContain('sort hashrate (reversed)');
    const selected = m.table.lines.find((l) => l.style === 'selected');
    expect(selected?.text).toMatch(/^rack\.w02 /);
    expect(m.table.lines[0]?.text).toMatch(/^rack\.w05 /);
  });

  it('filters the table and says so', () => {
    const m = buildScreen(stateWith(rack(12)), setFilter(INITIAL_UI, 'w1'), T0, 80, 24, { url: URL });
    expect(m.table.label).toContain('workers 3/12');
    expect(m.table.label).toContain('filter "w1"');
    expect(m.table.lines.map((l) => l.text.split(' ')[0])).toEqual(['rack.w10', 'rack.w11', 'rack.w12']);
    const none = buildScreen(stateWith(rack(2)), setFilter(INITIAL_UI, 'zzz'), T0, 80, 24, { url: URL });
    expect(none.table.lines).toEqual([{ text: 'no worker matches "zzz"', style: 'dim' }]);
    expect(none.ui.selected).toBeNull();
  });

  it('shows the selected worker with sparklines, rejects and vardiff history, newest first', () => {
    let state = stateWith([
      workerFixture('rack.nerd-01', {
        kind: 'nerdminer',
        user_agent: 'NerdMinerV2/V1.8.3',
        rejected: 3,
        rejected_by_reason: { 'low-difficulty': 2, duplicate: 1 },
        vardiff_history: [
          { at: T0 - 60_000, from: 0.00001, to: 0.00015, reason: 'suggested' },
          { at: T0 - 30_000, from: 0.00015, to: 0.0003, reason: 'too-fast' },
        ],
      }),
    ]);
    for (const at of [T0 - 25_000, T0 - 15_000, T0 - 14_000, T0 - 1000]) {
      state = reduce(state, {
        type: 'event',
        event: {
          type: 'share',
          at,
          worker: 'rack.nerd-01',
          accepted: true,
          reason: null,
          code: null,
          difficulty: 0.0003,
          share_difficulty: null,
          forwarded: false,
          block_candidate: false,
          job_id: '1',
        },
      });
    }
    const m = buildScreen(state, INITIAL_UI, T0, 100, 30, { url: URL, bars: ASCII_BARS });
    const text = m.detail.lines.map((l) => l.text);
    expect(text[0]).toMatch(/^NerdMinerV2\/V1\.8\.3 {2}10\.0\.0\.7:40112 {2}up 10m$/);
    expect(text[1]).toContain('acc 14 rej 3 stale 0 dup 0');
    expect(text[2]).toMatch(/^shares +_+=#=$/);
    expect(text.find((t) => t.startsWith('rejects:'))).toBe('rejects: low-difficulty 2, duplicate 1');
    const vardiff = text.filter((t) => t.startsWith('vardiff'));
    expect(vardiff[0]).toMatch(/1\.5e-4 -> 3e-4 too-fast$/);
    expect(vardiff[1]).toMatch(/1e-5 -> 1\.5e-4 suggested$/);
    expectFits(m);
  });

  it('says when the proxy is unreachable and when it will try again', () => {
    let state = stateWith(rack(2));
    state = reduce(state, { type: 'link', at: T0, phase: 'down', error: 'ECONNREFUSED', retryAt: T0 + 2500 });
    const m = buildScreen(state, INITIAL_UI, T0 + 500, 140, 30, { url: URL });
    expect(m.header).toMatchObject({ style: 'bad' });
    expect(m.header.text).toMatch(
      /^karoo dash {2}http:\/\/127\.0\.0\.1:8080 {2}\d\d:\d\d:\d\d {2}PROXY UNREACHABLE, retry in 2s: ECONNREFUSED {2}\(last status 0s ago\)$/,
    );
    expect(m.feed.lines[0]?.text).toMatch(/^\d\d:\d\d:\d\d proxy unreachable: ECONN/);
    // The last picture stays on screen.
    expect(m.table.lines).toHaveLength(2);
  });

  it('waits for the first picture without inventing one', () => {
    const m = buildScreen(initialState(T0), INITIAL_UI, T0, 80, 24, { url: URL });
    expect(m.header.text).toContain('connecting');
    expect(m.upstream.lines[0]?.text).toBe('waiting for the first /status');
    expect(m.table.lines).toEqual([{ text: '', style: 'dim' }]);
    expectFits(m);
  });
});
