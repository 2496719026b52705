/**
 * Guards the weapp build after `npm run build:miniapp`: the main package (everything outside the
 * subpackage roots in app.json) must stay within our 1 MB budget, half of WeChat's 2 MB limit, and no
 * script may use `eval` or `new Function` (the mini-program engine refuses them at run time). The admin
 * pages' bundle (miniapp/dist/admin, docs/admin.md) stays within its own gzip budget, and neither resident
 * build (weapp, H5) carries any admin code.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const MAIN_PACKAGE_BUDGET = 1024 * 1024;

export const WEAPP_DIST = path.resolve(__dirname, '../miniapp/dist/weapp');
export const H5_DIST = path.resolve(__dirname, '../miniapp/dist/h5');
export const ADMIN_DIST = path.resolve(__dirname, '../miniapp/dist/admin');

/** The admin pages' budget, gzip: what an officer's browser downloads on a cold start. */
export const ADMIN_BUDGET = { js: 250 * 1024, css: 20 * 1024 } as const;

/** A string only the admin bundle holds (miniapp/admin/src/main.tsx ADMIN_BUNDLE_MARKER). */
export const ADMIN_MARKER = 'eid-admin-pages-bundle';

export interface PackageSizes {
  main: number;
  subpackages: Record<string, number>;
  total: number;
}

export interface DynamicCodeUse {
  file: string;
  offset: number;
  snippet: string;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

function subpackageRoots(dist: string): string[] {
  const appJson = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[];
    subpackages?: { root: string }[];
  };
  return (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''));
}

/** Sizes in bytes of the main package and of each subpackage of a weapp build. */
export function measureWeappBuild(dist = WEAPP_DIST): PackageSizes {
  const roots = subpackageRoots(dist);
  const sizes: PackageSizes = {
    main: 0,
    subpackages: Object.fromEntries(roots.map((r) => [r, 0])),
    total: 0,
  };
  for (const file of walk(dist)) {
    const rel = path.relative(dist, file).split(path.sep).join('/');
    // DevTools' own project file is not part of the uploaded code package.
    if (rel === 'project.config.json') continue;
    const size = statSync(file).size;
    sizes.total += size;
    const root = roots.find((r) => rel.startsWith(`${r}/`));
    if (root) sizes.subpackages[root]! += size;
    else sizes.main += size;
  }
  return sizes;
}

const DYNAMIC_CODE = /\beval\s*\(|\bnew\s+Function\s*\(/g;
// webpack's runtime looks up the global object this way inside a try block; the engine tolerates it.
const GUARDED_GLOBAL_LOOKUP = /^new\s+Function\s*\(\s*(["'])return this\1\s*\)/;

/** Every `eval(` and `new Function(` in the build's scripts, except webpack's guarded global lookup. */
export function findDynamicCode(dist = WEAPP_DIST): DynamicCodeUse[] {
  const found: DynamicCodeUse[] = [];
  for (const file of walk(dist)) {
    if (!/\.(js|wxs)$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(DYNAMIC_CODE)) {
      const at = match.index ?? 0;
      if (GUARDED_GLOBAL_LOOKUP.test(text.slice(at, at + 40))) continue;
      found.push({
        file: path.relative(dist, file),
        offset: at,
        snippet: text.slice(Math.max(0, at - 30), at + 50).replace(/\s+/g, ' '),
      });
    }
  }
  return found;
}

/** Gzip sizes of the admin bundle's scripts and stylesheets (source maps excluded). */
export function measureAdminBuild(dist = ADMIN_DIST): { js: number; css: number } {
  const sizes = { js: 0, css: 0 };
  for (const file of walk(dist)) {
    const kind = path.extname(file) === '.js' ? 'js' : path.extname(file) === '.css' ? 'css' : undefined;
    if (kind) sizes[kind] += gzipSync(readFileSync(file), { level: 9 }).length;
  }
  return sizes;
}

/** Files of a resident build (weapp or H5) that hold the admin marker or uPlot: admin code leaked in. */
export function findAdminCode(dist: string): string[] {
  if (!existsSync(dist)) return [];
  const found: string[] = [];
  for (const file of walk(dist)) {
    if (!/\.(js|wxml|html|json|css|wxss)$/.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    if (text.includes(ADMIN_MARKER) || text.includes('uplot')) found.push(path.relative(dist, file));
  }
  return found;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function main(): void {
  if (!existsSync(path.join(WEAPP_DIST, 'app.json'))) {
    console.error(
      `check-bundle-size: no weapp build at ${WEAPP_DIST}; run \`npm run build:weapp -w miniapp\` first`,
    );
    process.exit(1);
  }
  const sizes = measureWeappBuild();
  console.log(`weapp main package: ${kb(sizes.main)} (budget ${kb(MAIN_PACKAGE_BUDGET)})`);
  for (const [root, size] of Object.entries(sizes.subpackages))
    console.log(`  subpackage ${root}: ${kb(size)}`);
  console.log(`  total: ${kb(sizes.total)}`);

  let failed = false;
  if (sizes.main > MAIN_PACKAGE_BUDGET) {
    console.error(
      `check-bundle-size: the main package is over budget by ${kb(sizes.main - MAIN_PACKAGE_BUDGET)}`,
    );
    failed = true;
  }
  const dynamic = findDynamicCode();
  for (const use of dynamic)
    console.error(`check-bundle-size: dynamic code in ${use.file}@${use.offset}: ${use.snippet}`);
  if (dynamic.length > 0) failed = true;

  if (existsSync(path.join(ADMIN_DIST, 'index.html'))) {
    const admin = measureAdminBuild();
    console.log(
      `admin pages: ${kb(admin.js)} JS, ${kb(admin.css)} CSS gzip (budget ${kb(ADMIN_BUDGET.js)}, ${kb(ADMIN_BUDGET.css)})`,
    );
    if (admin.js > ADMIN_BUDGET.js || admin.css > ADMIN_BUDGET.css) {
      console.error('check-bundle-size: the admin pages are over budget');
      failed = true;
    }
  }
  for (const dist of [WEAPP_DIST, H5_DIST]) {
    for (const file of findAdminCode(dist)) {
      console.error(`check-bundle-size: admin code in the resident build ${path.basename(dist)}: ${file}`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
  console.log('check-bundle-size: ok, no eval or new Function');
}

if (require.main === module) main();
