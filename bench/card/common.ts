/** What the card bench's parts share: the purpose verified, the reference servers' names, one Ed25519. */
import { createNodeEd25519 } from '../../bff/src/infra/ed25519';

export const PURPOSE = 'hotel_check_in';
export type ReferenceName = 'sameCrypto' | 'signatureOnly' | 'floor' | 'services';
export const ed = createNodeEd25519();
