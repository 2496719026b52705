import type { KeyStore } from '../../infra/keystore';
import type { EnrollmentDeps } from './deps';
import type { SealedStore } from './enrollment.types';

type Counts = { seen: number; rewrapped: number };

/** Re-wraps one store page by page; a value changed or erased since it was read is left as it is. */
async function rewrapStore(
  keys: Pick<KeyStore, 'rewrap'>,
  store: Pick<SealedStore, 'page' | 'replace'>,
  pageSize: number,
): Promise<Counts> {
  let after = '';
  let seen = 0;
  let rewrapped = 0;
  for (;;) {
    const page = await store.page(after, pageSize);
    for (const { id, sealed } of page) {
      seen += 1;
      const next = keys.rewrap(sealed);
      if (next !== sealed && (await store.replace(id, sealed, next))) rewrapped += 1;
    }
    if (page.length < pageSize) return { seen, rewrapped };
    after = page[page.length - 1]!.id;
  }
}

/**
 * Re-wraps every sealed identity's data key under the current master key (after a rotation), then every
 * value of the other modules' sealed stores (the licence wallet's documents, the documents delivered to a
 * document call), without decrypting the data; values sealed under the current key are left alone. Safe to
 * run while serving. Returns the totals: once `rewrapped` is 0, nothing is left under an older key.
 */
export async function rewrapIdentities(
  deps: Pick<EnrollmentDeps, 'repo' | 'keys' | 'logger' | 'sealedStores'>,
  pageSize = 200,
): Promise<Counts> {
  const { repo, keys } = deps;
  const identities: SealedStore = {
    name: 'enrollments',
    page: async (after, limit) =>
      (await repo.sealedIdentities(after, limit)).map((r) => ({ id: r.residentId, sealed: r.identity })),
    replace: (id, from, to) => repo.replaceIdentity(id, from, to),
  };
  const total: Counts = { seen: 0, rewrapped: 0 };
  for (const store of [identities, ...(deps.sealedStores ?? [])]) {
    const counts = await rewrapStore(keys, store, pageSize);
    deps.logger.info({ store: store.name, ...counts }, 'sealed values re-wrapped');
    total.seen += counts.seen;
    total.rewrapped += counts.rewrapped;
  }
  return total;
}
