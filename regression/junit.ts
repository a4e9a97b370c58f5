/** One test case in a JUnit XML report. */
export interface JUnitCase {
  classname: string;
  name: string;
  status: 'pass' | 'fail' | 'skip';
  /** One line: why it failed or was skipped. */
  message?: string;
  /** Free text under the failure (evidence); any characters, escaped here. */
  details?: string;
  timeMs?: number;
}

export interface JUnitSuite {
  name: string;
  timestamp?: string;
  timeMs: number;
  cases: JUnitCase[];
}

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters): <testsuites> of
 * <testsuite> of <testcase>, with <failure> and <skipped>. Every text is escaped and characters
 * XML 1.0 forbids (control characters, lone surrogates) are replaced, so recorded lines of any
 * content cannot break the file.
 */
export function toJUnitXml(suites: readonly JUnitSuite[]): string {
  const count = (s: JUnitSuite, st: JUnitCase['status']): number =>
    s.cases.filter((c) => c.status === st).length;
  const total = (st: JUnitCase['status']): number => suites.reduce((n, s) => n + count(s, st), 0);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="karoo" tests="${tests}" failures="${total('fail')}" errors="0" skipped="${total('skip')}" time="${secs(suites.reduce((n, s) => n + s.timeMs, 0))}">`,
  ];
  for (const s of suites) {
    const stamp = s.timestamp === undefined ? '' : ` timestamp="${attr(s.timestamp)}"`;
    out.push(
      `  <testsuite name="${attr(s.name)}" tests="${s.cases.length}" failures="${count(s, 'fail')}" errors="0" skipped="${count(s, 'skip')}" time="${secs(s.timeMs)}"${stamp}>`,
    );
    for (const c of s.cases) {
      const head = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}" time="${secs(c.timeMs ?? 0)}"`;
      if (c.status === 'pass') {
        out.push(`${head}/>`);
        continue;
      }
      out.push(`${head}>`);
      const message = attr(c.message ?? '');
      if (c.status === 'skip') out.push(`      <skipped message="${message}"/>`);
      else
        out.push(
          `      <failure message="${message}" type="mismatch">${text(c.details ?? c.message ?? '')}</failure>`,
        );
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

// Characters XML 1.0 allows; anything else (NUL, other controls, lone surrogates) becomes U+FFFD.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes element text. */
export function text(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (quotes, and line breaks kept as character references). */
export function attr(s: string): string {
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function secs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
