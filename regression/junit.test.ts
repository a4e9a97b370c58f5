import { describe, expect, it } from 'vitest';
import { attr, text, toJUnitXml } from './junit.js';
import { checkXml } from './test-support/xml-check.js';

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
    expect(text('a<b&c>d')).toBe('a&lt;b&amp;c&gt;d');
    expect(attr('"x"\n')).toBe('&quot;x&quot;&#10;');
  });

  it('the checker itself rejects broken XML', () => {
    expect(checkXml('<a><b></a></b>')).not.toBe(true);
    expect(checkXml('<a>x & y</a>')).not.toBe(true);
    expect(checkXml('<a x="1" x="2"/>')).not.toBe(true);
    expect(checkXml('<a/><b/>')).not.toBe(true);
  });
});
