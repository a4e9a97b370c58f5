import { ConfigError, describeValue } from './errors.js';
import { isHostName } from './host-port.js';
import type { RawUpstream } from './schema.js';
import type { SocksProxyConfig } from './types.js';

/**
 * An upstream's `socks_proxy` as the dialer uses it: null when absent or disabled, else what an
 * enabled one must hold (as the Go karoo checks it): type "socks5", a host and a port.
 */
export function socksProxyOf(raw: RawUpstream['socks_proxy'], key: string): SocksProxyConfig | null {
  if (raw === undefined || !raw.enabled) return null;
  if (raw.type !== 'socks5') {
    invalid(`${key}.type`, '"socks5" (the only SOCKS type supported)', raw.type);
  }
  if (!isHostName(raw.host)) {
    invalid(`${key}.host`, 'a host name or IP address when socks_proxy.enabled is true', raw.host);
  }
  if (raw.port < 1)
    invalid(`${key}.port`, 'an integer from 1 to 65535 when socks_proxy.enabled is true', raw.port);
  if (raw.password !== '' && raw.username === '') {
    invalid(`${key}.username`, 'a username when socks_proxy.password is set', raw.username);
  }
  for (const which of ['username', 'password'] as const) {
    const bytes = Buffer.byteLength(raw[which]);
    if (bytes > 255) {
      // The value may be a secret: only its length goes in the message.
      throw new ConfigError(
        'CONFIG_INVALID',
        `${key}.${which}`,
        `config: ${key}.${which}: expected at most 255 bytes (SOCKS5 username/password authentication), got ${bytes} bytes`,
      );
    }
  }
  return { host: raw.host, port: raw.port, username: raw.username, password: raw.password };
}

function invalid(key: string, expected: string, got: unknown): never {
  throw new ConfigError(
    'CONFIG_INVALID',
    key,
    `config: ${key}: expected ${expected}, got ${describeValue(got)}`,
  );
}
