import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const MODULES = ['accounts', 'workspaces', 'credentials', 'workflows', 'runs', 'bots', 'marketplace', 'billing', 'assistant', 'support', 'content', 'privacy', 'audit', 'admin'];
const APPS = ['@weft/server', '@weft/worker', '@weft/web'];

// Import boundaries: apps → modules → packages. A module reaches another only
// through its package name (its index.ts); packages know no module or app.
const noDeepImports = { group: ['@weft/*/*'], message: 'Import a workspace package by its name only (its index.ts).' };

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'migrations/**', 'apps/web/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', performance: 'readonly', fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', Blob: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [noDeepImports] }],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDeepImports,
            { group: [...MODULES.map((m) => `@weft/${m}`), ...APPS], message: 'Packages must not depend on modules or apps.' },
            { group: ['../../modules/**', '../../apps/**', '../../../modules/**', '../../../apps/**'], message: 'Packages must not reach into modules or apps.' },
          ],
        },
      ],
    },
  },
  {
    files: ['modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noDeepImports,
            { group: APPS, message: 'Modules must not depend on apps.' },
            { group: ['../*', '../../*'], message: 'A module reaches another only through its package name (index.ts).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
