import xmlbuilder from 'xmlbuilder';
import type { XMLElement } from 'xmlbuilder';

/** One test case in a JUnit XML report. */
export interface JUnitCase {
  classname: string;
  name: string;
  status: 'pass' | 'fail' | 'skip';
  /** One line: why it failed or was skipped. */
  message?: string;
  /** Free text under the failure (evidence); any characters. */
  details?: string;
  timeMs?: number;
  /** The failure's `type` (an error code); "mismatch" unless given. */
  type?: string;
  /** `<system-out>`: what the case printed or saw. */
  output?: string;
}

export interface JUnitSuite {
  name: string;
  timestamp?: string;
  timeMs: number;
  hostname?: string;
  /** `<properties>`, in this order; undefined values are left out. */
  properties?: readonly (readonly [name: string, value: string | undefined])[];
  cases: JUnitCase[];
}

export interface JUnitReportOptions {
  /** `<testsuites name>`: "karoo" unless given. */
  name?: string;
  /** The whole run; the suites' times added up unless given. */
  timeMs?: number;
  timestamp?: string;
  /**
   * Applied to every text and attribute first, to show characters XML 1.0 cannot carry in a form
   * of its own choosing; whatever such characters remain become U+FFFD.
   */
  sanitize?: (text: string) => string;
}

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters): <testsuites> of
 * <testsuite> of <testcase>, with <failure>, <skipped> and <system-out>. xmlbuilder writes it:
 * every text escaped, line breaks in attributes kept as character references, and characters XML
 * 1.0 forbids (control characters, lone surrogates) replaced, so recorded lines of any content
 * cannot break the file. The one JUnit writer: `karoo replay`, `karoo conformance` and
 * `karoo hil` all report through it.
 */
export function toJUnitXml(suites: readonly JUnitSuite[], options: JUnitReportOptions = {}): string {
  const clean = options.sanitize ?? ((text: string) => text);
  const all = suites.flatMap((s) => s.cases);
  const root = xmlbuilder.create(
    'testsuites',
    { version: '1.0', encoding: 'UTF-8' },
    {},
    { invalidCharReplacement: '\uFFFD' },
  );
  root.att('name', clean(options.name ?? 'karoo'));
  counts(root, all);
  root.att('time', secs(options.timeMs ?? suites.reduce((n, s) => n + s.timeMs, 0)));
  if (options.timestamp !== undefined) root.att('timestamp', clean(options.timestamp));
  for (const s of suites) {
    const suite = root.ele('testsuite', { name: clean(s.name) });
    counts(suite, s.cases);
    suite.att('time', secs(s.timeMs));
    if (s.timestamp !== undefined) suite.att('timestamp', clean(s.timestamp));
    if (s.hostname !== undefined) suite.att('hostname', clean(s.hostname));
    const properties = (s.properties ?? []).filter((p): p is [string, string] => p[1] !== undefined);
    if (s.properties !== undefined) {
      const props = suite.ele('properties');
      for (const [name, value] of properties) props.ele('property', { name, value: clean(value) });
    }
    for (const c of s.cases) testcase(suite, c, clean);
  }
  return `${root.end({ pretty: true })}\n`;
}

function testcase(suite: XMLElement, c: JUnitCase, clean: (text: string) => string): void {
  const el = suite.ele('testcase', {
    classname: clean(c.classname),
    name: clean(c.name),
    time: secs(c.timeMs ?? 0),
  });
  const message = clean(c.message ?? '');
  if (c.status === 'skip') el.ele('skipped', { message });
  if (c.status === 'fail') {
    const body = clean(c.details ?? c.message ?? '');
    const failure = el.ele('failure', { message, type: clean(c.type ?? 'mismatch') });
    if (body !== '') failure.txt(body);
  }
  if (c.output !== undefined) el.ele('system-out').txt(clean(c.output));
}

function counts(el: XMLElement, cases: readonly JUnitCase[]): void {
  const count = (status: JUnitCase['status']): number => cases.filter((c) => c.status === status).length;
  el.att('tests', cases.length).att('failures', count('fail')).att('errors', 0).att('skipped', count('skip'));
}

function secs(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
