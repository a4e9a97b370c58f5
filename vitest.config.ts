import { defineConfig } from 'vitest/config';

/**
 * Test tiers, by file name (README "Tests"):
 *   *.test.ts            unit: pure code and the proxy core in memory (manual clock, in-memory pairs)
 *   *.wire.test.ts       wire: real sockets on 127.0.0.1, in process
 *   *.cli.test.ts        cli: the built `karoo` command (dist/ built once for the run)
 *   *.hil.test.ts        hil: pseudo-terminals (socat) and, where one is attached, a real board
 *   *.container.test.ts  containers: a Docker engine
 * `npm test` runs them all; `npm run test:unit` runs in seconds without a build.
 */
const TIERS = ['wire', 'cli', 'hil', 'container'] as const;
const ALWAYS_EXCLUDED = ['node_modules/**', 'dist/**'];

function tier(name: string, include: string, extra: Record<string, unknown> = {}) {
  return {
    extends: true,
    test: { name, include: [include], exclude: ALWAYS_EXCLUDED, pool: 'forks' as const, ...extra },
  };
}

export default defineConfig({
  test: {
    // Vitest's default is one worker per core less one: a single worker here, though most files
    // wait on sockets, child processes and ptys rather than compute.
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ALWAYS_EXCLUDED, ...TIERS.map((t) => `**/*.${t}.test.ts`)],
          // In memory, nothing to isolate from: one module cache per worker thread.
          pool: 'threads',
          isolate: false,
        },
      },
      tier('wire', '**/*.wire.test.ts'),
      tier('cli', '**/*.cli.test.ts', { globalSetup: ['test-support/build-once.ts'] }),
      tier('hil', '**/*.hil.test.ts', { globalSetup: ['test-support/build-once.ts'] }),
      tier('containers', '**/*.container.test.ts', { globalSetup: ['test-support/build-once.ts'] }),
    ],
  },
});
