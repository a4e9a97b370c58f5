import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
