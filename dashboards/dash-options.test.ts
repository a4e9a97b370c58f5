import { describe, expect, it } from 'vitest';
import { UsageError } from '../runtime/usage-error.js';
import { TOKEN_ENV, parseBaseUrl, parseDashOptions } from './dash-options.js';

describe('dash options', () => {
  it('defaults to the proxy on loopback, full screen on a terminal', () => {
    expect(parseDashOptions({}, {}, true)).toEqual({
      base: new URL('http://127.0.0.1:8080'),
      token: null,
      plain: false,
      once: false,
      intervalMs: 5000,
      refreshMs: 5000,
    });
  });

  it('prints plain tables without a terminal, with --plain, and with --once', () => {
    expect(parseDashOptions({}, {}, false).plain).toBe(true);
    expect(parseDashOptions({ plain: true }, {}, true).plain).toBe(true);
    expect(parseDashOptions({ once: true }, {}, true)).toMatchObject({ plain: true, once: true });
  });

  it('takes the token from --token, else from the environment', () => {
    expect(parseDashOptions({}, { [TOKEN_ENV]: 'env-t' }, true).token).toBe('env-t');
    expect(parseDashOptions({ token: 'flag-t' }, { [TOKEN_ENV]: 'env-t' }, true).token).toBe('flag-t');
    expect(parseDashOptions({}, { [TOKEN_ENV]: '' }, true).token).toBeNull();
  });

  it('reads intervals in seconds', () => {
    expect(parseDashOptions({ interval: '0.5', refresh: '2' }, {}, false)).toMatchObject({
      intervalMs: 500,
      refreshMs: 2000,
    });
    expect(() => parseDashOptions({ interval: '0' }, {}, false)).toThrow(UsageError);
    expect(() => parseDashOptions({ refresh: 'soon' }, {}, false)).toThrow(
      '--refresh: expected seconds from 0.1 to 3600, got "soon"',
    );
  });

  it('accepts http(s) URLs and HOST:PORT, keeping only the origin', () => {
    expect(parseBaseUrl('http://10.0.0.2:8080/status').href).toBe('http://10.0.0.2:8080/');
    expect(parseBaseUrl('127.0.0.1:9000').href).toBe('http://127.0.0.1:9000/');
    expect(parseBaseUrl('https://rack.example').href).toBe('https://rack.example/');
    expect(parseBaseUrl('[::1]:8080').href).toBe('http://[::1]:8080/');
    expect(() => parseBaseUrl('stratum+tcp://pool:3333')).toThrow(
      '--url: expected an http:// or https:// URL',
    );
    expect(() => parseBaseUrl('http://')).toThrow(UsageError);
  });

  it('a word without a scheme or port is a usage error naming it, not a host to look up', () => {
    for (const text of ['notaurl', 'rack.example', 'host:', 'host:port', 'a b:80', '-x:80', '']) {
      expect(() => parseBaseUrl(text), text).toThrow(
        `--url: expected http://HOST:PORT or HOST:PORT, got ${JSON.stringify(text)}`,
      );
    }
    expect(parseBaseUrl('rack-1.lan:8080').href).toBe('http://rack-1.lan:8080/');
    expect(parseBaseUrl('localhost:8080/status').href).toBe('http://localhost:8080/');
  });
});
