import type { TranscriptEntry } from '../../peers/stratum-client.js';

/** The rules a replay applies; README's "Replay rules" explains each. */
export type ReplayRule = 'answer' | 'notification' | 'order' | 'close' | 're-mine';

export interface ReplayFinding {
  rule: ReplayRule;
  ok: boolean;
  /** What was compared, e.g. "answer to mining.submit (id 7)". */
  what: string;
  expected: string;
  got: string;
  /** The recording's entry number the finding is about. */
  index?: number;
}

export interface ReplayReport {
  recording: string;
  target: string;
  passed: boolean;
  startedAt: string;
  durationMs: number;
  findings: ReplayFinding[];
  /** Allowed differences worth knowing (difficulty values, extra lines, truncation). */
  notes: string[];
  stats: {
    minerLinesSent: number;
    submits: number;
    reMined: number;
    sentAsRecorded: number;
    hashes: number;
    expectedLines: number;
    matchedLines: number;
    liveLines: number;
  };
  transcript: TranscriptEntry[];
}

export function failures(report: ReplayReport): ReplayFinding[] {
  return report.findings.filter((f) => !f.ok);
}

/** A short human summary: one line, then each mismatch. */
export function formatReplayReport(report: ReplayReport, limit = 20): string {
  const s = report.stats;
  const lines = [
    `${report.passed ? 'PASS' : 'FAIL'}  ${report.recording} -> ${report.target}  ` +
      `(${s.minerLinesSent} lines sent, ${s.reMined}/${s.submits} shares re-mined, ` +
      `${s.matchedLines}/${s.expectedLines} answers and notifications matched, ${report.durationMs} ms)`,
  ];
  const bad = failures(report);
  for (const f of bad.slice(0, limit)) {
    lines.push(`  ${f.rule}: ${f.what}${f.index === undefined ? '' : ` [record ${f.index}]`}`);
    lines.push(`      expected ${f.expected}`);
    lines.push(`      got      ${f.got}`);
  }
  if (bad.length > limit) lines.push(`  ... and ${bad.length - limit} more`);
  for (const n of report.notes.slice(0, limit)) lines.push(`  note: ${n}`);
  return lines.join('\n');
}
