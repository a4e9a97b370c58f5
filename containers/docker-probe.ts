import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { DockerComposeEnvironment } from 'testcontainers';
import { getContainerRuntimeClient } from 'testcontainers';

const run = promisify(execFile);

/** How long to wait for an engine to answer before calling it absent. */
export const DEFAULT_PROBE_TIMEOUT_MS = 20_000;
/** Debian's standalone Compose v1, which .ci/run installs. */
export const STANDALONE_COMPOSE_PATH = '/usr/bin/docker-compose';

/** testcontainers' choice of Compose program (its type is not exported by name). */
export type ComposeExecutable = NonNullable<
  Parameters<DockerComposeEnvironment['withClientOptions']>[0]['executable']
>;

export interface DockerProbe {
  available: boolean;
  /** What was found, or why nothing was: printed when the suite skips or fails. */
  reason: string;
}

export interface ComposeProbe extends DockerProbe {
  /** How testcontainers should run Compose; undefined = its default, the `docker compose` plugin. */
  executable?: ComposeExecutable;
}

/** Whether testcontainers finds a working engine (DOCKER_HOST, the default socket, a context...). */
export async function probeDocker(timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<DockerProbe> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    const { serverVersion, operatingSystem } = client.info.containerRuntime;
    return { available: true, reason: `Docker ${serverVersion} on ${operatingSystem}` };
  } catch (err) {
    return { available: false, reason: `no Docker engine: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Standalone docker-compose when installed, else the `docker compose` plugin, else none. */
export async function probeCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeProbe> {
  const standalone = env.KAROO_COMPOSE_PATH ?? STANDALONE_COMPOSE_PATH;
  if (existsSync(standalone)) {
    const version = await versionOf(standalone, ['version', '--short']);
    if (version !== undefined) {
      return {
        available: true,
        reason: `${standalone} ${version}`,
        executable: { standalone: true, executablePath: standalone },
      };
    }
  }
  const plugin = await versionOf('docker', ['compose', 'version', '--short']);
  if (plugin !== undefined) {
    return { available: true, reason: `docker compose ${plugin}` };
  }
  return { available: false, reason: `no Compose: neither ${standalone} nor the docker compose plugin runs` };
}

async function versionOf(file: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run(file, args, { timeout: DEFAULT_PROBE_TIMEOUT_MS });
    return stdout.trim();
  } catch {
    return undefined;
  }
}
