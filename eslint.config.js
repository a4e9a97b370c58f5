import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The house, bottom to top: a folder imports only folders below it (README "Architecture").
 * Folders on one level do not import each other (the proxy never imports the simulator).
 * peers/ (the one Stratum test client and scriptable pool) sits low so replay and bench can use it.
 * reliability/, containers/, deploy/ and test-support/ hold tests only and sit on top.
 */
const LEVELS = [
  ['stratum'],
  ['runtime'],
  ['recording', 'peers'],
  ['proxy', 'simulator'],
  ['regression', 'hil', 'dashboards'],
  ['cli'],
  ['bench'],
  ['reliability', 'containers', 'deploy', 'test-support'],
];
const TEST_FILES = ['**/*.test.ts', '**/test-support/**'];
const notBelow = (level, self) =>
  LEVELS.slice(level)
    .flat()
    .filter((f) => f !== self);
/** Production code: nothing from its own level or above. */
const productionZones = LEVELS.flatMap((folders, level) =>
  folders.map((folder) => ({
    target: `./${folder}/**`,
    from: notBelow(level, folder).map((f) => `./${f}`),
    message: `${folder}/ sits below that folder: import only from lower levels (eslint.config.js LEVELS).`,
  })),
);
/** Tests may also use the simulator (the peers the proxy is tested against) and any test support. */
const testZones = LEVELS.flatMap((folders, level) =>
  folders.map((folder) => ({
    target: `./${folder}/**`,
    from: notBelow(level, folder)
      .filter((f) => f !== 'simulator' && f !== 'test-support')
      .map((f) => `./${f}`),
    message: `${folder}/ tests may import lower levels, the simulator and test support only (eslint.config.js LEVELS).`,
  })),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    ignores: TEST_FILES,
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: productionZones }] },
  },
  {
    files: TEST_FILES,
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: testZones }] },
  },
  {
    // The proxy core is sealed: outside proxy/core/ only its index may be imported, so no module
    // outside the core can reach (or write) its internals.
    files: ['**/*.ts'],
    ignores: ['proxy/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)proxy/core/(?!index\\.js$)|(^|/)core/(?!index\\.js$)',
              message: 'The proxy core is sealed: import from proxy/core/index.js only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['stratum/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['net', 'node:net', 'tls', 'node:tls', 'timers', 'node:timers', 'pino'],
          patterns: ['../proxy/*', '../simulator/*', '../hil/*'],
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'Date'],
    },
  },
);
