/**
 * The mini-program's rows (issue 21):
 * - the weapp build's main package (everything outside the subpackage roots, as
 *   scripts/check-bundle-size.ts counts it) against WeChat's 2 MB limit: the goal is at most 0.5 of it,
 *   the 1 MB budget `npm test` enforces. Built with `npm run build:weapp -w miniapp` when missing;
 * - H5 time to first card render in headless Chromium: a resident enrolled through the pages (not timed)
 *   opens the card page again and again (a fresh navigation from about:blank each time, the session kept
 *   as the phone keeps it) until the card face is on screen. Beside it, in the same run, the same navigation's
 *   `DOMContentLoaded`: what the page costs before our code and our API calls start. Built with
 *   `npm run build:h5 -w miniapp` when missing.
 * Bounded: about 30 s when both builds exist (a build adds one or two minutes).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { measureWeappBuild, WEAPP_DIST } from '../scripts/check-bundle-size';
import { enrolThroughPages, H5_DIR, startH5Session } from '../test/helpers/h5-session';
import { freshPerson } from '../test/helpers/identity';
import { benchDatabase } from './forked';
import { percentile } from './loops';
import { scaled } from './options';
import type { BenchResult } from './types';

const WECHAT_MAIN_LIMIT = 2 * 1024 * 1024;
const OPENS = scaled(15, 5);

function build(script: 'build:weapp' | 'build:h5', marker: string): void {
  if (existsSync(marker)) return;
  process.stdout.write(
    `   ${path.relative(process.cwd(), path.dirname(marker))} missing: npm run ${script}\n`,
  );
  execFileSync('npm', ['run', script, '-w', 'miniapp'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function weappRow(): BenchResult {
  build('build:weapp', path.join(WEAPP_DIST, 'app.json'));
  const sizes = measureWeappBuild();
  return {
    name: 'weapp main package',
    opsPerSec: sizes.main,
    unit: 'bytes',
    reference: "WeChat's main-package limit",
    referenceOpsPerSec: WECHAT_MAIN_LIMIT,
    goal: { maxRatio: 0.5 },
  };
}

async function h5Row(): Promise<BenchResult> {
  build('build:h5', path.join(H5_DIR, 'index.html'));
  const mongo = await benchDatabase();
  const previousUri = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongo.uri;
  const session = await startH5Session({
    stepMs: 20_000,
    terminalHeight: 600,
    env: { LOG_LEVEL: 'warn' },
  }).catch(async (err: unknown) => {
    await mongo.stop();
    throw err;
  });
  try {
    const { page, h5 } = session;
    await enrolThroughPages(page, h5.url, freshPerson(), 'bench');
    const face = page.locator('.mine .idcard').first();
    await face.waitFor();
    // The card page's own address (a hash route): where the phone opens it again.
    const cardUrl = page.url();
    const render: number[] = [];
    const loaded: number[] = [];
    // One open not counted: the browser's caches as a phone that has opened the app before has them.
    for (let i = 0; i <= OPENS; i++) {
      await page.goto('about:blank');
      const start = performance.now();
      await page.goto(cardUrl, { waitUntil: 'domcontentloaded' });
      const domReady = performance.now() - start;
      await face.waitFor();
      if (i === 0) continue;
      render.push(performance.now() - start);
      loaded.push(domReady);
    }
    render.sort((a, b) => a - b);
    loaded.sort((a, b) => a - b);
    const p50 = percentile(render, 0.5);
    const reference = percentile(loaded, 0.5);
    return {
      name: `H5 first card render, headless Chromium (${OPENS} opens)`,
      opsPerSec: p50,
      unit: 'ms',
      p50Ms: p50,
      p99Ms: percentile(render, 0.99),
      reference: 'DOMContentLoaded of the same navigation',
      referenceOpsPerSec: reference,
    };
  } finally {
    await session.stop();
    await mongo.stop();
    if (previousUri === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previousUri;
  }
}

export async function run(): Promise<BenchResult[]> {
  return [weappRow(), await h5Row()];
}
