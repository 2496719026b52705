import {
  base64urlDecode,
  buildCode,
  buildCodeV2,
  decodeCredential,
  decodeHolderSecrets,
  findPurpose,
  type HolderSecrets,
} from '@eid/shared';
import { loadWallet, type WalletRecord } from './index';

/** The holder secrets of the wallet's v2 credential; undefined for a v1 credential (or unreadable ones). */
export function holderSecretsOf(wallet: WalletRecord | undefined): HolderSecrets | undefined {
  if (!wallet?.credential || !wallet.holderSecrets) return undefined;
  try {
    return decodeHolderSecrets(base64urlDecode(wallet.holderSecrets));
  } catch {
    return undefined;
  }
}

/**
 * The holder's name and masked number as this device knows them: from the holder secrets for a v2
 * credential (which carries digests only), from the credential's own claims for v1.
 */
export function holderOf(
  wallet: WalletRecord | undefined,
): { name: string; idNumberMasked: string } | undefined {
  const secrets = holderSecretsOf(wallet);
  if (secrets) return { name: secrets.values.name, idNumberMasked: secrets.values.idNumberMasked };
  if (!wallet?.credential) return undefined;
  try {
    const { name, idNumberMasked } = decodeCredential(base64urlDecode(wallet.credential)).claims.holder;
    return { name, idNumberMasked };
  } catch {
    return undefined;
  }
}

/**
 * The text of a fresh bright code, built on the device without the network: the credential, the time,
 * a nonce and the device's signature over them. With a v2 credential the code discloses exactly the
 * claims of `purposeCode` (none for `holder_only`) and names the purpose; a v1 credential carries every
 * claim whatever the purpose, until it is renewed.
 *
 * @example makeCode(clock.now(), 'age_over_18') // 'EID2:…' disclosing ageOver18 only
 */
export function makeCode(now: number, purposeCode?: string): string {
  const w = loadWallet();
  if (!w?.credential) throw new Error('No card on this device');
  const credential = base64urlDecode(w.credential);
  const deviceSecretKey = base64urlDecode(w.deviceSecretKey);
  const secrets = holderSecretsOf(w);
  if (!secrets) return buildCode({ credential, deviceSecretKey, now });
  const purpose = findPurpose(purposeCode);
  if (!purpose) throw new Error('Choose a purpose before making a code');
  return buildCodeV2({
    credential,
    secrets,
    disclose: purpose.claims,
    purposeId: purpose.id,
    deviceSecretKey,
    now,
  });
}
