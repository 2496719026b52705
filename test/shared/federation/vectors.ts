import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FederationError, tweetnaclEd25519 } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import type { nationalTrustListVectors } from '../../../scripts/vectors/national-trust-list';

/** docs/formats/vectors/national-trust-list.json as the document publishes it. */
export const NTL_VECTORS: ReturnType<typeof nationalTrustListVectors> = JSON.parse(
  readFileSync(path.join(__dirname, '../../../docs/formats/vectors/national-trust-list.json'), 'utf8'),
);

/** Both Ed25519 doors: every vector must give the same verdict through each. */
export const ED25519_IMPLEMENTATIONS = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', createNodeEd25519()],
] as const;

export { nodeSha256 };

/** The FederationError reason `f` throws, or undefined when it returns; anything else is rethrown. */
export function reasonOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof FederationError) return e.reason;
    throw e;
  }
  return undefined;
}
