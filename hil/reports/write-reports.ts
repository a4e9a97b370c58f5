import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { toJsonReport } from './json-report.js';
import { toJUnitXml } from './junit.js';
import type { SuiteResult } from './suite-result.js';

export interface ReportFiles {
  junit?: string | undefined;
  json?: string | undefined;
}

/** Writes the JUnit and JSON reports that were asked for (creating their directories). */
export async function writeReports(result: SuiteResult, files: ReportFiles): Promise<void> {
  const jobs: [string, string][] = [];
  if (files.junit !== undefined) jobs.push([files.junit, toJUnitXml(result)]);
  if (files.json !== undefined) jobs.push([files.json, toJsonReport(result)]);
  for (const [path, text] of jobs) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, 'utf8');
  }
}
