import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactLine } from './log-redaction.js';

describe('redactLine', () => {
  it.each([
    [
      '{"id":2,"method":"mining.authorize","params":["wallet.rig","s3cret"]}',
      '{"id":2,"method":"mining.authorize","params":["wallet.rig","<redacted>"]}',
    ],
    [
      '{"params": ["bc1q.nerd", 12345], "id": 3, "method": "mining.authorize"}',
      '{"params": ["bc1q.nerd", "<redacted>"], "id": 3, "method": "mining.authorize"}',
    ],
    [
      '{"id":1,"method":"mining.authorize","params":["w",{"pin":"9"},"extra"]}',
      '{"id":1,"method":"mining.authorize","params":["w","<redacted>","extra"]}',
    ],
  ])('replaces the password of %s, keeping every other byte', (line, redacted) => {
    expect(redactLine(line)).toBe(redacted);
  });

  it.each([
    '{"id":4,"method":"mining.submit","params":["w","j","00","6b091c97","00000000"]}',
    '{"id":2,"method":"mining.authorize","params":["worker-only"]}',
    '{"id":2,"result":true,"error":null}',
    '{"id":5,"method":"mining.subscribe","params":["authorize-ua/1.0"]}',
  ])('leaves a line without a password as it is: %s', (line) => {
    expect(redactLine(line)).toBe(line);
  });

  it('does not show an authorize line it cannot read', () => {
    const line = '{"id":2,"method":"mining.authorize","params":["w","s3cret"]';
    expect(redactLine(line)).toBe(
      `<a line mentioning authorize or a password, not shown (${line.length} characters)>`,
    );
    expect(
      redactLine('{"id":2,"method":"mining.authorize","params":{"user":"w","pass":"s3cret"}}'),
    ).not.toContain('s3cret');
  });

  it('does not show an answer that quotes a bad password', () => {
    const answer =
      '{"id":2,"result":null,"error":[-32602,"Invalid params: mining.authorize params[1] (password): expected a string, got 1234",null]}';
    expect(redactLine(answer)).not.toContain('1234');
  });

  it('never lets any password through, whatever the JSON around it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 6 }), fc.jsonValue(), (user, pass, id) => {
        fc.pre(!user.includes(pass) && !JSON.stringify(id).includes(JSON.stringify(pass).slice(1, -1)));
        const line = JSON.stringify({ id, method: 'mining.authorize', params: [user, pass] });
        expect(redactLine(line)).not.toContain(JSON.stringify(pass).slice(1, -1));
      }),
    );
  });
});
