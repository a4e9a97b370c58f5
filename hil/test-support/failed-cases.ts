import type { SuiteResult } from '../reports/suite-result.js';

/** Each failed case as "board scenario: message" and its console excerpt: empty when all passed. */
export function failedCases(result: Pick<SuiteResult, 'cases'>): string[] {
  return result.cases
    .filter((c) => c.status === 'failed')
    .map((c) => `${c.board} ${c.scenario}: ${c.message}\n${c.excerpt.map((l) => `  ${l.line}`).join('\n')}`);
}
