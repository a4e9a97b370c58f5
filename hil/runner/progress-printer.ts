import type { Writable } from 'node:stream';
import type { CaseResult } from '../reports/suite-result.js';
import type { ProgressEvent } from './progress-event.js';

/** Console lines shown under a failed case on the terminal (the report files have more). */
export const FAILURE_TAIL_LINES = 12;

export interface ProgressPrinterOptions {
  /** ANSI colours (on when the output is a terminal). */
  color?: boolean;
  /** Also print a line when each case starts. */
  verbose?: boolean;
}

const BY: Record<string, string> = { worker: 'worker name', remote: 'remote address', timing: 'timing' };

/** Live progress: one line per finished case, bindings, observations, and a summary. */
export function createProgressPrinter(
  out: Writable,
  options: ProgressPrinterOptions = {},
): (event: ProgressEvent) => void {
  const paint = (code: string, text: string): string =>
    options.color === true ? `\x1b[${code}m${text}\x1b[0m` : text;
  const write = (line: string): void => {
    out.write(`${line}\n`);
  };
  const mark: Record<CaseResult['status'], string> = {
    passed: paint('32', 'PASS'),
    failed: paint('31', 'FAIL'),
    skipped: paint('33', 'SKIP'),
  };
  let width = 20;

  return (event) => {
    switch (event.type) {
      case 'suite-start': {
        const { bench } = event;
        width = Math.max(width, ...event.scenarios.map((s) => s.length));
        const via =
          bench.kind === 'proxy'
            ? `the harness's Karoo proxy (${bench.proxyUrl ?? ''}) in front of the pool simulator (${bench.poolUrl ?? ''})`
            : bench.kind === 'direct'
              ? 'the pool simulator directly (--direct)'
              : `the running proxy at ${bench.proxyUrl ?? ''}`;
        write(
          `karoo hil: ${event.boards.length} board(s), ${event.scenarios.length} scenario(s); boards mine to ${bench.stratumUrl} via ${via}`,
        );
        for (const note of event.notes) write(`  note: ${note}`);
        for (const b of event.boards) {
          write(`  ${b.name}  ${b.path}${b.worker === undefined ? '' : `  worker ${b.worker}`}`);
          if (b.build !== undefined) write(`        ${b.build}`);
        }
        return;
      }
      case 'note':
        write(`karoo hil: ${event.message}`);
        return;
      case 'case-start':
        if (options.verbose === true) write(`  ..   ${event.board}  ${event.scenario}`);
        return;
      case 'bound':
        write(
          `  ${event.board} is worker ${event.worker}${event.remote === null ? '' : ` from ${event.remote}`} (tied by ${BY[event.by] ?? event.by})`,
        );
        return;
      case 'case-end': {
        const r = event.result;
        const secs = `${(r.durationMs / 1000).toFixed(1)} s`.padStart(7);
        const why = r.message === undefined ? '' : `  ${r.message}`;
        write(`${mark[r.status]}  ${r.board}  ${r.scenario.padEnd(width)} ${secs}${why}`);
        for (const o of r.observations) {
          if (o.kind !== 'info')
            write(`        ${o.kind === 'finding' ? paint('35', 'finding') : 'expected'}: ${o.message}`);
        }
        if (r.status === 'failed') {
          for (const l of r.excerpt.slice(-FAILURE_TAIL_LINES)) {
            write(paint('2', `        | ${(l.t / 1000).toFixed(3).padStart(8)} ${l.line}`));
          }
        }
        return;
      }
      case 'suite-end': {
        const t = event.result.totals;
        const line = `karoo hil: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped of ${t.tests} in ${(event.result.durationMs / 1000).toFixed(1)} s`;
        write(t.failed > 0 ? paint('31', line) : paint('32', line));
        return;
      }
    }
  };
}
