import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { builtinModules } from 'node:module';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'coverage/**',
      '.data/**',
      'artifacts/**',
      'miniapp/config/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // shared/ runs in the mini-program too: Web APIs only.
    files: ['shared/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({
            name,
            message: 'shared/ runs in the mini-program: Web APIs only.',
          })),
          patterns: [{ group: ['node:*'], message: 'shared/ runs in the mini-program: Web APIs only.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'shared/ uses Uint8Array, not Buffer.' },
        { name: 'process', message: 'shared/ runs in the mini-program: no process.' },
        { name: 'require', message: 'shared/ uses ES imports only.' },
      ],
    },
  },
  {
    files: ['miniapp/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, wx: 'readonly' } },
  },
  {
    // One way into @eid/shared: its root. The weapp build is byte-identical with root imports
    // (sideEffects: false lets webpack drop what a page does not use), so deep paths buy nothing.
    // A rule name of its own, so it neither overrides nor is overridden by other import blocks.
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@eid/shared/*'], message: "Import from '@eid/shared' (its only package export)." },
          ],
        },
      ],
    },
  },
  {
    // Pages and services read the time from the one clock (miniapp/src/lib/clock.ts), which tests set.
    files: ['miniapp/src/**/*.{ts,tsx}'],
    ignores: ['miniapp/src/lib/clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use `clock.now()` from miniapp/src/lib/clock.ts.' },
      ],
    },
  },
  {
    // CommonJS config files (jest, babel).
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests read JSON answers of many shapes; typing each one would add noise, not safety.
    files: ['test/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
