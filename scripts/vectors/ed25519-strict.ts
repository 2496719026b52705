/**
 * Weak Ed25519 inputs every verifier refuses (ed25519-strict.json), and a bright code made with them
 * that verify.json expects to be refused.
 */
import {
  buildCode,
  CREDENTIAL_AAD,
  ED25519_SMALL_ORDER_ENCODINGS,
  encodeCredentialPayload,
  fromHex,
  sign1Create,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
} from '@eid/shared';
import { baseClaims, KID, keys, nonceOf, T0 } from './fixture';

// Weak Ed25519 inputs (credential.md, "Device key"). With the neutral point as key and as R and S = 0, both
// sides of the RFC 8032 check are the neutral point for every message: a "signature" with no secret at all.
const zeros = (n: number) => '00'.repeat(n);
const IDENTITY = fromHex(`01${zeros(31)}`);
const FORGED_SIGNATURE = fromHex(`01${zeros(63)}`);
const ORDERS = [1, 2, 4, 4, 8, 8, 8, 8];
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const withS = (signature: Uint8Array, s: bigint) => {
  const out = signature.slice();
  for (let i = 0; i < 32; i++) out[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
  return out;
};
const sOf = (signature: Uint8Array) =>
  signature.subarray(32).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
const strictMessage = utf8Encode('EID strict Ed25519 vector');
const honestSignature = ed.sign(keys.device.pair.secretKey, strictMessage);

/** A credential binding `deviceKey` that no issuer would sign now: the payload is patched after encoding. */
const issueBoundTo = (deviceKey: Uint8Array) => {
  const honest = baseClaims(5);
  const payload = encodeCredentialPayload(honest);
  const at = toHex(payload).indexOf(toHex(honest.devicePublicKey)) / 2;
  payload.set(deviceKey, at);
  return sign1Create(KID, CREDENTIAL_AAD, payload, (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs));
};
export const forgedCode = buildCode({
  credential: issueBoundTo(IDENTITY),
  deviceSecretKey: new Uint8Array(64),
  now: T0,
  nonce: nonceOf('forged'),
  ed25519: { ...ed, sign: () => FORGED_SIGNATURE },
});

export const ed25519Strict = {
  description:
    'Ed25519 inputs every verifier refuses (credential.md, "Device key"): verify must answer false for each, whatever the message.',
  publicKeys: [
    ...ED25519_SMALL_ORDER_ENCODINGS.map((hex, i) => ({
      publicKey: hex,
      why: `small order (order ${ORDERS[i]})`,
      refused: true,
    })),
    {
      publicKey: `ee${'ff'.repeat(30)}7f`,
      why: 'non-canonical: y = p + 1, another spelling of the neutral point',
      refused: true,
    },
    {
      publicKey: `ed${'ff'.repeat(30)}7f`,
      why: 'non-canonical: y = p, another spelling of y = 0',
      refused: true,
    },
    {
      publicKey: `01${zeros(30)}80`,
      why: 'the neutral point with the sign bit of x = 0 set',
      refused: true,
    },
  ],
  signatures: [
    {
      name: 'the neutral point as key and as R, S = 0 (verifies for any message without the check)',
      publicKey: toHex(IDENTITY),
      message: toHex(strictMessage),
      signature: toHex(FORGED_SIGNATURE),
      refused: true,
    },
    {
      name: 'S + L of a valid signature by device A (non-canonical S)',
      publicKey: toHex(keys.device.pair.publicKey),
      message: toHex(strictMessage),
      signature: toHex(withS(honestSignature, sOf(honestSignature) + L)),
      refused: true,
    },
    {
      name: 'R of small order (order 8) with device A key',
      publicKey: toHex(keys.device.pair.publicKey),
      message: toHex(strictMessage),
      signature: toHex(
        new Uint8Array([...fromHex(ED25519_SMALL_ORDER_ENCODINGS[4]!), ...honestSignature.subarray(32)]),
      ),
      refused: true,
    },
    {
      name: 'the valid signature by device A these are made from',
      publicKey: toHex(keys.device.pair.publicKey),
      message: toHex(strictMessage),
      signature: toHex(honestSignature),
      refused: false,
    },
  ],
};
