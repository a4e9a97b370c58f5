import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/index.js';
import { diffConfigs, effectOf } from './config-diff.js';

const base = {
  upstream: { host: 'pool.example.org', port: 3333, user: 'wallet.rack' },
  backups: [{ host: 'backup.example.org', port: 3333 }],
};

describe('diffConfigs', () => {
  it('finds nothing between equal configs', () => {
    expect(diffConfigs(parseConfig(base), parseConfig(base))).toEqual([]);
  });

  it('names each changed file key with its reload effect', () => {
    const next = parseConfig({
      ...base,
      proxy: { listen: ':4444', max_clients: 50, read_buf: 8192 },
      upstream: { ...base.upstream, user: 'wallet.other', mode: 'keep-warm' },
      vardiff: { min_diff: 0.001, start_diff: 0.01 },
      ratelimit: { max_connections_per_ip: 5 },
      http: { token: 'tok' },
      log: { level: 'debug' },
    });
    const changes = diffConfigs(parseConfig(base), next);
    expect(changes.map((c) => [c.key, c.effect])).toEqual([
      ['backups[0].user', 'live'], // inherited from upstream.user
      ['http.token', 'live'],
      ['log.level', 'live'],
      ['proxy.listen', 'restart'],
      ['proxy.max_clients', 'live'],
      ['proxy.read_buf', 'new-connections'],
      ['ratelimit.max_connections_per_ip', 'live'],
      ['upstream.mode', 'live'],
      ['upstream.user', 'live'],
      ['vardiff.min_diff', 'live'],
      ['vardiff.start_diff', 'new-connections'],
    ]);
    expect(changes.find((c) => c.key === 'proxy.listen')).toMatchObject({
      from: '0.0.0.0:3334',
      to: '0.0.0.0:4444',
    });
    // A backup that inherits upstream.user changes with it.
    expect(
      diffConfigs(parseConfig(base), parseConfig({ ...base, upstream: { ...base.upstream, user: 'x' } })).map(
        (c) => c.key,
      ),
    ).toEqual(['backups[0].user', 'upstream.user']);
  });

  it('takes a different number of backups at once', () => {
    const more = parseConfig({
      ...base,
      backups: [...base.backups, { host: 'third.example.org', port: 3333 }],
    });
    const changes = diffConfigs(parseConfig(base), more);
    expect(changes.find((c) => c.key === 'backups.length')).toMatchObject({
      from: 1,
      to: 2,
      effect: 'live',
    });
    expect(changes.find((c) => c.key === 'backups[1].host')).toMatchObject({ effect: 'live' });
  });

  it('classifies every key', () => {
    expect(effectOf('proxy.tls.enabled')).toBe('restart');
    expect(effectOf('proxy.tls.cert_file')).toBe('live');
    expect(effectOf('proxy.websocket.listen')).toBe('restart');
    expect(effectOf('proxy.subscribe_timeout_ms')).toBe('live');
    expect(effectOf('proxy.client_idle_ms')).toBe('live');
    expect(effectOf('proxy.write_buf')).toBe('new-connections');
    expect(effectOf('http.listen')).toBe('restart');
    expect(effectOf('upstream.tls')).toBe('live');
    expect(effectOf('upstream.suggest_difficulty')).toBe('live');
    expect(effectOf('upstream.socks_proxy.port')).toBe('live');
    expect(effectOf('upstream.backoff_min_ms')).toBe('live');
    expect(effectOf('upstream.mode')).toBe('live');
    expect(effectOf('upstream.notify_timeout_ms')).toBe('next-dial');
    expect(effectOf('backups[3].pass')).toBe('live');
    expect(effectOf('backups.length')).toBe('live');
    expect(effectOf('backups[3].backoff_min_ms')).toBe('restart');
    expect(effectOf('compat.strict_broadcast')).toBe('live');
    expect(effectOf('limits.reject_ban_ratio')).toBe('live');
    expect(effectOf('something.new')).toBe('restart');
  });
});
