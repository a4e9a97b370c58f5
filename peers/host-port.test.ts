import { describe, expect, it } from 'vitest';
import { formatHostPort, formatStratumUrl, parseHostPort, parseStratumUrl } from './host-port.js';

describe('parseHostPort', () => {
  it('splits HOST:PORT, [IPv6]:PORT and :PORT, and formats them back', () => {
    for (const [text, host, port] of [
      ['127.0.0.1:3333', '127.0.0.1', 3333],
      ['pool.example.org:65535', 'pool.example.org', 65535],
      ['[::1]:0', '::1', 0],
      ['[fe80::1%eth0]:80', 'fe80::1%eth0', 80],
      ['[::ffff:10.0.0.1]:3334', '::ffff:10.0.0.1', 3334],
    ] as const) {
      expect(parseHostPort(text)).toEqual({ host, port });
      expect(formatHostPort({ host, port })).toBe(text);
    }
  });

  it('leaves an empty host to the caller', () => {
    expect(parseHostPort(':3334')).toEqual({ host: '', port: 3334 });
  });

  it('refuses what is not HOST:PORT', () => {
    for (const text of [
      '',
      '3334',
      'host:',
      'a:b',
      'a:123456',
      'a:65536',
      'x:1.5',
      'x:-1',
      '::1:80',
      '[::1]',
      '[::1]80',
      '[1.2.3.4]:80',
      '[zz::1]:80',
      'a b:1',
      'a/b:1',
      ' 127.0.0.1:3333',
      'stratum+tcp://a:1',
    ]) {
      expect(parseHostPort(text), text).toBeNull();
    }
  });
});

describe('parseStratumUrl', () => {
  it('reads stratum+tcp://HOST:PORT, a trailing slash allowed', () => {
    expect(parseStratumUrl('stratum+tcp://pool.test:3333')).toEqual({ host: 'pool.test', port: 3333 });
    expect(parseStratumUrl('stratum+tcp://[::1]:3333/')).toEqual({ host: '::1', port: 3333 });
    expect(formatStratumUrl({ host: '::1', port: 3333 })).toBe('stratum+tcp://[::1]:3333');
  });

  it('refuses another scheme, a missing host and port 0', () => {
    for (const text of [
      'http://pool.test:3333',
      'stratum+ssl://pool.test:3333',
      'stratum+tcp://:3333',
      'stratum+tcp://pool.test:0',
      'stratum+tcp://pool.test',
      'stratum+tcp://pool.test:3333/path',
    ]) {
      expect(parseStratumUrl(text), text).toBeNull();
    }
  });
});
