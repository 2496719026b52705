/**
 * party-registration.json (docs/formats/party-registration.md): a fixed registration payload with its
 * canonical JSON, signed message and signature by a fixed party-registry key; the registry-keys document
 * signed by the vectors' trust root (keys.json `root`); refused variants; consent request codes. Written by
 * `npx tsx scripts/vectors/party-registration.ts`; test/shared/party/vectors.test.ts recomputes it and fails on drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  base64urlDecode,
  base64urlEncode,
  canonicalJson,
  ED25519_SMALL_ORDER_ENCODINGS,
  fromHex,
  openRegistryKeys,
  parseConsentCode,
  registrationMessage,
  registryKeysMessage,
  signRegistration,
  signRegistryKeys,
  toHex,
  tweetnaclEd25519 as ed,
  verifyRegistration,
  type PartyRegistrationPayload,
  type PartyRegistryKeys,
  type SignedPartyRegistration,
} from '@eid/shared';
import { keyJson, keyOf, keys, ROOT_KID, T0 } from './fixture';

export const REGISTRY_KEY = keyOf('party registry 1');
export const REGISTRY_KID = 'preg-1';

// Key order deliberately not sorted, and a Chinese name: canonical JSON must sort and keep UTF-8 exact.
export const REGISTRATION_PAYLOAD: PartyRegistrationPayload = {
  v: 1,
  partyId: 'rp_7QmC2xK9pLw4Ht8N',
  name: '泉城大酒店有限公司',
  uscc: '91370102MA3C5XQKX9',
  category: 'hotel',
  grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id'] }],
  retentionDays: 30,
  kids: ['hotel-2026-1'],
  version: 3,
  signedAt: T0,
};

const sign = (m: Uint8Array) => ed.sign(REGISTRY_KEY.pair.secretKey, m);
const signAsRoot = (m: Uint8Array) => ed.sign(keys.root.pair.secretKey, m);

export const SIGNED_REGISTRATION = signRegistration(REGISTRATION_PAYLOAD, REGISTRY_KID, sign);
export const REGISTRY_KEYS: PartyRegistryKeys = signRegistryKeys(
  {
    v: 1,
    keys: [{ kid: REGISTRY_KID, publicKey: base64urlEncode(REGISTRY_KEY.pair.publicKey) }],
    issuedAt: T0,
  },
  signAsRoot,
);

const registryKeys = [{ kid: REGISTRY_KID, publicKey: REGISTRY_KEY.pair.publicKey }];

function refusedRegistrations() {
  const raw = base64urlDecode(SIGNED_REGISTRATION.signature);
  // S + L: the same signature in a second, non-canonical spelling that cofactorless libraries may accept.
  const malleable = raw.slice();
  const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const t = malleable[32 + i]! + L[i]! + carry;
    malleable[32 + i] = t & 0xff;
    carry = t >> 8;
  }
  const variants: { note: string; signed: SignedPartyRegistration }[] = [
    {
      note: 'name changed after signing',
      signed: { ...SIGNED_REGISTRATION, payload: { ...REGISTRATION_PAYLOAD, name: '泉城大酒店' } },
    },
    {
      note: 'a scope added after signing',
      signed: {
        ...SIGNED_REGISTRATION,
        payload: {
          ...REGISTRATION_PAYLOAD,
          grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id', 'card_face'] }],
        },
      },
    },
    { note: 'unknown kid', signed: { ...SIGNED_REGISTRATION, kid: 'preg-9' } },
    {
      note: 'signature S + L (non-canonical, malleated)',
      signed: { ...SIGNED_REGISTRATION, signature: base64urlEncode(malleable) },
    },
    {
      note: 'signature truncated to 63 bytes',
      signed: { ...SIGNED_REGISTRATION, signature: base64urlEncode(raw.subarray(0, 63)) },
    },
    {
      note: 'version 2 payload',
      signed: { ...SIGNED_REGISTRATION, payload: { ...REGISTRATION_PAYLOAD, v: 2 as 1 } },
    },
  ];
  return variants.map((v) => ({ ...v, valid: verifyRegistration(v.signed, registryKeys, ed) }));
}

function refusedRegistryKeys() {
  const smallOrder = fromHex(ED25519_SMALL_ORDER_ENCODINGS[0]!);
  const weak = signRegistryKeys(
    { v: 1, keys: [{ kid: 'preg-weak', publicKey: base64urlEncode(smallOrder) }], issuedAt: T0 },
    signAsRoot,
  );
  const variants: { note: string; doc: PartyRegistryKeys }[] = [
    {
      note: 'a key added after signing',
      doc: {
        ...REGISTRY_KEYS,
        payload: {
          ...REGISTRY_KEYS.payload,
          keys: [
            ...REGISTRY_KEYS.payload.keys,
            { kid: 'preg-2', publicKey: base64urlEncode(keys.rogueIssuer.pair.publicKey) },
          ],
        },
      },
    },
    { note: 'signed by the trust root but the key is of small order', doc: weak },
    { note: 'signed by another key than the trust root', doc: signRegistryKeys(REGISTRY_KEYS.payload, sign) },
  ];
  return variants.map((v) => ({
    ...v,
    opens: openRegistryKeys(v.doc, keys.root.pair.publicKey, ed) !== undefined,
  }));
}

const CONSENT_ID = base64urlEncode(fromHex('00112233445566778899aabbccddeeff'));
const CONSENT_SECRET = base64urlEncode(fromHex('0f1e2d3c4b5a69788796a5b4c3d2e1f0'));

function consentCodes() {
  const code = `EIDC1:${CONSENT_ID}.${CONSENT_SECRET}`;
  const texts = [
    { note: 'valid', text: code },
    { note: 'trailing newline', text: `${code}\n` },
    { note: 'leading space', text: ` ${code}` },
    { note: 'prefix in lower case', text: code.replace('EIDC1', 'eidc1') },
    { note: 'id of 21 characters', text: `EIDC1:${CONSENT_ID.slice(1)}.${CONSENT_SECRET}` },
    { note: 'padding', text: `EIDC1:${CONSENT_ID}==.${CONSENT_SECRET}` },
    {
      note: 'standard base64 alphabet (+ for -)',
      text: `EIDC1:${CONSENT_ID.slice(0, 21)}+.${CONSENT_SECRET}`,
    },
    // The last character of 16 bytes carries 2 bits and 4 unused ones; `x` (49) sets an unused bit.
    {
      note: 'non-zero unused bits in the last character',
      text: `EIDC1:${CONSENT_ID}.${CONSENT_SECRET.slice(0, 21)}x`,
    },
    { note: 'colon instead of dot', text: `EIDC1:${CONSENT_ID}:${CONSENT_SECRET}` },
  ];
  return texts.map((t) => ({ ...t, parsed: parseConsentCode(t.text) ?? null }));
}

export function partyRegistrationVectors() {
  const canonical = canonicalJson(REGISTRATION_PAYLOAD);
  return {
    description:
      'Signed party registrations and the party-registry keys document (docs/formats/party-registration.md), and consent request codes. Signatures and keys are base64url without padding where the wire uses them, hex otherwise. The trust root is keys.json `root`. Never use these keys.',
    trustRoot: { kid: ROOT_KID, publicKey: toHex(keys.root.pair.publicKey) },
    registryKey: { kid: REGISTRY_KID, ...keyJson(REGISTRY_KEY) },
    registration: {
      payload: REGISTRATION_PAYLOAD,
      canonicalJson: canonical,
      message: toHex(registrationMessage(REGISTRATION_PAYLOAD)),
      signed: SIGNED_REGISTRATION,
    },
    registryKeys: {
      doc: REGISTRY_KEYS,
      canonicalJson: canonicalJson(REGISTRY_KEYS.payload),
      message: toHex(registryKeysMessage(REGISTRY_KEYS.payload)),
    },
    refusedRegistrations: refusedRegistrations(),
    refusedRegistryKeys: refusedRegistryKeys(),
    consentCodes: consentCodes(),
  };
}

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'party-registration.json');
  mkdirSync(join(file, '..'), { recursive: true });
  // Loaded here, not at the top: jest imports the vectors function and cannot load prettier's ESM parts.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(JSON.stringify(partyRegistrationVectors()), { ...config, parser: 'json' }),
  );
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
