import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GenericContainer } from 'testcontainers';

const run = promisify(execFile);

/** Base image where a registry is reachable; CI passes its imported one in KAROO_BASE_IMAGE. */
export const DEFAULT_BASE_IMAGE = 'node:20-bookworm-slim';
/** Tag the suite builds (overwritten each run, so images do not pile up). */
export const DEFAULT_TEST_IMAGE = 'karoo:test';
/** Staging runs `npm ci --omit=dev` (from the npm cache when warm). */
export const DEFAULT_STAGE_TIMEOUT_MS = 180_000;

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const STAGE_SCRIPT = fileURLToPath(new URL('./stage.sh', import.meta.url));

export interface ImageSettings {
  /** FROM of the image (build argument BASE_IMAGE). */
  baseImage: string;
  /** Tag to build, or the image to use as it is when `prebuilt`. */
  image: string;
  /** KAROO_IMAGE named an image: use it and build nothing. */
  prebuilt: boolean;
}

/** KAROO_BASE_IMAGE and KAROO_IMAGE, with their defaults. */
export function imageSettings(env: NodeJS.ProcessEnv = process.env): ImageSettings {
  const image = nonEmpty(env.KAROO_IMAGE);
  return {
    baseImage: nonEmpty(env.KAROO_BASE_IMAGE) ?? DEFAULT_BASE_IMAGE,
    image: image ?? DEFAULT_TEST_IMAGE,
    prebuilt: image !== undefined,
  };
}

/** Assembles the build context in `dir` with containers/stage.sh (needs a built dist/). */
export async function stageContext(dir: string): Promise<void> {
  await run('bash', [STAGE_SCRIPT, dir], { cwd: REPO_ROOT, timeout: DEFAULT_STAGE_TIMEOUT_MS });
}

/**
 * Builds deploy/docker/Dockerfile from a staged context on `settings.baseImage` and tags it
 * `settings.image`. A local base image is used as it is (nothing is pulled for it).
 */
export async function buildImage(settings: ImageSettings, contextDir: string): Promise<string> {
  await GenericContainer.fromDockerfile(contextDir)
    .withBuildArgs({ BASE_IMAGE: settings.baseImage })
    .build(settings.image, { deleteOnExit: false });
  return settings.image;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
