import { describe, expect, it } from 'vitest';
import { formatHostPort, isHostName, parseHostPort } from './index.js';

describe('parseHostPort / formatHostPort', () => {
  it('round-trips IPv4, names and IPv6', () => {
    for (const text of ['0.0.0.0:3334', 'localhost:1', '[::1]:3334', '[fe80::1%eth0]:80']) {
      const parsed = parseHostPort(text);
      expect(parsed).not.toBeNull();
      expect(formatHostPort(parsed as { host: string; port: number })).toBe(text);
    }
  });

  it('reads ":PORT" as every IPv4 interface', () => {
    expect(parseHostPort(':3334')).toEqual({ host: '0.0.0.0', port: 3334 });
  });

  it('refuses what is not HOST:PORT', () => {
    for (const text of ['', '3334', 'a:b', 'a:123456', '::1:80', '[::1]', '[1.2.3.4]:80', 'a_b:1', 'x:1.5']) {
      expect(parseHostPort(text)).toBeNull();
    }
  });

  it('tells pool host names from junk', () => {
    expect(isHostName('pool.example.org')).toBe(true);
    expect(isHostName('10.0.0.1')).toBe(true);
    expect(isHostName('2001:db8::1')).toBe(true);
    expect(isHostName('')).toBe(false);
    expect(isHostName('pool example')).toBe(false);
    expect(isHostName('stratum+tcp://pool')).toBe(false);
  });
});
