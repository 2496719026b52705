import { base64urlDecode, openTrustList, type TrustList, tweetnaclEd25519 } from '@eid/shared';
import { clock } from '../../lib/clock';
import { trustRootPublicKey } from '../../lib/trust-root';
import { getTrustList } from '../../services/staff';

// The list changes rarely; one fetch serves the pages for a while.
const KEEP_MS = 10 * 60_000;
let held: { list: TrustList; at: number } | undefined;

/**
 * The trust list, fetched from the BFF and opened under the pinned root: the keys a window's request
 * code and a receipt must be signed by. A list that does not verify under the root throws.
 */
export async function trustList(): Promise<TrustList> {
  const now = clock.now();
  if (held && now - held.at < KEEP_MS) return held.list;
  const answer = await getTrustList();
  const list = openTrustList(base64urlDecode(answer.trustList), trustRootPublicKey(), tweetnaclEd25519);
  held = { list, at: now };
  return list;
}

/** Forgets the held list (tests, or after a refusal that a newer list might explain). */
export function forgetTrustList(): void {
  held = undefined;
}
