import { describe, expect, it } from 'vitest';
import type { UpstreamEndpoint } from './upstream-endpoint.js';
import { decideReconnect } from './reconnect-policy.js';

const pool = (host: string, port = 3333, user = 'rack'): UpstreamEndpoint => ({
  host,
  port,
  user,
  pass: 'secret',
  tls: false,
  insecureSkipVerify: false,
});

describe('decideReconnect: where the upstream credentials may go', () => {
  const current = pool('stratum.pool.example');
  const configured = [current, pool('backup.other.example', 443, 'rack.backup')];

  it('follows to the same host, on any port, keeping the credentials', () => {
    expect(decideReconnect(current, configured, { port: 3334 })).toEqual({
      follow: true,
      endpoint: { ...current, port: 3334 },
      index: undefined,
    });
    expect(decideReconnect(current, configured, { host: 'STRATUM.pool.example' })).toMatchObject({
      follow: true,
    });
    expect(decideReconnect(current, configured, {})).toMatchObject({ follow: true, endpoint: current });
  });

  it('follows within the domain (cgminer’s rule), but not to a bare suffix', () => {
    expect(decideReconnect(current, configured, { host: 'eu.pool.example' })).toMatchObject({
      follow: true,
      endpoint: { host: 'eu.pool.example', user: 'rack' },
    });
    const short = pool('pool.example');
    expect(decideReconnect(short, [short], { host: 'evil.example' })).toMatchObject({ follow: false });
  });

  it('goes to a configured pool with that pool’s own credentials', () => {
    expect(decideReconnect(current, configured, { host: 'backup.other.example', port: 443 })).toEqual({
      follow: true,
      endpoint: configured[1],
      index: 1,
    });
  });

  it('refuses any other host, IP addresses matched exactly, and a bad port', () => {
    expect(decideReconnect(current, configured, { host: 'evil.example.net' })).toMatchObject({
      follow: false,
      reason: expect.stringContaining('evil.example.net') as unknown,
    });
    const byIp = pool('10.0.0.1');
    expect(decideReconnect(byIp, [byIp], { host: '10.0.0.2' })).toMatchObject({ follow: false });
    expect(decideReconnect(byIp, [byIp], { host: '10.0.0.1', port: 4444 })).toMatchObject({ follow: true });
    expect(decideReconnect(current, configured, { port: 70_000 })).toMatchObject({ follow: false });
  });
});
