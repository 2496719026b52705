import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHex, TlogError, type WitnessRecord } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { tweetnaclEd25519 } from '@eid/shared';
import type { tlogVectors } from '../../../scripts/vectors/tlog';

/** docs/formats/vectors/tlog.json as the document publishes it. */
export const TLOG_VECTORS: ReturnType<typeof tlogVectors> = JSON.parse(
  readFileSync(path.join(__dirname, '../../../docs/formats/vectors/tlog.json'), 'utf8'),
);

/** Both Ed25519 doors: every vector must give the same verdict through each. */
export const ED25519_IMPLEMENTATIONS = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', createNodeEd25519()],
] as const;

export { nodeSha256 };

export const hashes = (hex: readonly string[]) => hex.map((h) => fromHex(h));

export const recordOf = (r: { size: number; rootHash: string } | null): WitnessRecord | undefined =>
  r ? { size: r.size, rootHash: fromHex(r.rootHash) } : undefined;

/** The TlogError reason `f` throws, or undefined when it returns; anything else is rethrown. */
export function reasonOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof TlogError) return e.reason;
    throw e;
  }
  return undefined;
}
