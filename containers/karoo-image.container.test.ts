/**
 * The Karoo image for real: build deploy/docker/Dockerfile, run the pool simulator and the proxy
 * as containers (host networking, loopback only), mine through them with simulated miners in this
 * process, and bring up docker-compose.yml. Needs a Docker engine: without one the suite is
 * skipped with the reason printed, unless KAROO_REQUIRE_DOCKER=1 (as .ci/run sets), which makes
 * a missing engine a failure. See deploy/README.md for the variables.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartedDockerComposeEnvironment, StartedTestContainer } from 'testcontainers';
import { DockerComposeEnvironment, ImageName, getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, vi } from 'vitest';
import { fetchStatus, getJson } from '../proxy/api/index.js';
import type { RequestTarget } from '../proxy/api/index.js';
import { startMiner } from '../simulator/miners/index.js';
import type { SimulatedMiner } from '../simulator/miners/index.js';
import { probeCompose, probeDocker } from './docker-probe.js';
import { freePorts } from '../test-support/free-ports.js';
import { httpGet } from './http-json.js';
import { REPO_ROOT, buildImage, imageSettings, stageContext } from './karoo-image.js';
import { startPoolContainer, startProxyContainer } from './karoo-containers.js';
import { LogTail } from './log-tail.js';

const SETUP_TIMEOUT_MS = 400_000;
const TEST_TIMEOUT_MS = 180_000;
const SHARE_TIMEOUT_MS = 120_000;
/** How waits on the containers poll: a share through two containers can take a while on a loaded machine. */
const CONTAINER_PATIENCE = { timeout: SHARE_TIMEOUT_MS, interval: 250 } as const;
const UPSTREAM_USER = 'karoo-ci.proxy';
const COMPOSE_UPSTREAM_USER = 'karoo-ci.compose';

interface PoolStats {
  workers: Record<string, { accepted: number }>;
  totals: { accepted: number; sessions: number };
}
interface PoolSession {
  workers: string[];
  userAgent?: string;
}

const required = process.env.KAROO_REQUIRE_DOCKER === '1';
const docker = await probeDocker();
const compose = docker.available
  ? await probeCompose()
  : { available: false, reason: 'no Docker engine', executable: undefined };
if (!docker.available) {
  console.log(
    `containers: skipping the container suite: ${docker.reason}` +
      (required ? '' : ' (KAROO_REQUIRE_DOCKER=1 turns this into a failure)'),
  );
} else if (!compose.available) {
  console.log(`containers: skipping the Compose test: ${compose.reason}`);
}

/** An HTTP API on this machine's loopback (the containers use the host network). */
const api = (port: number): RequestTarget => ({ base: new URL(`http://127.0.0.1:${port}`), token: null });

/** Waits until the pool's books credit `user` with an accepted share; those books. */
function creditedTo(pool: RequestTarget, user: string): Promise<PoolStats> {
  return vi.waitFor(async () => {
    const stats = (await getJson(pool, '/stats')) as PoolStats;
    expect(stats.workers[user]?.accepted ?? 0, `an accepted share for ${user}`).toBeGreaterThanOrEqual(1);
    return stats;
  }, CONTAINER_PATIENCE);
}

