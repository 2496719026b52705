import { fromHex } from '@eid/shared';

/**
 * The trust root this build pins (hex; docs/formats/trust-list.md): a trust list, and through it a
 * licence-issuer list or a receipt, that does not verify under it is never believed. Production builds set
 * TARO_APP_TRUST_ROOT to the national root; without it the build pins the development root, the same on
 * every machine and protecting nothing.
 */
export const DEV_TRUST_ROOT = 'c6a0b291c839f3f1655dfd4841ddfbf9a703d010f5249ccbe8cdf13f5b350d8e';

/** The pinned root's public key, read when asked (tests point the build at the vectors' root). */
export function trustRootPublicKey(): Uint8Array {
  return fromHex(process.env.TARO_APP_TRUST_ROOT || DEV_TRUST_ROOT);
}
