import type { KeyStore } from '../../infra/keystore';
import type { UsageRepository } from './usage.repository';
import { verifyChain, type BrokenLink } from './usage-chain';

export interface ChainReport {
  chains: number;
  events: number;
  broken: BrokenLink[];
}

/** Verifies every resident's chain and returns the first broken link of each broken one. */
export async function verifyAllChains(repo: UsageRepository, keys: KeyStore): Promise<ChainReport> {
  const report: ChainReport = { chains: 0, events: 0, broken: [] };
  for (const residentId of (await repo.residents()).sort()) {
    const { broken, length } = await verifyChain(
      keys,
      residentId,
      repo.chain(residentId),
      await repo.headSeq(residentId),
    );
    report.chains += 1;
    report.events += length;
    if (broken) report.broken.push(broken);
  }
  return report;
}
