import {
  issueCredentialV2,
  tweetnaclEd25519,
  type CardClaimValues,
  type Ed25519KeyPair,
  type HolderSecrets,
} from '@eid/shared';

/**
 * The holder secrets of a test resident for the mini-program suites: an adult from Shandong (张三, born
 * 1990-03-07, over 14, 16 and 18, not 60) with a fixed seed, `values` changed as given.
 */
export function testHolderSecrets(values: Partial<CardClaimValues> = {}): HolderSecrets {
  return {
    seed: new Uint8Array(16).fill(3),
    values: {
      name: '张三',
      sex: 1,
      birthDate: '1990-03-07',
      idNumberMasked: '3701**********002X',
      ethnicity: '汉',
      portraitDigest: new Uint8Array(16),
      residenceProvince: '37',
      ageOver14: true,
      ageOver16: true,
      ageOver18: true,
      ageOver60: false,
      ...values,
    },
  };
}

/**
 * A v2 credential over `secrets` for `device`, signed with tweetnacl by `issuer` under `kid` (province 37,
 * card id 01…01, status index 5).
 */
export function testCredentialV2(
  secrets: HolderSecrets,
  o: { kid: string; issuer: Ed25519KeyPair; device: Ed25519KeyPair; issuedAt: number; expiresAt: number },
): Uint8Array {
  return issueCredentialV2(
    o.kid,
    {
      province: '37',
      cardId: new Uint8Array(16).fill(1),
      issuedAt: o.issuedAt,
      expiresAt: o.expiresAt,
      devicePublicKey: o.device.publicKey,
      statusIndex: 5,
    },
    secrets,
    (tbs) => tweetnaclEd25519.sign(o.issuer.secretKey, tbs),
  );
}
