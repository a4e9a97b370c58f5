import { describe, expect, it } from 'vitest';
import { parseConfig } from './index.js';
import { errorOf, minimal } from './test-support/config-errors.js';

const withSocks = (socks: unknown) => ({ upstream: { ...minimal().upstream, socks_proxy: socks } });

describe('socks_proxy', () => {
  it.each([undefined, null, '', false, { enabled: false }, { enabled: false, type: 'socks4', host: '' }])(
    'none when absent, empty or disabled: %j',
    (socks) => {
      expect(parseConfig(withSocks(socks)).upstream.socksProxy).toBeNull();
    },
  );

  it('an enabled one in the Go shape', () => {
    const c = parseConfig({
      ...withSocks({
        enabled: true,
        type: 'socks5',
        host: '127.0.0.1',
        port: 9050,
        username: 'rack',
        password: 'tor-pass',
      }),
      backups: [
        { host: 'b.onion', port: 3333, socks_proxy: { enabled: true, host: '127.0.0.1', port: 9050 } },
        { host: 'c', port: 3333 },
      ],
    });
    expect(c.upstream.socksProxy).toEqual({
      host: '127.0.0.1',
      port: 9050,
      username: 'rack',
      password: 'tor-pass',
    });
    expect(c.backups.map((b) => b.socksProxy)).toEqual([
      { host: '127.0.0.1', port: 9050, username: '', password: '' },
      null,
    ]);
  });

  it.each([
    [{ enabled: true, type: 'socks4', host: 'h', port: 1 }, 'upstream.socks_proxy.type', '"socks5"'],
    [{ enabled: true, host: '', port: 1080 }, 'upstream.socks_proxy.host', 'a host name or IP address'],
    [{ enabled: true, host: 'h', port: 0 }, 'upstream.socks_proxy.port', 'an integer from 1 to 65535'],
    [{ enabled: true, host: 'h', password: 'p' }, 'upstream.socks_proxy.username', 'a username'],
    [{ enabled: true, host: 'h', usename: 'u' }, 'upstream.socks_proxy.usename', 'did you mean'],
  ])('an enabled one that cannot work is refused: %j', (socks, key, expected) => {
    const err = errorOf(withSocks(socks));
    expect(err.key).toBe(key);
    expect(err.message).toContain(`config: ${key}: `);
    expect(err.message).toContain(expected);
  });

  it('never echoes a SOCKS password, even one too long', () => {
    const secret = 'x'.repeat(300);
    const err = errorOf(withSocks({ enabled: true, host: 'h', username: 'u', password: secret }));
    expect(err.message).toBe(
      'config: upstream.socks_proxy.password: expected at most 255 bytes (SOCKS5 username/password authentication), got 300 bytes',
    );
  });
});

describe('http.require_token', () => {
  const exposed = (extra: Record<string, unknown>) => ({ ...minimal(), http: { listen: ':8080', ...extra } });

  it('false (default): an API beyond loopback without a token starts with a warning', () => {
    const c = parseConfig(exposed({}));
    expect(c.warnings).toEqual([
      'http.token: empty while http.listen (0.0.0.0:8080) is not a loopback address: anyone who can reach it reads /status (miners, their addresses, the pool user) and /metrics; set http.token or listen on 127.0.0.1 (http.require_token: true refuses to start like this)',
    ]);
    expect(parseConfig(exposed({ token: 't' })).warnings).toEqual([]);
    expect(parseConfig({ ...minimal(), http: { listen: '[::1]:8080' } }).warnings).toEqual([]);
  });

  it('true: refused, naming http.token', () => {
    const err = errorOf(exposed({ require_token: true }));
    expect(err.key).toBe('http.token');
    expect(err.message).toBe(
      'config: http.token: expected a bearer token because http.listen (0.0.0.0:8080) is not a loopback address and http.require_token is true; set http.token or listen on 127.0.0.1',
    );
    expect(parseConfig(exposed({ require_token: true, token: 't' })).http.requireToken).toBe(true);
  });
});

describe('ratelimit.trusted', () => {
  it('takes CIDR ranges and single addresses, IPv4 and IPv6, normalised', () => {
    const c = parseConfig({
      ...minimal(),
      ratelimit: { trusted: ['192.168.1.0/24', '10.0.0.7', 'FD00::/8', '::1', '192.168.1.0/24'] },
    });
    expect(c.ratelimit.trusted).toEqual(['192.168.1.0/24', '10.0.0.7/32', 'fd00::/8', '::1/128']);
  });

  it.each(['192.168.1.0/33', 'lan', '10.0.0/8', 'fd00::/129', '10.0.0.0/-1', 'fe80::1%eth0', ''])(
    'refuses %j naming its place in the list',
    (bad) => {
      const err = errorOf({ ...minimal(), ratelimit: { trusted: ['10.0.0.0/8', bad] } });
      expect(err.key).toBe('ratelimit.trusted[1]');
      expect(err.message).toBe(
        `config: ratelimit.trusted[1]: expected a CIDR range like "192.168.1.0/24" or "fd00::/8", or one IP address, got ${JSON.stringify(bad)}`,
      );
    },
  );
});
