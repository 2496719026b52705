/**
 * Two projects: `node` runs every suite under test/ against real servers (BFF on port 0, mock systems,
 * the database over TCP); `miniapp` runs component tests in jsdom. The database is started once for the
 * run by test/helpers/global-setup.ts unless MONGODB_URI points at a real MongoDB.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

// ESM-only packages that jest's CommonJS runtime needs transformed.
const esmPackages = ['@noble', '@tarojs', '@stencil', 'lodash-es', 'oidc-provider', 'jose'];

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 30000,
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/miniapp/'],
      transform: { '^.+\\.(t|j|mj)sx?$': swc },
      transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
    },
    require('./test/miniapp/jest.config.js'),
  ],
};
