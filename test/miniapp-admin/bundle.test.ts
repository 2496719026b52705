import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CAPABILITIES } from '@eid/bff/modules/staff/roles';
import { UI_CAPABILITIES } from '../../miniapp/admin/src/capabilities';
import {
  ADMIN_BUDGET,
  ADMIN_DIST,
  ADMIN_MARKER,
  findAdminCode,
  H5_DIST,
  measureAdminBuild,
  WEAPP_DIST,
} from '../../scripts/check-bundle-size';

/**
 * The admin pages are a web entry of their own (docs/admin.md "Where the admin pages live"): built apart
 * by esbuild, within their gzip budget, and absent from both resident builds.
 */
const ROOT = path.resolve(__dirname, '../..');

describe('the admin bundle', () => {
  beforeAll(() => {
    // About a second: built afresh so the test judges the sources as they are.
    const build = spawnSync('npm', ['run', 'build:admin', '-w', 'miniapp'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the admin build failed: ${build.stderr}`);
  });

  it('when built, then it holds the marker and stays within its gzip budget', () => {
    expect(readFileSync(path.join(ADMIN_DIST, 'admin.js'), 'utf8')).toContain(ADMIN_MARKER);
    const sizes = measureAdminBuild();
    expect(sizes.js).toBeLessThanOrEqual(ADMIN_BUDGET.js);
    expect(sizes.css).toBeLessThanOrEqual(ADMIN_BUDGET.css);
    expect(sizes.js).toBeGreaterThan(10_000);
  });

  it('when the resident builds are searched, then neither carries admin code', () => {
    for (const dist of [WEAPP_DIST, H5_DIST]) {
      if (!existsSync(dist))
        throw new Error(`${dist} is missing: run \`npm run build:miniapp\` first (npm test does)`);
      expect(findAdminCode(dist)).toEqual([]);
    }
  });

  it('when the menu’s copy of the capability table is compared with the BFF’s, then every entry agrees', () => {
    for (const [work, roles] of Object.entries(UI_CAPABILITIES)) {
      expect([work, [...roles].sort()]).toEqual([
        work,
        [...(CAPABILITIES[work as keyof typeof CAPABILITIES] ?? [])].sort(),
      ]);
    }
  });
});
