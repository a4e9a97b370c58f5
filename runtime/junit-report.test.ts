import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toJUnitXml } from './junit-report.js';
import { checkXml, findElements, parseXml, textOf } from '../test-support/xml-check.js';

describe('toJUnitXml', () => {
  it('counts cases, failures and skips per suite and overall', () => {
    const xml = toJUnitXml([
      {
        name: 'a',
        timeMs: 1500,
        timestamp: '2025-01-01T00:00:00.000Z',
        cases: [
          { classname: 'c', name: 'ok', status: 'pass' },
          { classname: 'c', name: 'bad', status: 'fail', message: 'expected 23', details: 'evidence' },
          { classname: 'c', name: 'later', status: 'skip', message: 'no work' },
        ],
      },
      { name: 'b', timeMs: 0, cases: [{ classname: 'c', name: 'bad2', status: 'fail', message: 'x' }] },
    ]);
    expect(checkXml(xml)).toBe(true);
    expect(xml).toContain(
      '<testsuites name="karoo" tests="4" failures="2" errors="0" skipped="1" time="1.500">',
    );
    expect(xml).toContain(
      '<testsuite name="a" tests="3" failures="1" errors="0" skipped="1" time="1.500" timestamp="2025-01-01T00:00:00.000Z">',
    );
    expect(xml).toContain('<failure message="expected 23" type="mismatch">evidence</failure>');
    expect(xml).toContain('<skipped message="no work"/>');
  });

  it('escapes whatever a recorded line holds, so the file stays well-formed', () => {
    const nasty = '<a href="x">&amp; \'q\' ]]> \u0000\u0007\u001b[31m \ud800 😀\r\n\ttab';
    const xml = toJUnitXml([
      {
        name: nasty,
        timeMs: 0,
        cases: [{ classname: nasty, name: nasty, status: 'fail', message: nasty, details: nasty }],
      },
    ]);
    expect(checkXml(xml)).toBe(true);
    expect(xml).not.toContain('\u0000');
    expect(xml).not.toContain('<a href');
    expect(xml).toContain('😀');
    // Read back: forbidden characters became U+FFFD, everything else (line breaks in attributes too) is kept.
    const kept = ['\u0000', '\u0007', '\u001b', '\ud800'].reduce((t, c) => t.replaceAll(c, '\ufffd'), nasty);
    const root = parseXml(xml);
    const [testcase] = findElements(root, 'testcase');
    const [failure] = findElements(root, 'failure');
    expect(findElements(root, 'testsuite')[0]!.attributes.name).toBe(kept);
    expect(testcase!.attributes).toMatchObject({ classname: kept, name: kept });
    expect(failure!.attributes.message).toBe(kept);
    expect(textOf(failure!)).toBe(kept);
  });

  it('carries any text through, in attributes and in elements', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (message, output) => {
        const xml = toJUnitXml([
          {
            name: 's',
            timeMs: 0,
            cases: [{ classname: 'c', name: 'n', status: 'fail', message, details: output, output }],
          },
        ]);
        expect(checkXml(xml)).toBe(true);
        const root = parseXml(xml);
        const safe = (s: string) =>
          s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\ufffd');
        expect(findElements(root, 'failure')[0]!.attributes.message).toBe(safe(message));
        expect(textOf(findElements(root, 'system-out')[0]!)).toBe(safe(output));
      }),
    );
  });

  it('the checker itself rejects broken XML', () => {
    expect(checkXml('<a><b></a></b>')).not.toBe(true);
    expect(checkXml('<a>x & y</a>')).not.toBe(true);
    expect(checkXml('<a x="1" x="2"/>')).not.toBe(true);
    expect(checkXml('<a/><b/>')).not.toBe(true);
  });
});
