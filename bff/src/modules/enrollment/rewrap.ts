import type { EnrollmentDeps } from './deps';

/**
 * Re-wraps every sealed identity's data key under the current master key (after a rotation), without
 * decrypting the data; values sealed under the current key are left alone. Safe to run while serving.
 */
export async function rewrapIdentities(
  deps: Pick<EnrollmentDeps, 'repo' | 'keys'>,
  pageSize = 200,
): Promise<{ seen: number; rewrapped: number }> {
  const { repo, keys } = deps;
  let after = '';
  let seen = 0;
  let rewrapped = 0;
  for (;;) {
    const page = await repo.sealedIdentities(after, pageSize);
    for (const { residentId, identity: sealed } of page) {
      seen += 1;
      const next = keys.rewrap(sealed);
      if (next !== sealed && (await repo.replaceIdentity(residentId, sealed, next))) rewrapped += 1;
    }
    if (page.length < pageSize) return { seen, rewrapped };
    after = page[page.length - 1]!.residentId;
  }
}
