import { hostname } from 'node:os';
import { caseText } from './case-text.js';
import type { CaseResult, SuiteResult } from './suite-result.js';
import { totalsOf } from './suite-result.js';
import { escapeAttr, escapeText } from './xml-text.js';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/**
 * JUnit XML: one <testsuite> per board, one <testcase classname="<board>" name="<scenario>"> per
 * scenario, with <failure> or <skipped> and the board's serial excerpt in <system-out>.
 */
export function toJUnitXml(result: SuiteResult, host = hostname()): string {
  const t = result.totals;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeAttr(result.name)}" tests="${t.tests}" failures="${t.failed}" errors="0" skipped="${t.skipped}" time="${seconds(result.durationMs)}" timestamp="${escapeAttr(result.startedAt)}">`,
  ];
  for (const board of result.boards) {
    const cases = result.cases.filter((c) => c.board === board.name);
    const bt = totalsOf(cases);
    const time = cases.reduce((sum, c) => sum + c.durationMs, 0);
    const started = cases[0]?.startedAt ?? result.startedAt;
    out.push(
      `  <testsuite name="${escapeAttr(`${result.name}: ${board.name}`)}" tests="${bt.tests}" failures="${bt.failed}" errors="0" skipped="${bt.skipped}" time="${seconds(time)}" timestamp="${escapeAttr(started)}" hostname="${escapeAttr(host)}">`,
      '    <properties>',
    );
    const props: [string, string | undefined][] = [
      ['bench', result.bench.kind],
      ['stratum', result.bench.stratumUrl],
      ['proxy', result.bench.proxyUrl],
      ['pool', result.bench.poolUrl],
      ['port', board.path],
      ['virtual', String(board.virtual)],
      ['worker', board.worker],
      ['firmware', board.firmware],
    ];
    for (const [name, value] of props) {
      if (value !== undefined) out.push(`      <property name="${name}" value="${escapeAttr(value)}"/>`);
    }
    out.push('    </properties>');
    for (const c of cases) out.push(...testcase(c));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

function testcase(c: CaseResult): string[] {
  const lines = [
    `    <testcase classname="${escapeAttr(c.board)}" name="${escapeAttr(c.scenario)}" time="${seconds(c.durationMs)}">`,
  ];
  if (c.status === 'failed') {
    lines.push(
      `      <failure message="${escapeAttr(c.message ?? 'failed')}" type="${escapeAttr(c.errorCode ?? 'Error')}">${escapeText(c.errorDetail ?? c.message ?? '')}</failure>`,
    );
  } else if (c.status === 'skipped') {
    lines.push(`      <skipped message="${escapeAttr(c.message ?? 'skipped')}"/>`);
  }
  lines.push(`      <system-out>${escapeText(caseText(c))}</system-out>`, '    </testcase>');
  return lines;
}
