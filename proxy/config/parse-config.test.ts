import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_CLIENT_IDLE_MS,
  DEFAULT_MIN_DIFF,
  DEFAULT_READ_BUF,
  defaultConfig,
  parseConfig,
} from './index.js';
import { errorOf, minimal } from './test-support/config-errors.js';

const EXAMPLE_PATH = new URL('../../config/config.example.json', import.meta.url);
const example = (): Record<string, unknown> => JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8'));

/** A copy of `doc` with the value at a dotted path (`backups[0].host` allowed) replaced. */
function withValue(doc: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(doc);
  const parts = key.split('.').flatMap((p) => p.split(/\[(\d+)\]/).filter((s) => s !== ''));
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1) as string] = value;
  return copy;
}

/** Every leaf key of a JSON document, as dotted paths. */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [prefix];
    return value.flatMap((v, i) => leafKeys(v, `${prefix}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return [prefix];
}

// One bad value per key, with the expectation the message must state.
const BAD_VALUES: [key: string, bad: unknown, expected: string][] = [
  ['proxy.listen', '3334', 'an address "HOST:PORT"'],
  ['proxy.client_idle_ms', -1, 'an integer from 0 to 2147483647'],
  ['proxy.max_clients', 0, 'an integer from 1 to 1000000'],
  ['proxy.read_buf', 'big', 'an integer from 256 to 1048576'],
  ['proxy.write_buf', 1000, 'an integer from 1024 to 67108864'],
  ['proxy.tls.enabled', 'yes', 'true or false'],
  ['proxy.tls.cert_file', 7, 'a string'],
  ['proxy.tls.key_file', null, 'a string'],
  ['proxy.websocket.enabled', 1, 'true or false'],
  ['proxy.websocket.listen', 'localhost', 'an address "HOST:PORT"'],
  ['proxy.subscribe_timeout_ms', 10, 'an integer from 1000 to 600000'],
  ['upstream.host', '', 'a host name or IP address'],
  ['upstream.port', 'abc', 'an integer from 1 to 65535'],
  ['upstream.user', 42, 'a string'],
  ['upstream.pass', false, 'a string'],
  ['upstream.tls', 'true', 'true or false'],
  ['upstream.insecure_skip_verify', 0, 'true or false'],
  ['upstream.backoff_min_ms', 0, 'an integer from 100 to 2147483647'],
  ['upstream.backoff_max_ms', 'slow', 'an integer from 100 to 2147483647'],
  ['upstream.socks_proxy', 'socks5://127.0.0.1:1080', 'an object { "enabled", "type": "socks5"'],
  ['upstream.socks_proxy.enabled', 'yes', 'true or false'],
  ['upstream.socks_proxy.type', 5, 'a string'],
  ['upstream.socks_proxy.host', 1, 'a string'],
  ['upstream.socks_proxy.port', 70000, 'an integer from 0 to 65535'],
  ['upstream.socks_proxy.username', [], 'a string'],
  ['upstream.socks_proxy.password', 42, 'a string'],
  ['upstream.mode', 'always', 'one of "on-demand", "keep-warm"'],
  ['upstream.idle_grace_ms', -5, 'an integer from 0 to 2147483647'],
  ['upstream.primary_probe_ms', 5, 'an integer from 100 to 2147483647'],
  ['upstream.notify_timeout_ms', 'soon', 'an integer from 1000 to 2147483647'],
  ['upstream.suggest_difficulty', 0, '"auto", "off", or a number above 0 and at most 1e15'],
  ['backups[0].host', 'bad host!', 'a host name or IP address'],
  ['backups[0].port', 70000, 'an integer from 1 to 65535'],
  ['backups[0].user', 1, 'a string'],
  ['backups[0].pass', {}, 'a string'],
  ['backups[0].tls', null, 'true or false'],
  ['backups[0].insecure_skip_verify', 'no', 'true or false'],
  ['backups[0].backoff_min_ms', 99, 'an integer from 100'],
  ['backups[0].backoff_max_ms', [], 'an integer from 100'],
  ['backups[0].mode', 'warm', 'one of "on-demand", "keep-warm"'],
  ['backups[0].idle_grace_ms', 'x', 'an integer from 0'],
  ['backups[0].primary_probe_ms', 0, 'an integer from 100'],
  ['backups[0].notify_timeout_ms', 10, 'an integer from 1000'],
  ['backups[0].socks_proxy', 7, 'an object { "enabled", "type": "socks5"'],
  ['backups[0].socks_proxy.enabled', 'yes', 'true or false'],
  ['backups[0].socks_proxy.type', null, 'a string'],
  ['backups[0].socks_proxy.host', false, 'a string'],
  ['backups[0].socks_proxy.port', -1, 'an integer from 0 to 65535'],
  ['backups[0].socks_proxy.username', 0, 'a string'],
  ['backups[0].socks_proxy.password', {}, 'a string'],
  ['backups[0].suggest_difficulty', 'high', '"auto", "off", or a number above 0'],
  ['http.listen', ':99999', '"HOST:PORT"'],
  ['http.pprof', 'on', 'true or false'],
  ['http.token', 123, 'a string'],
  ['http.require_token', 'yes', 'true or false'],
  ['http.public_pool_api', 2019, '"HOST:PORT"'],
  ['vardiff.enabled', 'true', 'true or false'],
  ['vardiff.target_seconds', 0, 'a number from 0.1 to 3600'],
  ['vardiff.min_diff', 0, 'a number above 0'],
  ['vardiff.max_diff', -1, 'a number above 0'],
  ['vardiff.adjust_every_ms', 999, 'an integer from 1000'],
  ['vardiff.start_diff', 'auto', 'a number above 0'],
  ['ratelimit.enabled', 'off', 'true or false'],
  ['ratelimit.max_connections_per_ip', -1, 'an integer from 0 to 1000000'],
  ['ratelimit.max_connections_per_minute', 0.5, 'an integer from 0 to 1000000'],
  ['ratelimit.ban_duration_seconds', '5m', 'an integer from 0'],
  ['ratelimit.cleanup_interval_seconds', 0, 'an integer from 1 to 86400'],
  ['ratelimit.trusted', '192.168.1.0/24', 'a list of at most 256 CIDR ranges'],
  ['limits.auth_fail_backoff_ms', null, 'an integer from 0'],
  ['limits.reject_ban_ratio', 1.5, 'a number from 0 to 1'],
  ['limits.reject_ban_min_shares', 0, 'an integer from 1 to 1000000'],
  ['limits.reject_ban_seconds', -1, 'an integer from 0'],
  ['compat.strict_broadcast', 'false', 'true or false'],
  ['compat.local_authorize', 1, 'true or false'],
  ['log.level', 'loud', 'one of "trace", "debug", "info", "warn", "error", "fatal", "silent"'],
];

describe('parseConfig', () => {
  it('accepts config/config.example.json and every value in it is the default', () => {
    const doc = example();
    const parsed = parseConfig(doc);
    expect(parsed.warnings).toEqual([]);
    // The example differs from the defaults only in what has no default (host, port) or is an example.
    const upstream = doc.upstream as Record<string, unknown>;
    const backup = (doc.backups as Record<string, unknown>[])[0] as Record<string, unknown>;
    const bare = parseConfig({
      upstream: { host: upstream.host, port: upstream.port, user: upstream.user },
      backups: [{ host: backup.host, port: backup.port }],
    });
    expect(parsed).toEqual(bare);
  });

  it('the table of bad values covers every key of the example file and the keys it leaves out', () => {
    const tableKeys = BAD_VALUES.map(([key]) => key).sort();
    // Absent from the example on purpose: backup user/pass/suggest_difficulty (inherited); socks_proxy is also tried as a whole.
    const leftOut = [
      'upstream.socks_proxy',
      'backups[0].socks_proxy',
      'backups[0].user',
      'backups[0].pass',
      'backups[0].suggest_difficulty',
    ];
    expect(tableKeys).toEqual([...leafKeys(example()), ...leftOut].sort());
  });

  it.each(BAD_VALUES)('%s = %j is refused with a one-line message naming the key', (key, bad, expected) => {
    const err = errorOf(withValue(example(), key, bad));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.key).toBe(key);
    expect(err.message.startsWith(`config: ${key}: expected `)).toBe(true);
    expect(err.message).toContain(expected);
    // A secret's value is never echoed, only its type.
    if (/(^|\.)(pass|password|token)$/.test(key)) {
      expect(err.message).toMatch(/, got an? \w+ \(not shown\)$/);
      expect(err.message).not.toContain(JSON.stringify(bad));
    } else expect(err.message).toContain(`, got ${JSON.stringify(bad)}`);
    expect(err.message).not.toContain('\n');
    expect(err.name).toBe('ConfigError');
  });

  it('states the expected value exactly, as in the README', () => {
    const err = errorOf(withValue(minimal(), 'upstream.port', 'abc'));
    expect(err.message).toBe('config: upstream.port: expected an integer from 1 to 65535, got "abc"');
  });

  it.each([
    ['proxy', 'lisen', 'proxy.lisen: unknown key (did you mean proxy.listen?)'],
    ['upstream', 'passwd', 'upstream.passwd: unknown key (did you mean upstream.pass?)'],
    ['vardiff', 'min_difficulty', 'vardiff.min_difficulty: unknown key'],
    ['proxy.tls', 'cert', 'proxy.tls.cert: unknown key'],
    ['http', 'pprof_enabled', 'http.pprof_enabled: unknown key'],
    ['log', 'lvl', 'log.lvl: unknown key'],
  ])('refuses an unknown key in %s: %s', (section, key, expected) => {
    const doc = example();
    const err = errorOf(withValue(doc, `${section}.${key}`, 1));
    expect(err.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(err.key).toBe(`${section}.${key}`);
    expect(err.message).toContain(`config: ${expected}`);
  });

  it('gives the exact did-you-mean message for a typo', () => {
    const err = errorOf({ ...minimal(), proxy: { lisen: ':3334' } });
    expect(err.message).toBe('config: proxy.lisen: unknown key (did you mean proxy.listen?)');
  });

  it('lists the known keys when nothing is close', () => {
    const err = errorOf({ ...minimal(), compat: { zzzzzzzz: true } });
    expect(err.message).toBe(
      'config: compat.zzzzzzzz: unknown key (known keys here: strict_broadcast, local_authorize)',
    );
  });

  it('refuses unknown keys at the top level and inside backups', () => {
    expect(errorOf({ ...minimal(), upstreams: [] }).message).toBe(
      'config: upstreams: unknown key (did you mean upstream?)',
    );
    const inBackup = errorOf({
      ...minimal(),
      backups: [
        { host: 'b', port: 1 },
        { host: 'c', port: 2, usr: 'u' },
      ],
    });
    expect(inBackup.key).toBe('backups[1].usr');
    expect(inBackup.message).toContain('did you mean backups[1].user?');
  });

  it('reports unknown keys before the type errors they cause and counts the rest', () => {
    const err = errorOf({ upstream: { host: 'p', port: 'x' }, proxy: { lisen: 1 } });
    expect(err.key).toBe('proxy.lisen');
    expect(err.message).toMatch(/\(and 1 more problem\)$/);
  });

  it('requires upstream host and port, and nothing else', () => {
    expect(errorOf({}).message).toBe(
      'config: upstream: expected an object with at least host and port, got nothing',
    );
    expect(errorOf({ upstream: { port: 3333 } }).message).toBe(
      'config: upstream.host: expected a host name or IP address, got nothing',
    );
    expect(errorOf({ upstream: { host: 'p' } }).key).toBe('upstream.port');
    expect(() => parseConfig(minimal())).not.toThrow();
  });

  it('refuses a document that is not an object', () => {
    for (const raw of [null, 5, 'x', []]) {
      const err = errorOf(raw);
      expect(err.key).toBe('');
      expect(err.message).toMatch(/^config: top level: expected a JSON object, got /);
    }
  });

  it('fills in every default', () => {
    const c = parseConfig(minimal());
    expect(c.proxy).toEqual({
      listen: { host: '0.0.0.0', port: 3334 },
      clientIdleMs: DEFAULT_CLIENT_IDLE_MS,
      maxClients: 1000,
      readBuf: DEFAULT_READ_BUF,
      writeBuf: 262144,
      tls: { enabled: false, certFile: '', keyFile: '' },
      websocket: { enabled: false, listen: { host: '0.0.0.0', port: 3335 } },
      subscribeTimeoutMs: 10000,
    });
    expect(c.upstream).toEqual({
      host: 'pool.example.org',
      port: 3333,
      user: '',
      pass: 'x',
      tls: false,
      insecureSkipVerify: false,
      backoffMinMs: 1000,
      backoffMaxMs: DEFAULT_BACKOFF_MAX_MS,
      mode: 'on-demand',
      idleGraceMs: 30000,
      primaryProbeMs: 30000,
      notifyTimeoutMs: 300000,
      socksProxy: null,
      suggestDifficulty: 'auto',
    });
    expect(c.backups).toEqual([]);
    expect(c.http).toEqual({
      listen: { host: '127.0.0.1', port: 8080 },
      token: null,
      requireToken: false,
      publicPoolApi: null,
    });
    expect(c.vardiff).toEqual({
      enabled: true,
      targetSeconds: 10,
      minDiff: DEFAULT_MIN_DIFF,
      maxDiff: 1e12,
      adjustEveryMs: 60000,
      startDiff: null,
    });
    expect(c.ratelimit).toEqual({
      enabled: true,
      maxConnectionsPerIp: 100,
      maxConnectionsPerMinute: 60,
      banDurationSeconds: 300,
      cleanupIntervalSeconds: 60,
      trusted: [],
    });
    expect(c.limits).toEqual({
      authFailBackoffMs: 3000,
      rejectBanRatio: 0.5,
      rejectBanMinShares: 500,
      rejectBanSeconds: 600,
    });
    expect(c.compat).toEqual({ strictBroadcast: false, localAuthorize: true });
    expect(c.log).toEqual({ level: 'info' });
    expect(c.warnings).toEqual([]);
    expect(defaultConfig('pool.example.org', 3333)).toEqual(c);
  });

  it.each([
    [':3334', { host: '0.0.0.0', port: 3334 }],
    ['[::1]:3334', { host: '::1', port: 3334 }],
    ['[::]:3334', { host: '::', port: 3334 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    ['rig-gw.local:3334', { host: 'rig-gw.local', port: 3334 }],
  ])('parses proxy.listen %s', (listen, expected) => {
    expect(parseConfig({ ...minimal(), proxy: { listen } }).proxy.listen).toEqual(expected);
  });

  it.each(['::1:3334', '[::1]3334', ':', 'host:', ':65536', ':-1', 'a b:1', '[]:1'])(
    'refuses proxy.listen %s',
    (listen) => {
      expect(errorOf({ ...minimal(), proxy: { listen } }).key).toBe('proxy.listen');
    },
  );

  it('disables HTTP with an empty listen and keeps a token', () => {
    const c = parseConfig({ ...minimal(), http: { listen: '', token: 's3cret' } });
    expect(c.http).toEqual({ listen: null, token: 's3cret', requireToken: false, publicPoolApi: null });
  });

  it('serves public-pool’s client API where http.public_pool_api says, apart from http.listen', () => {
    const c = parseConfig({ ...minimal(), http: { listen: '', public_pool_api: ':2019' } });
    expect(c.http.publicPoolApi).toEqual({ host: '0.0.0.0', port: 2019 });
    expect(c.http.listen).toBeNull();
  });

  it('backups inherit user and pass from upstream unless they set their own', () => {
    const c = parseConfig({
      upstream: { host: 'a', port: 1, user: 'wallet.rack', pass: 'p1' },
      backups: [
        { host: 'b', port: 2 },
        { host: 'c', port: 3, user: 'other', pass: '' },
      ],
    });
    expect(c.backups.map((b) => [b.host, b.user, b.pass])).toEqual([
      ['b', 'wallet.rack', 'p1'],
      ['c', 'other', ''],
    ]);
  });

  it('accepts fractional difficulties and checks min_diff <= start_diff <= max_diff', () => {
    const c = parseConfig({ ...minimal(), vardiff: { min_diff: 1e-7, max_diff: 0.5, start_diff: 0.00015 } });
    expect(c.vardiff).toMatchObject({ minDiff: 1e-7, maxDiff: 0.5, startDiff: 0.00015 });
    const inverted = errorOf({ ...minimal(), vardiff: { min_diff: 10, max_diff: 1 } });
    expect(inverted.message).toBe(
      'config: vardiff.max_diff: expected a number >= vardiff.min_diff (10), got 1',
    );
    expect(errorOf({ ...minimal(), vardiff: { start_diff: 1e-9 } }).key).toBe('vardiff.start_diff');
  });

  it('checks backoff_min_ms <= backoff_max_ms per upstream', () => {
    expect(errorOf(withValue(minimal(), 'upstream.backoff_min_ms', 90000)).message).toBe(
      'config: upstream.backoff_max_ms: expected an integer >= upstream.backoff_min_ms (90000), got 60000',
    );
    expect(errorOf({ ...minimal(), backups: [{ host: 'b', port: 1, backoff_max_ms: 500 }] }).key).toBe(
      'backups[0].backoff_max_ms',
    );
  });

  it('requires certificate and key files when miner-side TLS is on', () => {
    expect(errorOf({ ...minimal(), proxy: { tls: { enabled: true, key_file: 'k.pem' } } }).message).toBe(
      'config: proxy.tls.cert_file: expected a certificate file path when proxy.tls.enabled is true, got ""',
    );
    expect(errorOf({ ...minimal(), proxy: { tls: { enabled: true, cert_file: 'c.pem' } } }).key).toBe(
      'proxy.tls.key_file',
    );
    const ok = parseConfig({
      ...minimal(),
      proxy: { tls: { enabled: true, cert_file: 'c', key_file: 'k' } },
    });
    expect(ok.proxy.tls).toEqual({ enabled: true, certFile: 'c', keyFile: 'k' });
  });

  it('bounds the backups list', () => {
    const backups = Array.from({ length: 33 }, (_, i) => ({ host: `b${i}`, port: 3333 }));
    expect(errorOf({ ...minimal(), backups }).message).toBe(
      `config: backups: expected an array of at most 32 upstreams, got ${JSON.stringify(backups).slice(0, 57)}...`,
    );
  });

  it('accepts IPv6 pool addresses', () => {
    expect(parseConfig({ upstream: { host: '2001:db8::1', port: 3333 } }).upstream.host).toBe('2001:db8::1');
  });
});
