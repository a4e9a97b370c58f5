import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli } from './test-support/built-cli.js';
import { startDashBench } from './test-support/dash-bench.js';
import type { DashBench } from './test-support/dash-bench.js';
import { TmuxSession } from './test-support/tmux.js';

/**
 * The real `karoo dash` in a real terminal: tmux runs the built CLI against a proxy with
 * simulated miners mining through it, and the test reads the screen with capture-pane.
 */

let bench: DashBench | undefined;
const tmux = new TmuxSession();

beforeAll(async () => {
  requireBuiltCli();
  bench = await startDashBench();
});

afterAll(async () => {
  await tmux.kill();
  await bench?.stop();
});

/** The accepted count in a worker's table row (worker kind diff H/s acc ...), or undefined. */
function accepted(screen: string, worker: string): number | undefined {
  for (const line of screen.split('\n')) {
    // A row starts inside the table's left border: "│rack.cpu-01  cpuminer ..." ("x" without UTF-8).
    const cells = line
      .replace(/^[│x|]/, '')
      .trim()
      .split(/\s+/);
    if (cells[0] === worker && /^\d+$/.test(cells[4] ?? '')) return Number(cells[4]);
  }
  return undefined;
}

const WORKERS = ['rack.cpu-01', 'rack.cpu-02', 'rack.bitaxe-01'];

describe('karoo dash in tmux', () => {
  it('shows worker rows whose counts change, sorts, filters, survives a proxy restart, and quits on q', async () => {
    const b = bench as DashBench;
    const cli = requireBuiltCli();
    await tmux.start(`env LANG=C.UTF-8 TERM=screen node ${cli} dash --url ${b.httpUrl} --refresh 1`, 100, 30);

    const first = await tmux.waitForScreen(
      (s) => WORKERS.every((w) => accepted(s, w) !== undefined) && /\blive\b/.test(s.split('\n')[0] ?? ''),
      'a row for every worker and the live header',
    );
    expect(first).toContain('upstream');
    expect(first).toMatch(/worker\s+kind\s+diff\s+H\/s\s+acc\s+rej\s+stl\s+last\s+p50\s+p95\s+spacing/);
    expect(first).toContain('q quit');
    const before = accepted(first, 'rack.cpu-01') as number;
    await tmux.waitForScreen((s) => (accepted(s, 'rack.cpu-01') ?? 0) > before, 'the accepted count growing');

    await tmux.keys('s');
    await tmux.waitForScreen((s) => s.includes('sort hashrate'), 'the sort key changing to hashrate');

    await tmux.keys('/');
    await tmux.waitForScreen((s) => s.includes('filter by name'), 'the filter prompt');
    await tmux.keys('bitaxe', true);
    await tmux.keys('Enter');
    const filtered = await tmux.waitForScreen((s) => s.includes('filter "bitaxe"'), 'the filter applied');
    expect(accepted(filtered, 'rack.bitaxe-01')).toBeDefined();
    expect(accepted(filtered, 'rack.cpu-01')).toBeUndefined();
    await tmux.keys('Escape');
    await tmux.waitForScreen((s) => WORKERS.every((w) => accepted(s, w) !== undefined), 'every row back');

    await b.stopProxy();
    await tmux.waitForScreen((s) => s.includes('PROXY UNREACHABLE'), 'that the proxy went away');
    await b.restartProxy();
    const back = await tmux.waitForScreen(
      (s) => /\blive\b/.test(s.split('\n')[0] ?? '') && s.includes('proxy back'),
      'the dashboard live again after the restart',
    );
    expect(back).not.toContain('PROXY UNREACHABLE');
    await tmux.waitForScreen(
      (s) => accepted(s, 'rack.cpu-01') !== undefined,
      'the miners back on the new proxy',
    );

    await tmux.keys('q');
    await tmux.waitForExit();
  }, 120_000);
});
