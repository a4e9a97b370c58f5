import { describe, expect, it } from 'vitest';
import { defaultStratumUrl } from './remote-bench.js';

describe('defaultStratumUrl', () => {
  it('assumes the Stratum port 3334 on the proxy host unless --stratum says otherwise', () => {
    expect(defaultStratumUrl('http://10.0.0.5:8080')).toBe('stratum+tcp://10.0.0.5:3334');
    expect(defaultStratumUrl('https://[::1]:8080/')).toBe('stratum+tcp://[::1]:3334');
    expect(() => defaultStratumUrl('10.0.0.5:8080')).toThrow('--proxy: expected http://HOST:PORT');
    expect(() => defaultStratumUrl('ftp://h:1')).toThrow('--proxy: expected http://HOST:PORT');
  });
});
