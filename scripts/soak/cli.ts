/**
 * `npm run soak [-- --seconds N] [--concurrency N]`: the bounded soak of mixed traffic (scripts/soak/run.ts)
 * against a BFF on loopback, with its own local database server unless MONGODB_URI names one. Prints the
 * figures and the invariants; exits 1 when one is violated, 2 when the soak could not run. Stops by itself.
 */
import { spawnLocalMongo, type MongoProcess } from '../lib/local-mongo-process';
import { formatReport, runSoak } from './run';

function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number of at least 1`);
  return n;
}

async function main(): Promise<number> {
  const seconds = numberArg('seconds', 60);
  const concurrency = numberArg('concurrency', 8);
  let mongo: MongoProcess | undefined;
  if (!process.env.MONGODB_URI) {
    mongo = await spawnLocalMongo();
    process.env.MONGODB_URI = mongo.uri;
  }
  try {
    const report = await runSoak({ seconds, concurrency, progress: (l) => process.stdout.write(`${l}\n`) });
    for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await mongo?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak could not run: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
