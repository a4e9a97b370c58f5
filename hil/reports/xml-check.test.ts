import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmlSyntaxError, findElements, isWellFormedXml, parseXml, textOf } from './xml-check.js';
import { escapeAttr, escapeText, xmlSafe } from './xml-text.js';

describe('parseXml', () => {
  it('reads a document with a declaration, attributes, entities, CDATA, comments and PIs', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a x="1" y=\'&lt;&amp;&#65;&#x42;\'><b/>t&gt;<![CDATA[<raw>&]]><?pi data?></a>\n',
    );
    expect(root.name).toBe('a');
    expect(root.attributes).toEqual({ x: '1', y: '<&AB' });
    expect(findElements(root, 'b')).toHaveLength(1);
    expect(textOf(root)).toBe('t><raw>&');
  });

  it.each([
    ['no root', ''],
    ['unclosed element', '<a><b></b>'],
    ['mismatched close tag', '<a><b></a></b>'],
    ['two roots', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['raw < in text', '<a>1 < 2</a>'],
    ['bare & in text', '<a>fish & chips</a>'],
    ['unknown entity', '<a>&nbsp;</a>'],
    ['character reference to NUL', '<a>&#0;</a>'],
    ['character reference to ESC', '<a b="&#x1b;"/>'],
    ['raw control character', '<a>\u001b[0m</a>'],
    ['lone surrogate', '<a>\ud800</a>'],
    [']]> in text', '<a>x]]>y</a>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['unquoted attribute', '<a b=1/>'],
    ['< in an attribute', '<a b="<"/>'],
    ['attributes without whitespace', '<a b="1"c="2"/>'],
    ['-- inside a comment', '<a><!-- a -- b --></a>'],
    ['DOCTYPE', '<!DOCTYPE a><a/>'],
    ['XML declaration not first', '<a/><?xml version="1.0"?>'],
    ['unterminated attribute', '<a b="1/>'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseXml(text)).toThrow(XmlSyntaxError);
    expect(isWellFormedXml(text)).toBe(false);
  });

  it('accepts an empty comment and a UTF-8 BOM', () => {
    expect(isWellFormedXml('\uFEFF<a><!----></a>')).toBe(true);
  });
});

describe('escapeText and escapeAttr', () => {
  it('keep any string parseable and give back its XML-safe form', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const root = parseXml(`<a v="${escapeAttr(s)}">${escapeText(s)}</a>`);
        expect(root.attributes.v).toBe(xmlSafe(s));
        expect(textOf(root)).toBe(xmlSafe(s));
      }),
      { numRuns: 500 },
    );
  });

  it('shows characters XML cannot hold as visible escapes', () => {
    expect(xmlSafe('\u001b[32mok\u0000\ud800\uffff')).toBe('\\x1b[32mok\\x00\\u{d800}\\u{ffff}');
    expect(xmlSafe('tab\tlf\ncr\r é 😀')).toBe('tab\tlf\ncr\r é 😀');
  });
});
