import { base64urlDecode, openTrustList, type TrustList, tweetnaclEd25519 } from '@eid/shared';
import { clock } from '../../lib/clock';
import { getTrustList } from '../../services/staff';

/**
 * The trust root this build pins (hex; docs/formats/trust-list.md), the one the staff terminal pins
 * (staff/lib/useOfflineTerminal.ts DEV_TRUST_ROOT; subpackages cannot share it): production builds set
 * TARO_APP_TRUST_ROOT, without it the development root, the same on every machine and protecting nothing.
 */
const DEV_TRUST_ROOT = 'c6a0b291c839f3f1655dfd4841ddfbf9a703d010f5249ccbe8cdf13f5b350d8e';

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

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
  const root = hexBytes(process.env.TARO_APP_TRUST_ROOT || DEV_TRUST_ROOT);
  const list = openTrustList(base64urlDecode(answer.trustList), root, tweetnaclEd25519);
  held = { list, at: now };
  return list;
}

/** Forgets the held list (tests, or after a refusal that a newer list might explain). */
export function forgetTrustList(): void {
  held = undefined;
}
