import type { LicenceWallet, WalletDocument } from '@eid/shared';
import { readStored, writeStored } from '../../lib/storage';

// The wallet as last answered by the BFF, so the page shows documents at once (and when the network is
// down) and the document page needs no request. Under the app's storage prefix. A sign-out leaves it, as it
// leaves the card (the same super-app user signs in to the same wallet); consent withdrawal and account
// closure remove it with the card (wallet/index.ts `clearWallet`), as the BFF erases the stored documents.
const KEY = 'licences.wallet';

/** The wallet this device saved last, if any. */
export function cachedWallet(): LicenceWallet | undefined {
  const w = readStored<LicenceWallet>(KEY);
  return w && Array.isArray(w.documents) && Array.isArray(w.links) ? w : undefined;
}

/** Saves the wallet the BFF answered. */
export function cacheWallet(wallet: LicenceWallet): void {
  writeStored(KEY, { links: wallet.links, documents: wallet.documents, pulledAt: wallet.pulledAt });
}

/** One document of the saved wallet. */
export function cachedDocument(id: string): WalletDocument | undefined {
  return cachedWallet()?.documents.find((d) => d.id === id);
}
