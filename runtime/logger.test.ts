import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n'))
        if (l !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('test', 'trace', sink), lines };
}

describe('createLogger', () => {
  it('never writes a password, a token or an Authorization header, at any depth pino can name', () => {
    const { logger, lines } = capture();
    logger.info({ pass: 'p1', upstream: { password: 'p2', socks: { password: 'p3' } }, token: 't1' }, 'a');
    logger.child({ conn: 1 }).warn({ headers: { authorization: 'Bearer t2' } }, 'b');
    const text = JSON.stringify(lines);
    for (const secret of ['p1', 'p2', 'p3', 't1', 't2']) expect(text).not.toContain(`"${secret}`);
    expect(lines[0]).toMatchObject({
      pass: '<redacted>',
      token: '<redacted>',
      upstream: { password: '<redacted>' },
    });
  });

  it('cuts a password a Stratum error quotes, keeping the rest of the message', () => {
    const { logger, lines } = capture();
    logger.debug(
      { err: 'Invalid params: mining.authorize params[1] (password): expected a string, got 918273645' },
      'bad line from miner',
    );
    expect(lines[0]?.err).toBe(
      'Invalid params: mining.authorize params[1] (password): expected a string, got <redacted>',
    );
    logger.info({ err: 'nothing secret here' }, 'c');
    expect(lines[1]?.err).toBe('nothing secret here');
  });
});
