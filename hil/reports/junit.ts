import { hostname } from 'node:os';
import { toJUnitXml as writeJUnit } from '../../runtime/junit-report.js';
import type { JUnitCase, JUnitSuite } from '../../runtime/junit-report.js';
import { caseText } from './case-text.js';
import type { CaseResult, SuiteResult } from './suite-result.js';
import { xmlSafe } from './xml-text.js';

/**
 * JUnit XML: one <testsuite> per board, one <testcase classname="<board>" name="<scenario>"> per
 * scenario, with <failure> or <skipped> and the board's serial excerpt in <system-out>. Written
 * by the project's one JUnit writer; characters XML cannot carry show as `\xNN` escapes.
 */
export function toJUnitXml(result: SuiteResult, host = hostname()): string {
  const suites = result.boards.map((board): JUnitSuite => {
    const cases = result.cases.filter((c) => c.board === board.name);
    return {
      name: `${result.name}: ${board.name}`,
      timeMs: cases.reduce((sum, c) => sum + c.durationMs, 0),
      timestamp: cases[0]?.startedAt ?? result.startedAt,
      hostname: host,
      properties: [
        ['bench', result.bench.kind],
        ['stratum', result.bench.stratumUrl],
        ['proxy', result.bench.proxyUrl],
        ['pool', result.bench.poolUrl],
        ['port', board.path],
        ['virtual', String(board.virtual)],
        ['worker', board.worker],
        ['firmware', board.firmware],
        ['build', board.build],
      ],
      cases: cases.map(testcase),
    };
  });
  return writeJUnit(suites, {
    name: result.name,
    timeMs: result.durationMs,
    timestamp: result.startedAt,
    sanitize: xmlSafe,
  });
}

function testcase(c: CaseResult): JUnitCase {
  const base = { classname: c.board, name: c.scenario, timeMs: c.durationMs, output: caseText(c) };
  if (c.status === 'failed') {
    return {
      ...base,
      status: 'fail',
      message: c.message ?? 'failed',
      type: c.errorCode ?? 'Error',
      details: c.errorDetail ?? c.message ?? '',
    };
  }
  if (c.status === 'skipped') return { ...base, status: 'skip', message: c.message ?? 'skipped' };
  return { ...base, status: 'pass' };
}
