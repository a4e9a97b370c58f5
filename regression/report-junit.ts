import type { ConformanceReport } from './conformance/report.js';
import type { JUnitSuite } from '../runtime/junit-report.js';
import type { ReplayReport } from './replay/replay-report.js';

/** A conformance run as one suite: a case per check, evidence under failures. */
export function conformanceSuite(report: ConformanceReport): JUnitSuite {
  return {
    name: `karoo conformance ${report.target}`,
    timestamp: report.startedAt,
    timeMs: report.durationMs,
    cases: report.checks.map((c) => ({
      classname: `conformance.${c.id.split('.')[0] ?? c.id}`,
      name: `${c.id}: ${c.title}`,
      status: c.status === 'PASS' ? 'pass' : c.status === 'FAIL' ? 'fail' : 'skip',
      message: c.reason,
      details: [c.reason, '', ...c.evidence.map((e) => `${e.t} ms ${e.session} ${e.dir}: ${e.line}`)].join(
        '\n',
      ),
    })),
  };
}

/** A replay as one suite: a case per finding (answers, notifications, order, close, re-mining). */
export function replaySuite(report: ReplayReport): JUnitSuite {
  return {
    name: `karoo replay ${report.recording} -> ${report.target}`,
    timestamp: report.startedAt,
    timeMs: report.durationMs,
    cases: report.findings.map((f, i) => ({
      classname: `replay.${report.recording.replace(/\.jsonl$/, '')}`,
      name: `${String(i + 1).padStart(3, '0')} ${f.rule}: ${f.what}${f.index === undefined ? '' : ` [record ${f.index}]`}`,
      status: f.ok ? 'pass' : 'fail',
      message: `expected ${f.expected}, got ${f.got}`,
    })),
  };
}
