// Component tests of the mini-program, in jsdom. Filled in by the mini-program work.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'miniapp',
  testEnvironment: 'jsdom',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/test/miniapp'],
  testMatch: ['**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(cborg|@tarojs|@stencil|lodash-es)/)'],
};
