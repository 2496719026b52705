/**
 * `npm run usage:verify`: walks every resident's usage chain with the configured keys and prints the
 * first broken link of each broken chain. Exit 0 when every chain holds, 1 when one does not, 2 when
 * the check itself could not run.
 */
import { loadConfig } from '../../config';
import { systemClock } from '../../infra/clock';
import { connectDatabase } from '../../infra/database';
import { createKeyStore } from '../../infra/keystore';
import { createUsageRepository } from './usage.repository';
import { verifyAllChains, type ChainReport } from './verify-all';

/** Formats a report as the lines the command prints. */
export function formatChainReport(report: ChainReport): string[] {
  const lines = report.broken.map(
    (b) => `BROKEN resident=${b.residentId} seq=${b.seq} problem=${b.problem}: ${b.detail}`,
  );
  lines.push(
    `${report.broken.length === 0 ? 'OK' : 'FAILED'}: ${report.chains} chains, ${report.events} intact events, ${report.broken.length} broken`,
  );
  return lines;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const keys = createKeyStore(config, systemClock);
  const db = await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  try {
    const report = await verifyAllChains(createUsageRepository(db), keys);
    for (const line of formatChainReport(report)) process.stdout.write(`${line}\n`);
    return report.broken.length === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`usage:verify could not run: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
