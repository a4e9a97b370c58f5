import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, parseConfig } from '../proxy/config/index.js';
import { REPO_ROOT } from './karoo-image.js';

/** Static checks of docker-compose.yml; karoo-image.container.test.ts brings it up when an engine exists. */
const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');

interface ComposeService {
  image: string;
  build?: { context: string; args: Record<string, string> };
  network_mode?: string;
  command?: string[];
  volumes?: string[];
  profiles?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const services = compose.services;

/** `${NAME:-default}` with its default, as Compose fills it in when NAME is unset. */
const withDefaults = (text: string): string => text.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');

/** The proxy's config file as Compose mounts it by default, and where it lands. */
function proxyConfigMount(): { source: string; target: string } {
  const volume = services.proxy?.volumes?.find((v) => v.includes('/etc/karoo/'));
  const [source = '', target = ''] = withDefaults(volume ?? '').split(':');
  return { source, target };
}

describe('docker-compose.yml', () => {
  it('has pool, proxy and miners built from the project image, and monitoring behind a profile', () => {
    for (const name of ['pool', 'proxy', 'miners']) {
      const service = services[name]!;
      expect(service.build?.args).toHaveProperty('BASE_IMAGE');
      expect(service.network_mode).toBe('host');
      expect(service.profiles).toBeUndefined();
    }
    for (const name of ['prometheus', 'grafana']) expect(services[name]?.profiles).toEqual(['monitoring']);
  });

  it('mounts a proxy config the proxy accepts where the image looks for it, listening on loopback only', () => {
    const { source, target } = proxyConfigMount();
    const dockerfile = read('deploy/docker/Dockerfile');
    expect(dockerfile).toContain(`CMD ["proxy", "--config", "${target}"]`);
    const config = parseConfig(JSON.parse(read(source)));
    // Host networking: anything not on loopback would be open to the machine's network.
    expect(isLoopbackAddress(config.proxy.listen.host)).toBe(true);
    expect(isLoopbackAddress(config.http.listen!.host)).toBe(true);
    expect(config.proxy.websocket.enabled).toBe(false);
  });

  it('points the pool, the proxy upstream, the rack and the health checks at the same ports', () => {
    const config = parseConfig(JSON.parse(read(proxyConfigMount().source)));
    const pool = withDefaults((services.pool?.command ?? []).join(' '));
    expect(pool).toContain(`--listen 127.0.0.1:${config.upstream.port}`);
    const poolHttp = /--http 127\.0\.0\.1:(\d+)/.exec(pool)?.[1];
    expect(withDefaults(services.pool?.healthcheck?.test?.join(' ') ?? '')).toContain(
      `127.0.0.1:${poolHttp}/healthz`,
    );
    expect(withDefaults(services.proxy?.healthcheck?.test?.join(' ') ?? '')).toContain(
      `127.0.0.1:${config.http.listen!.port}/healthz`,
    );
    expect(withDefaults((services.miners?.command ?? []).join(' '))).toContain(
      `--url stratum+tcp://127.0.0.1:${config.proxy.listen.port}`,
    );
    expect(services.miners?.healthcheck?.disable).toBe(true);
    expect(read('deploy/docker/prometheus.yml')).toContain(`'127.0.0.1:${config.http.listen!.port}'`);
  });

  it('mounts deploy files that exist', () => {
    const sources = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => withDefaults(volume).split(':')[0] ?? '')
      .filter((source) => source.startsWith('./deploy/'));
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
  });
});