describe('the Karoo image', () => {
  it.runIf(required)('has the Docker engine and Compose that CI started (KAROO_REQUIRE_DOCKER=1)', () => {
    expect(docker.available, docker.reason).toBe(true);
    expect(compose.available, compose.reason).toBe(true);
  });

  describe.skipIf(!docker.available)('built and run with testcontainers', () => {
    const settings = imageSettings();
    let work = '';
    /** The staged build context; Compose checks that its `build.context` exists even when not building. */
    let context = '';
    const poolLogs = new LogTail();
    const proxyLogs = new LogTail();
    const containers: StartedTestContainer[] = [];
    const miners: SimulatedMiner[] = [];
    let ports: { pool: number; poolHttp: number; proxy: number; proxyHttp: number };

    const showLogs = (): void => {
      console.log(`--- pool container (last lines)\n${poolLogs.text()}`);
      console.log(`--- proxy container (last lines)\n${proxyLogs.text()}`);
    };

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'karoo-containers-'));
      context = join(work, 'context');
      if (settings.prebuilt) mkdirSync(context);
      else {
        await stageContext(context);
        await buildImage(settings, context);
      }
      const [pool, poolHttp, proxy, proxyHttp] = await freePorts(4);
      ports = { pool: pool!, poolHttp: poolHttp!, proxy: proxy!, proxyHttp: proxyHttp! };
      containers.push(
        await startPoolContainer(settings.image, { stratum: ports.pool, http: ports.poolHttp }, poolLogs),
      );
      const config = {
        proxy: { listen: `127.0.0.1:${ports.proxy}` },
        upstream: {
          host: '127.0.0.1',
          port: ports.pool,
          user: UPSTREAM_USER,
          mode: 'keep-warm',
          backoff_min_ms: 250,
        },
        http: { listen: `127.0.0.1:${ports.proxyHttp}` },
      };
      const healthz = `http://127.0.0.1:${ports.proxyHttp}/healthz`;
      containers.push(await startProxyContainer(settings.image, config, healthz, proxyLogs));
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      await Promise.all(miners.map((m) => m.stop()));
      // Proxy first, so the pool sees its upstream session close rather than a reset.
      for (const c of containers.reverse()) await c.stop({ timeout: 10_000 });
      if (work !== '') rmSync(work, { recursive: true, force: true });
    }, SETUP_TIMEOUT_MS);

    it('runs as an unprivileged user, with the karoo entry point and the proxy as its command', async () => {
      const client = await getContainerRuntimeClient();
      const info = await client.image.inspect(ImageName.fromString(settings.image));
      expect(info.Config.User).toBe('10001:10001');
      expect(info.Config.Entrypoint).toEqual(['node', '/app/dist/cli/main.js']);
      expect(info.Config.Cmd?.slice(0, 2)).toEqual(['proxy', '--config']);
    });

    it(
      'is ready on /healthz once its upstream session to the pool container is up, and serves /metrics',
      async () => {
        onTestFailed(showLogs);
        const base = `http://127.0.0.1:${ports.proxyHttp}`;
        const health = await vi.waitFor(async () => {
          const answer = await httpGet(`${base}/healthz`);
          expect(answer.status, 'the proxy container to report ready').toBe(200);
          return answer;
        }, CONTAINER_PATIENCE);
        expect(JSON.parse(health.body)).toEqual({ status: 'ok', reason: 'upstream connected' });
        const status = await fetchStatus(api(ports.proxyHttp));
        expect(status.upstream).toMatchObject({
          state: 'ready',
          url: `stratum+tcp://127.0.0.1:${ports.pool}`,
        });
        const metrics = await httpGet(`${base}/metrics`);
        expect(metrics.status).toBe(200);
        expect(metrics.body).toMatch(/^karoo_info\{version="[^"]+"\} 1$/m);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'mines: shares from two miners at the proxy container reach the pool container under the upstream user, over one session',
      async () => {
        onTestFailed(showLogs);
        const url = `stratum+tcp://127.0.0.1:${ports.proxy}`;
        for (const worker of ['rack.cpu-01', 'rack.cpu-02']) {
          miners.push(startMiner({ profile: 'cpu', url, worker }));
        }
        await Promise.all(miners.map((m) => m.waitFor('share-accepted', undefined, SHARE_TIMEOUT_MS)));

        const stats = await creditedTo(api(ports.poolHttp), UPSTREAM_USER);
        // The pool only ever sees the proxy's account, never the miners' names.
        expect(Object.keys(stats.workers)).toEqual([UPSTREAM_USER]);
        const sessions = (await getJson(api(ports.poolHttp), '/sessions')) as PoolSession[];
        expect(sessions).toHaveLength(1);
        expect(sessions[0]?.workers).toEqual([UPSTREAM_USER]);
        expect(sessions[0]?.userAgent).toMatch(/^karoo\//);
      },
      TEST_TIMEOUT_MS,
    );

    describe.skipIf(!compose.available)('docker-compose.yml', () => {
      let env: StartedDockerComposeEnvironment | undefined;

      afterAll(async () => {
        await env?.down({ timeout: 10_000 });
      }, SETUP_TIMEOUT_MS);

      it(
        'brings up pool, proxy and a rack, and the rack mines into the pool through the proxy',
        async () => {
          const [pool, poolHttp, proxy, proxyHttp] = await freePorts(4);
          const configPath = join(work, 'compose-karoo.json');
          writeFileSync(
            configPath,
            JSON.stringify({
              proxy: { listen: `127.0.0.1:${proxy}` },
              upstream: { host: '127.0.0.1', port: pool, user: COMPOSE_UPSTREAM_USER, mode: 'keep-warm' },
              http: { listen: `127.0.0.1:${proxyHttp}` },
            }),
          );
          env = await new DockerComposeEnvironment(REPO_ROOT, 'docker-compose.yml')
            .withProjectName(`karoo-test-${process.pid}`)
            .withEnvironment({
              KAROO_IMAGE: settings.image,
              KAROO_IMAGE_CONTEXT: context,
              KAROO_BASE_IMAGE: settings.baseImage,
              KAROO_CONFIG: configPath,
              KAROO_POOL_PORT: String(pool),
              KAROO_POOL_HTTP_PORT: String(poolHttp),
              KAROO_PROXY_PORT: String(proxy),
              KAROO_PROXY_HTTP_PORT: String(proxyHttp),
              KAROO_NERDMINERS: '1',
              KAROO_BITAXES: '0',
              KAROO_CPUS: '1',
              KAROO_GPUS: '0',
            })
            .withClientOptions(compose.executable ? { executable: compose.executable } : {})
            .up(['pool', 'proxy', 'miners']);

          const stats = await creditedTo(api(poolHttp!), COMPOSE_UPSTREAM_USER);
          expect(Object.keys(stats.workers)).toEqual([COMPOSE_UPSTREAM_USER]);
          // Both of the rack's miners are connected to the proxy under their own names.
          await vi.waitFor(async () => {
            const status = await fetchStatus(api(proxyHttp!));
            expect(status.workers.map((w) => w.name).sort(), 'both compose miners at the proxy').toEqual([
              'rack.cpu-01',
              'rack.nerd-01',
            ]);
          }, CONTAINER_PATIENCE);
        },
        TEST_TIMEOUT_MS,
      );
    });
  });
});
