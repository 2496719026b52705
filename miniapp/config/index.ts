import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

// `@eid/shared` is a workspace package whose entry point is TypeScript source, so both builds must run
// it through the same loaders as our own code instead of treating it as a prebuilt dependency.
const sharedSrc = path.resolve(__dirname, '../../shared/src');
// shared/ may import its siblings as `./x.js` (TypeScript's ESM convention); webpack-chain has no
// setter for this webpack 5 option, hence the generic `set`.
const jsToTs = { '.js': ['.ts', '.tsx', '.js'] };

/**
 * ZXing's reader WebAssembly, for the staff and public-check cameras on browsers without a native BarcodeDetector. The
 * H5 build serves it itself (the package would fetch it from a CDN otherwise), named by the first 8
 * hex digits of its SHA-256, which is where lib/decoder.ts asks for it (from the digest the
 * package reports) and what lets the H5 server cache it for good. The one barcode-detector resolves.
 */
function zxingWasmCopy(): { from: string; to: string } {
  const from = require.resolve('zxing-wasm/reader/zxing_reader.wasm', {
    paths: [path.dirname(require.resolve('barcode-detector'))],
  });
  const digest = createHash('sha256').update(readFileSync(from)).digest('hex').slice(0, 8);
  return { from, to: `dist/h5/static/wasm/zxing_reader.${digest}.wasm` };
}

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'eid-miniapp',
    date: '2026-11-23',
    // Styles are written in CSS pixels of a 375 px wide phone: 1px becomes 2rpx on weapp.
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {},
    // Taro reads TARO_APP_* only from .env files; forward the process environment too. Every variable
    // the code reads must be listed, or the built page meets a bare `process` at run time.
    env: Object.fromEntries(
      [
        'TARO_APP_API_BASE',
        'TARO_APP_SUPERAPP_BASE',
        'TARO_APP_FACE_BASE',
        'TARO_APP_FACE_MODE',
        'TARO_APP_TRUST_ROOT',
      ].map((name) => [name, JSON.stringify(process.env[name] ?? '')]),
    ),
    alias: { '@eid/shared': sharedSrc },
    // Copy patterns are not per platform in Taro: the wasm goes only into the H5 output.
    copy: { patterns: process.env.TARO_ENV === 'h5' ? [zxingWasmCopy()] : [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chain.resolve.set('extensionAlias', jsToTs);
      },
    },
    h5: {
      compile: { include: [sharedSrc] },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      devServer: { host: '127.0.0.1', open: false },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        // Plain CSS pixels on the web, so the browser's own zoom and text-size settings keep working.
        pxtransform: { enable: false, config: {} },
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        chain.resolve.set('extensionAlias', jsToTs);
        // Taro splits only initial chunks on the web, so every lazily loaded page carried its own copy of
        // React, the components and the strings; sharing them across pages cuts the total by about half.
        const splitChunks = chain.optimization.get('splitChunks') as Record<string, unknown> | undefined;
        if (splitChunks) chain.optimization.set('splitChunks', { ...splitChunks, chunks: 'all' });
        // ZXing's wasm is over the asset limit but is fetched only after the staff camera is granted on a
        // browser without a native detector; the limits stay for everything a page loads up front.
        chain.performance
          .maxEntrypointSize(400 * 1024)
          .maxAssetSize(400 * 1024)
          .assetFilter((file: string) => !file.endsWith('.wasm'));
      },
    },
  };

  // WeChat DevTools opens the repository root; Taro copies that file into the weapp build, applying
  // TARO_APP_ID. The option exists in Taro's config loader but not in its published types.
  const projectConfig = { projectConfigName: '../project.config.json' } as UserConfigExport<'webpack5'>;

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, projectConfig, devConfig);
  return merge({}, baseConfig, projectConfig, prodConfig);
});
