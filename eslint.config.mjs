import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { readdirSync } from 'node:fs';
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
    // Import zones (STYLE.md point 15): who may import whom, checked on resolved paths, so a deep
    // relative path or a workspace name cannot walk around them. Folders are read from disk, so a new
    // BFF module or mini-program subpackage is zoned the day it is created.
    files: ['bff/**/*.ts', 'miniapp/**/*.{ts,tsx}', 'shared/**/*.ts', 'mock/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: importZones() }] },
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

/** The zones of `import-x/no-restricted-paths`; `except` paths are relative to `from`. */
function importZones() {
  const dirs = (path) =>
    readdirSync(new URL(path, import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  const modules = dirs('./bff/src/modules');
  // The mini-program's main package: what every subpackage may use. wallet/ (the device key and the
  // stored card, read by card/ and account/) and platform/ (super-app login, face, brightness and
  // randomness adapters) are main-package layers like services/, not subpackages.
  const mainPackage = ['services', 'lib', 'components', 'platform', 'i18n', 'wallet', 'pages'];
  const subpackages = dirs('./miniapp/src').filter((name) => !mainPackage.includes(name));
  const sharedLayers = mainPackage.filter((name) => name !== 'pages');
  return [
    // app.ts (the composition root), server.ts and infra/ sit outside modules/ and are not zoned here.
    ...modules.map((name) => ({
      target: `./bff/src/modules/${name}`,
      from: './bff/src/modules',
      except: [
        `./${name}`,
        ...modules.filter((other) => other !== name).map((other) => `./${other}/${other}.types.ts`),
      ],
      message: `A module imports another only through its <module>.types.ts contract; app.ts passes services in as deps.`,
    })),
    ...subpackages.map((name) => ({
      target: `./miniapp/src/${name}`,
      from: './miniapp/src',
      except: [`./${name}`, ...sharedLayers.map((layer) => `./${layer}`)],
      message: `A subpackage imports only services/, lib/, components/, platform/, i18n/, wallet/, its own folder and @eid/shared.`,
    })),
    {
      // What the main package imports is bundled into it; a subpackage's code would grow it.
      target: mainPackage.map((layer) => `./miniapp/src/${layer}`),
      from: subpackages.map((name) => `./miniapp/src/${name}`),
      message: 'The main package never imports a subpackage.',
    },
    {
      target: './shared',
      from: ['./bff', './mock', './miniapp'],
      message: 'shared/ is the ground floor: it imports nothing from bff/, mock/ or miniapp/.',
    },
    {
      target: './mock',
      from: ['./bff', './miniapp'],
      message: 'mock/ stands in for outside systems: it imports nothing from bff/ or miniapp/.',
    },
    {
      target: './bff',
      from: ['./miniapp', './mock'],
      message: 'bff/ imports nothing from miniapp/ or mock/ (tests may).',
    },
  ];
}
