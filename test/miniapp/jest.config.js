// Component tests of the mini-program, in jsdom, against Taro's H5 implementation (docs: TARO.md).
const path = require('node:path');

const support = '<rootDir>/test/miniapp/support';

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'miniapp',
  testEnvironment: 'jsdom',
  rootDir: path.resolve(__dirname, '../..'),
  roots: ['<rootDir>/test/miniapp'],
  testMatch: ['**/*.test.tsx'],
  setupFiles: [`${support}/env.ts`],
  setupFilesAfterEnv: [`${support}/after-env.ts`],
  // The constants Taro's H5 build defines at compile time.
  globals: {
    ENABLE_INNER_HTML: true,
    ENABLE_ADJACENT_HTML: true,
    ENABLE_SIZE_APIS: true,
    ENABLE_TEMPLATE_CONTENT: true,
    ENABLE_CLONE_NODE: true,
    ENABLE_CONTAINS: true,
    ENABLE_MUTATION_OBSERVER: true,
    DEPRECATED_ADAPTER_COMPONENT: false,
  },
  moduleNameMapper: {
    '^@tarojs/taro$': `${support}/taro.ts`,
    '^@tarojs/components$': '@tarojs/components/lib/react',
    '^@tarojs/runtime$': '@tarojs/runtime/dist/index.js',
    '^@tarojs/api$': '@tarojs/api/dist/index.js',
    '^@eid/shared$': '<rootDir>/shared/src/index.ts',
    '\\.(css|scss|sass)$': `${support}/style-stub.js`,
  },
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
  // Taro's H5 API pulls in many ESM-only packages (some nested, like tslib under @tarojs/components),
  // so everything is transformed except the big CommonJS libraries that need no help.
  transformIgnorePatterns: [
    '/node_modules/(react|react-dom|scheduler|@testing-library|jsdom|core-js|@babel)/',
  ],
};
