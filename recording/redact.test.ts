import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED_PASSWORD } from './format.js';
import { arrayElementSpans, paramSpans, replaceSpans, topLevelSpans } from './json-spans.js';
import { redactPassword, restorePassword } from './redact.js';

describe('redactPassword', () => {
  it.each([
    [
      'NerdMiner (sprintf, params first)',
      '{"params": ["bc1qwallet.nerd", "s3cret"], "id": 2, "method": "mining.authorize"}',
      '{"params": ["bc1qwallet.nerd", "<redacted>"], "id": 2, "method": "mining.authorize"}',
    ],
    [
      'Bitaxe (compact)',
      '{"id":3,"method":"mining.authorize","params":["bc1q.axe","p,a]s\\"s"]}',
      '{"id":3,"method":"mining.authorize","params":["bc1q.axe","<redacted>"]}',
    ],
    [
      'stratum-client (string id naming the method)',
      '{"id":"mining.authorize","method":"mining.authorize","params":["w","x"]}',
      '{"id":"mining.authorize","method":"mining.authorize","params":["w","<redacted>"]}',
    ],
    [
      'the password equal to the worker name',
      '{"id":2,"method":"mining.authorize","params":["same","same"]}',
      '{"id":2,"method":"mining.authorize","params":["same","<redacted>"]}',
    ],
  ])('%s: only the password changes, every other byte is kept', (_what, line, redacted) => {
    expect(redactPassword(line)).toBe(redacted);
  });

  it.each([
    ['no password', '{"id":2,"method":"mining.authorize","params":["worker"]}'],
    ['a submit', '{"id":4,"method":"mining.submit","params":["w","j","00","6b091c97","00000000"]}'],
    ['not JSON', 'mining.authorize garbage {'],
    ['a password that is not a string', '{"id":2,"method":"mining.authorize","params":["w",123]}'],
  ])('%s: unchanged', (_what, line) => {
    expect(redactPassword(line)).toBe(line);
  });

  it('restorePassword puts a real password where the placeholder is', () => {
    const line = '{"params": ["w", "<redacted>"], "id": 2, "method": "mining.authorize"}';
    expect(restorePassword(line, 'x')).toBe('{"params": ["w", "x"], "id": 2, "method": "mining.authorize"}');
    expect(restorePassword(redactPassword(line.replace(REDACTED_PASSWORD, 'p')), 'p')).toBe(
      line.replace(REDACTED_PASSWORD, 'p'),
    );
  });

  it('any authorize line stays valid JSON with the same user and a redacted password', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.jsonValue(), fc.boolean(), (user, pass, id, spaced) => {
        const body = { id, method: 'mining.authorize', params: [user, pass] };
        const line = spaced ? JSON.stringify(body, null, 1).replace(/\n/g, ' ') : JSON.stringify(body);
        const out = JSON.parse(redactPassword(line)) as typeof body;
        expect(out.params).toEqual([user, REDACTED_PASSWORD]);
        expect(out.id).toEqual(JSON.parse(JSON.stringify(id)));
      }),
    );
  });
});

describe('json spans', () => {
  it('finds top-level values and array elements through nesting and escaped quotes', () => {
    const line = '{ "id" : "a\\"}", "params" : [ "x", [1, {"k": "]"}], 7 ] , "z": {"a": [1]} }';
    const spans = topLevelSpans(line);
    expect([...spans.keys()]).toEqual(['id', 'params', 'z']);
    const id = spans.get('id') as readonly [number, number];
    expect(line.slice(...id)).toBe('"a\\"}"');
    const params = paramSpans(line) ?? [];
    expect(params.map((s) => line.slice(...s))).toEqual(['"x"', '[1, {"k": "]"}]', '7']);
    expect(arrayElementSpans(line, spans.get('z') as readonly [number, number])).toEqual([]);
  });

  it('replaceSpans edits several values without disturbing the rest', () => {
    const line = '{"params":["a","bb","ccc"]}';
    const [a, , c] = paramSpans(line) ?? [];
    expect(
      replaceSpans(line, [
        { span: a as readonly [number, number], text: '"A1"' },
        { span: c as readonly [number, number], text: '3' },
      ]),
    ).toBe('{"params":["A1","bb",3]}');
  });
});
