/**
 * Builds the admin pages (docs/admin.md): one esbuild bundle of admin/src/main.tsx (React, uPlot, the wire
 * types of @eid/shared) into miniapp/dist/admin, beside the H5 build and apart from it, so neither the weapp
 * nor the H5 resident build ever carries admin code. About a second.
 *
 * `tsx admin/build.ts` (npm run build:admin -w miniapp); `--watch` rebuilds on change.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, context, type BuildOptions } from 'esbuild';

export const ADMIN_SRC = path.resolve(__dirname);
export const ADMIN_DIST = path.resolve(__dirname, '../dist/admin');

const options: BuildOptions = {
  entryPoints: { admin: path.join(ADMIN_SRC, 'src/main.tsx') },
  outdir: ADMIN_DIST,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
};

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(ADMIN_DIST, { recursive: true, force: true });
  mkdirSync(ADMIN_DIST, { recursive: true });
  copyFileSync(path.join(ADMIN_SRC, 'index.html'), path.join(ADMIN_DIST, 'index.html'));
  if (process.argv.includes('--watch')) {
    const ctx = await context(options);
    await ctx.watch();
    process.stdout.write(`admin: watching ${ADMIN_SRC}\n`);
    return;
  }
  await build(options);
  process.stdout.write(
    `admin: built ${path.relative(process.cwd(), ADMIN_DIST)} in ${Date.now() - started} ms\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`admin build failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
