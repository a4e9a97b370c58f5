import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm run build`); tests of the real `karoo dash` run it. */
export const BUILT_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const BUILT_DASH = fileURLToPath(new URL('../../dist/dashboards/dash-command.js', import.meta.url));

/** Throws a clear message when the build is missing (`npm test` builds first). */
export function requireBuiltCli(): string {
  if (!existsSync(BUILT_CLI) || !existsSync(BUILT_DASH)) {
    throw new Error(`${BUILT_CLI} or the dash command is not built: run \`npm run build\` first`);
  }
  return BUILT_CLI;
}
