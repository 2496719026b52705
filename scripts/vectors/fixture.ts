/**
 * The vectors' material, from fixed seeds: keys, the credential and its code with every intermediate
 * value, the status lists, the trust list and a device proof (scripts/make-vectors.ts writes them).
 */
import {
  buildCode,
  emptyStatusBits,
  encodeCredentialPayload,
  issueCredential,
  parseCode,
  setStatusAt,
  sha256,
  sign1Protected,
  signDeviceProof,
  signStatusList,
  signTrustList,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  type CredentialClaims,
  type Ed25519KeyPair,
} from '@eid/shared';

export const seedOf = (label: string) => sha256(utf8Encode(`eid test vector seed: ${label}`));
export const keyOf = (label: string) => ({
  label,
  seed: seedOf(label),
  pair: ed.keyPairFromSeed(seedOf(label)),
});
export const keyJson = (k: { label: string; seed: Uint8Array; pair: Ed25519KeyPair }) => ({
  seedLabel: k.label,
  seed: toHex(k.seed),
  publicKey: toHex(k.pair.publicKey),
});

export const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
export const DAY = 86_400_000;
export const KID = 'vec-37-1';
export const ROGUE_KID = 'vec-37-9';
// The same key id the BFF gives its root (TRUST_ROOT_KID), so the vector is what a verifier downloads.
export const ROOT_KID = 'root';

export const keys = {
  root: keyOf('trust root'),
  issuer: keyOf('issuer 37-1'),
  rogueIssuer: keyOf('issuer not in the trust list'),
  device: keyOf('device A'),
  otherDevice: keyOf('device B'),
};

export const baseClaims = (
  statusIndex: number,
  devicePublicKey = keys.device.pair.publicKey,
): CredentialClaims => ({
  province: '37',
  cardId: sha256(utf8Encode(`card ${statusIndex}`)).subarray(0, 16),
  issuedAt: T0 - DAY,
  expiresAt: T0 + 29 * DAY,
  devicePublicKey,
  statusIndex,
  holder: {
    name: '阿卜杜热合曼·买买提明·阿卜杜克热木',
    sex: 1,
    birthDate: '1993-01-29',
    idNumberMasked: '6531**********0016',
    portraitDigest: sha256(utf8Encode('portrait bytes')).subarray(0, 16),
  },
});

export const claimsJson = (c: CredentialClaims) => ({
  ...c,
  cardId: toHex(c.cardId),
  devicePublicKey: toHex(c.devicePublicKey),
  holder: { ...c.holder, portraitDigest: toHex(c.holder.portraitDigest) },
});

export const issue = (claims: CredentialClaims, kid = KID, signer = keys.issuer) =>
  issueCredential(kid, claims, (tbs) => ed.sign(signer.pair.secretKey, tbs));
export const nonceOf = (label: string) => sha256(utf8Encode(`nonce ${label}`)).subarray(0, 8);
export const code = (credential: Uint8Array, now: number, label: string, device = keys.device) =>
  buildCode({ credential, deviceSecretKey: device.pair.secretKey, now, nonce: nonceOf(label), ed25519: ed });

// Credential and code, with every intermediate value.
export const claims = baseClaims(5);
export const payload = encodeCredentialPayload(claims);
export const protectedBytes = sign1Protected(KID);
export const credential = issue(claims);
export const text = code(credential, T0, 'valid');
export const parsed = parseCode(text);

// Status list: entry 5 valid, 6 revoked, 7 suspended, in a list of 16384 (the minimum size we publish).
export const STATUS_SIZE = 16384;
const bits = emptyStatusBits(STATUS_SIZE);
setStatusAt(bits, 6, 1);
setStatusAt(bits, 7, 2);
export const statusList = signStatusList(
  { kid: KID, issuedAt: T0 - 60_000, ttlSeconds: 300, size: STATUS_SIZE, bits },
  (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs),
);
// Issued a minute after T0: judged at T0 + 50 s it is 10 s ahead (inside the clock tolerance), at T0 + 49 s 11 s.
export const futureStatusList = signStatusList(
  { kid: KID, issuedAt: T0 + 60_000, ttlSeconds: 300, size: STATUS_SIZE, bits },
  (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs),
);
export const staleStatusList = signStatusList(
  { kid: KID, issuedAt: T0 - 2 * 3_600_000, ttlSeconds: 300, size: STATUS_SIZE, bits },
  (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs),
);

export const trustContent = {
  sequence: 7,
  issuedAt: T0 - DAY,
  issuers: [
    { kid: KID, province: '37', publicKey: keys.issuer.pair.publicKey, notBefore: T0 - 365 * DAY },
    { kid: 'vec-11-1', province: '11', publicKey: keyOf('issuer 11-1').pair.publicKey },
  ],
};
export const trustList = signTrustList(trustContent, ROOT_KID, (tbs) =>
  ed.sign(keys.root.pair.secretKey, tbs),
);

// A device's proof of possession when it asks for a card (credential.md), made by device A.
export const PROOF_RESIDENT = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
export const deviceProof = signDeviceProof(keys.device.pair, PROOF_RESIDENT, T0, ed);
