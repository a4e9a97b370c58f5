import { describe, expect, it } from 'vitest';
import { hostPortFlag, httpUrlFlag, urlFlag } from './cli-flags.js';

describe('address flags', () => {
  it('reads --listen HOST:PORT, :PORT meaning every interface', () => {
    expect(hostPortFlag(' 127.0.0.1:3334 ', '--listen')).toEqual({ host: '127.0.0.1', port: 3334 });
    expect(hostPortFlag(':0', '--listen')).toEqual({ host: '0.0.0.0', port: 0 });
    expect(() => hostPortFlag('3334', '--listen')).toThrow('--listen: expected HOST:PORT, got "3334"');
  });

  it('reads --target stratum+tcp://HOST:PORT and refuses port 0', () => {
    expect(urlFlag('stratum+tcp://[::1]:3333/', '--target')).toEqual({ host: '::1', port: 3333 });
    expect(() => urlFlag('stratum+tcp://pool:0', '--target')).toThrow(/^--target: expected stratum\+tcp/);
  });

  it('reads http://HOST:PORT without its trailing slash', () => {
    expect(httpUrlFlag('http://[::1]:8080/', '--pool-api')).toBe('http://[::1]:8080');
    expect(() => httpUrlFlag('http://:8080', '--pool-api')).toThrow('--pool-api: expected http://HOST:PORT');
  });
});
