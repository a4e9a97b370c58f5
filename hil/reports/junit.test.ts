import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findElements, parseXml, textOf } from '../../test-support/xml-check.js';
import { JSON_REPORT_FORMAT, toJsonReport } from './json-report.js';
import { toJUnitXml } from './junit.js';
import type { CaseResult, SuiteResult } from './suite-result.js';
import { totalsOf } from './suite-result.js';
import { xmlSafe } from './xml-text.js';

const NASTY = 'a < b & "c" \'d\' ]]> \u001b[31mred\u001b[0m \u0000 é';

function aCase(board: string, scenario: string, over: Partial<CaseResult> = {}): CaseResult {
  return {
    board,
    scenario,
    title: `${scenario} title`,
    status: 'passed',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 1234,
    observations: [],
    details: {},
    excerpt: [{ t: 12, line: 'NerdMiner v2 starting......' }],
    excerptOmitted: 0,
    ...over,
  };
}

function suite(cases: CaseResult[]): SuiteResult {
  return {
    name: 'karoo hil',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 5000,
    bench: { kind: 'proxy', stratumUrl: 'stratum+tcp://127.0.0.1:3334', proxyUrl: 'http://127.0.0.1:8080' },
    boards: [
      { name: 'virtual-1', path: '/tmp/karoo-ttyB-1', virtual: true, worker: 'w.1', firmware: 'nerdminer' },
      { name: 'virtual-2', path: '/tmp/karoo-ttyB-2', virtual: true },
    ],
    scenarios: ['boots-and-connects', 'shares-accepted', 'difficulty-change'],
    cases,
    totals: totalsOf(cases),
  };
}

const result = suite([
  aCase('virtual-1', 'boots-and-connects', {
    binding: { by: 'worker', worker: 'w.1', remote: '127.0.0.1:5000' },
    observations: [{ kind: 'finding', message: `odd: ${NASTY}` }],
    details: { bootMs: 23 },
  }),
  aCase('virtual-1', 'shares-accepted', {
    status: 'failed',
    message: `timed out ${NASTY}`,
    errorCode: 'CONSOLE_WAIT_TIMEOUT',
    errorDetail: `ConsoleWaitTimeoutError: ${NASTY}\n    at x`,
    excerpt: [
      { t: 0, line: `  Receiving: {"id":4,"result":false,"error":[23,"${NASTY}",null]}` },
      { t: 1500, line: 'Refuse submition 4' },
    ],
    excerptOmitted: 7,
  }),
  aCase('virtual-1', 'difficulty-change', { status: 'skipped', message: 'needs the pool <simulator>' }),
  aCase('virtual-2', 'boots-and-connects'),
  aCase('virtual-2', 'shares-accepted'),
  aCase('virtual-2', 'difficulty-change', { status: 'skipped', message: 'needs the pool' }),
]);

describe('toJUnitXml', () => {
  const xml = toJUnitXml(result, 'bench-host');
  const root = parseXml(xml);

  it('is well-formed, with totals on <testsuites>', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({
      name: 'karoo hil',
      tests: '6',
      failures: '1',
      errors: '0',
      skipped: '2',
      time: '5.000',
    });
  });

  it('has one <testsuite> per board with its own counts and properties', () => {
    const suites = findElements(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['karoo hil: virtual-1', 'karoo hil: virtual-2']);
    expect(suites[0]!.attributes).toMatchObject({
      tests: '3',
      failures: '1',
      skipped: '1',
      hostname: 'bench-host',
    });
    expect(suites[1]!.attributes).toMatchObject({ tests: '3', failures: '0', skipped: '1' });
    const props = Object.fromEntries(
      findElements(suites[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]),
    );
    expect(props).toMatchObject({
      bench: 'proxy',
      port: '/tmp/karoo-ttyB-1',
      worker: 'w.1',
      firmware: 'nerdminer',
    });
  });

  it('has one <testcase classname=board name=scenario> per case, with failure and skipped', () => {
    const cases = findElements(root, 'testcase');
    expect(cases.map((c) => `${c.attributes.classname}/${c.attributes.name}`)).toEqual([
      'virtual-1/boots-and-connects',
      'virtual-1/shares-accepted',
      'virtual-1/difficulty-change',
      'virtual-2/boots-and-connects',
      'virtual-2/shares-accepted',
      'virtual-2/difficulty-change',
    ]);
    expect(cases[0]!.attributes.time).toBe('1.234');
    const [failure] = findElements(cases[1]!, 'failure');
    expect(failure!.attributes.type).toBe('CONSOLE_WAIT_TIMEOUT');
    expect(failure!.attributes.message).toBe('timed out a < b & "c" \'d\' ]]> \\x1b[31mred\\x1b[0m \\x00 é');
    expect(textOf(failure!)).toContain('ConsoleWaitTimeoutError');
    expect(findElements(cases[2]!, 'skipped')[0]!.attributes.message).toBe('needs the pool <simulator>');
    expect(findElements(cases[0]!, 'failure')).toHaveLength(0);
    expect(findElements(cases[0]!, 'skipped')).toHaveLength(0);
  });

  it('puts the session, observations, details and serial excerpt in <system-out>', () => {
    const out = findElements(root, 'system-out').map(textOf);
    expect(out).toHaveLength(6);
    expect(out[0]).toContain('session: worker w.1 from 127.0.0.1:5000 (tied by worker)');
    expect(out[0]).toContain('finding: odd: a < b');
    expect(out[0]).toContain('details: {"bootMs":23}');
    expect(out[0]).toContain('    0.012  NerdMiner v2 starting......');
    expect(out[1]).toContain('serial console (2 lines, 7 earlier lines omitted');
    expect(out[1]).toContain('    1.500  Refuse submition 4');
    expect(out[1]).toContain('\\x1b[31mred');
  });
});

describe('the JUnit file carries any console text', () => {
  it('gives back the XML-safe form of any message and console line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const xml = toJUnitXml(
          suite([aCase('virtual-1', 'x', { status: 'failed', message: s, excerpt: [{ t: 0, line: s }] })]),
        );
        const root = parseXml(xml);
        expect(findElements(root, 'failure')[0]!.attributes.message).toBe(xmlSafe(s));
        expect(textOf(findElements(root, 'system-out')[0]!)).toContain(`    0.000  ${xmlSafe(s)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('shows characters XML cannot hold as visible escapes', () => {
    expect(xmlSafe('\u001b[32mok\u0000\ud800\uffff')).toBe('\\x1b[32mok\\x00\\u{d800}\\u{ffff}');
    expect(xmlSafe('tab\tlf\ncr\r é 😀')).toBe('tab\tlf\ncr\r é 😀');
  });
});

describe('toJsonReport', () => {
  it('is the whole result as JSON, tagged with its format', () => {
    const parsed = JSON.parse(toJsonReport(result)) as Record<string, unknown>;
    expect(parsed.format).toBe(JSON_REPORT_FORMAT);
    expect(parsed.version).toBe(1);
    expect(parsed.totals).toEqual({ tests: 6, passed: 3, failed: 1, skipped: 2 });
    expect((parsed.cases as CaseResult[])[1]!.excerpt[0]!.line).toContain(NASTY);
  });
});
