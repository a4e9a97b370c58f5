import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonPayload } from './json-payload.js';

const NOTIFY =
  '{"id":null,"method":"mining.notify","params":["1f3a","e55e85d8085e0100","01000000","ffffffff",["a1","b2"],"20000000","1702905c","65f1a2b3",true]}';

describe('parseJsonPayload', () => {
  it('parses a whole message', () => {
    expect(parseJsonPayload(` ${NOTIFY} `)).toEqual({
      raw: NOTIFY,
      json: JSON.parse(NOTIFY),
      truncated: false,
      id: null,
      method: 'mining.notify',
    });
  });

  it('keeps the prefix that closes cleanly when cut inside a string', () => {
    const cut = parseJsonPayload(NOTIFY.slice(0, NOTIFY.indexOf('e55e') + 6));
    expect(cut).toMatchObject({
      truncated: true,
      id: null,
      method: 'mining.notify',
      json: { params: ['1f3a'] },
    });
  });

  it('closes a message cut right after a complete value', () => {
    expect(parseJsonPayload('{"id":4,"result":true')).toMatchObject({
      truncated: true,
      id: 4,
      json: { id: 4, result: true },
    });
    expect(parseJsonPayload('{"id":4,"result":[[["mining.notify","ae6812eb"]],"08000002",')).toMatchObject({
      json: { id: 4, result: [[['mining.notify', 'ae6812eb']], '08000002'] },
    });
  });

  it('drops a partial literal rather than guessing it', () => {
    expect(parseJsonPayload('{"id":4,"result":tr').json).toEqual({ id: 4 });
  });

  it('picks id and method out of text that cannot be repaired', () => {
    const p = parseJsonPayload('{"id": 7, "method": "mining.sub');
    expect(p).toMatchObject({ truncated: true, id: 7 });
    expect(p.method).toBeUndefined();
    expect(parseJsonPayload('{"method":"mining.ping","id":"x1"').method).toBe('mining.ping');
    expect(parseJsonPayload('{"method":"mining.ping","id":"x1"').id).toBe('x1');
  });

  it('marks text that is not JSON at all as truncated with nothing recovered', () => {
    expect(parseJsonPayload('KeepAlive suggest_difficulty')).toEqual({
      raw: 'KeepAlive suggest_difficulty',
      truncated: true,
    });
  });

  it('never throws on a prefix, and never invents a method the text does not contain', () => {
    fc.assert(
      fc.property(fc.nat({ max: NOTIFY.length }), (n) => {
        const p = parseJsonPayload(NOTIFY.slice(0, n));
        expect(p.truncated).toBe(n < NOTIFY.length);
        if (p.method !== undefined) expect(p.method).toBe('mining.notify');
        if (p.json !== undefined) expect(typeof p.json).toBe('object');
      }),
    );
  });

  it('survives arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const p = parseJsonPayload(s);
        expect(p.raw).toBe(s.trim());
      }),
    );
  });
});
