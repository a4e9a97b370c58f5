import type { CheckId } from './catalogue.js';
import { CHECKS } from './catalogue.js';

export type CheckStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface Evidence {
  /** Milliseconds since the run started. */
  t: number;
  /** The connection ("A", "B", ...). */
  session: string;
  dir: 'sent' | 'received' | 'closed' | 'note';
  line: string;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** Why, in one line: what was seen. */
  reason: string;
  evidence: Evidence[];
}

export interface ConformanceReport {
  tool: 'karoo conformance';
  version: 1;
  target: string;
  startedAt: string;
  durationMs: number;
  /** What was asked (suggest_difficulty) and what the target set first. */
  difficulty: { suggested: number | null; set: number | null };
  summary: { pass: number; fail: number; skip: number };
  checks: CheckResult[];
}

export function passed(report: ConformanceReport): boolean {
  return report.summary.fail === 0;
}

/** The text report: one line per check, evidence under failures (or every check with `verbose`). */
export function formatConformanceReport(
  report: ConformanceReport,
  verbose = false,
  evidenceLines = 12,
): string {
  const out = [
    `karoo conformance  ${report.target}`,
    `difficulty: suggested ${report.difficulty.suggested ?? 'nothing'}, target set ${report.difficulty.set ?? 'nothing'}`,
    '',
  ];
  const width = Math.max(...CHECKS.map((c) => c.id.length));
  for (const c of report.checks) {
    out.push(`${c.status}  ${c.id.padEnd(width)}  ${c.reason}`);
    if (verbose || c.status === 'FAIL') {
      for (const e of c.evidence.slice(-evidenceLines)) {
        const line = e.line.length > 200 ? `${e.line.slice(0, 197)}...` : e.line;
        out.push(`        ${String(e.t).padStart(6)} ms ${e.session} ${arrow(e.dir)} ${line}`);
      }
    }
  }
  const s = report.summary;
  out.push(
    '',
    `${report.checks.length} checks: ${s.pass} pass, ${s.fail} fail, ${s.skip} skip (${report.durationMs} ms)`,
  );
  return out.join('\n');
}

/** A markdown table of the checks, for a README report card. */
export function formatReportCard(report: ConformanceReport): string {
  const rows = report.checks.map((c) => `| ${c.status} | \`${c.id}\` | ${c.reason.replace(/\|/g, '\\|')} |`);
  return ['| result | check | seen |', '| --- | --- | --- |', ...rows].join('\n');
}

function arrow(dir: Evidence['dir']): string {
  switch (dir) {
    case 'sent':
      return '>';
    case 'received':
      return '<';
    case 'closed':
      return 'x';
    case 'note':
      return '#';
  }
}
