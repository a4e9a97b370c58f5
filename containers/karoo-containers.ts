import type { StartedTestContainer } from 'testcontainers';
import { GenericContainer, Wait } from 'testcontainers';
import type { LogTail } from './log-tail.js';

/** Generous: two containers start alongside the rest of `npm test` on a 2-core machine. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 90_000;
/** Where the suite puts a proxy config inside the container. */
export const TEST_CONFIG_PATH = '/etc/karoo/test-config.json';
/** What `karoo pool --http` prints once both listeners are up. */
export const POOL_READY_LINE = 'pool stats on ';
/** What `karoo proxy` prints once every listener is up. */
export const PROXY_READY_LINE = 'karoo proxy listening on ';

export interface PoolPorts {
  stratum: number;
  http: number;
}

/**
 * `karoo pool` from `image` on the host network, listening on 127.0.0.1 only; resolves once it
 * prints its ready line (host networking: no port to wait on, no shell to run a check). Its
 * output goes to `logs`.
 */
export function startPoolContainer(
  image: string,
  ports: PoolPorts,
  logs: LogTail,
): Promise<StartedTestContainer> {
  return new GenericContainer(image)
    .withNetworkMode('host')
    .withCommand(['pool', '--listen', `127.0.0.1:${ports.stratum}`, '--http', `127.0.0.1:${ports.http}`])
    .withWaitStrategy(Wait.forLogMessage(POOL_READY_LINE))
    .withStartupTimeout(DEFAULT_STARTUP_TIMEOUT_MS)
    .withLogConsumer(logs.consume)
    .start();
}

/**
 * `karoo proxy` from `image` on the host network with `config` (a proxy config object) copied in;
 * resolves once it prints its ready line. `healthzUrl` points the image's health check at the
 * config's HTTP listener. Its output goes to `logs`.
 */
export function startProxyContainer(
  image: string,
  config: unknown,
  healthzUrl: string,
  logs: LogTail,
): Promise<StartedTestContainer> {
  return (
    new GenericContainer(image)
      .withNetworkMode('host')
      .withCopyContentToContainer([
        { content: JSON.stringify(config), target: TEST_CONFIG_PATH, mode: 0o644 },
      ])
      .withEnvironment({ KAROO_HEALTHZ_URL: healthzUrl })
      // As deploy/k8s runs it: no capabilities, no privilege gain.
      .withDroppedCapabilities('ALL')
      .withSecurityOpt('no-new-privileges')
      .withCommand(['proxy', '--config', TEST_CONFIG_PATH])
      .withWaitStrategy(Wait.forLogMessage(PROXY_READY_LINE))
      .withStartupTimeout(DEFAULT_STARTUP_TIMEOUT_MS)
      .withLogConsumer(logs.consume)
      .start()
  );
}
