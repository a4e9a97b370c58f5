import type { SuiteResult } from './suite-result.js';

export const JSON_REPORT_FORMAT = 'karoo-hil-report';
export const JSON_REPORT_VERSION = 1;

/** The whole result as JSON: every case with its observations, details and serial excerpt. */
export function toJsonReport(result: SuiteResult): string {
  return `${JSON.stringify({ format: JSON_REPORT_FORMAT, version: JSON_REPORT_VERSION, ...result }, null, 2)}\n`;
}
