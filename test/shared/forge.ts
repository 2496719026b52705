import {
  CREDENTIAL_AAD,
  buildCode,
  encodeCredentialPayload,
  fromHex,
  sign1Create,
  toHex,
  tweetnaclEd25519,
  type CredentialClaims,
} from '@eid/shared';

/** The encoding of the neutral point: the device key of the forgery in issue 10. */
export const NEUTRAL_POINT = fromHex(`01${'00'.repeat(31)}`);
/** R = neutral point, S = 0: under a small-order key it "verifies" for any message without the check. */
export const FORGED_SIGNATURE = fromHex(`01${'00'.repeat(63)}`);

/**
 * A credential with `claims` but bound to `deviceKey`, signed by `sign`: what no issuer produces any more
 * (issuance and `encodeCredentialPayload` refuse weak keys), so the payload is patched after encoding.
 */
export function credentialBoundTo(
  kid: string,
  claims: CredentialClaims,
  deviceKey: Uint8Array,
  sign: (toBeSigned: Uint8Array) => Uint8Array,
): Uint8Array {
  const payload = encodeCredentialPayload(claims);
  // The key sits after its CBOR head `58 20`; searching for head and key together finds it exactly.
  const at = toHex(payload).indexOf(`5820${toHex(claims.devicePublicKey)}`);
  if (at < 0 || at % 2 !== 0) throw new Error('device key not found in the payload');
  payload.set(deviceKey, at / 2 + 2);
  return sign1Create(kid, CREDENTIAL_AAD, payload, sign);
}

/** A code of `credential` at `now` whose device signature is `signature` as given, not computed. */
export function codeWithSignature(credential: Uint8Array, now: number, signature = FORGED_SIGNATURE): string {
  return buildCode({
    credential,
    deviceSecretKey: new Uint8Array(64),
    now,
    ed25519: { ...tweetnaclEd25519, sign: () => signature },
  });
}
