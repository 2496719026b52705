/**
 * Writes the test vectors of docs/formats/vectors/*.json from fixed seeds, so anyone can rebuild
 * them and every implementation (tweetnacl, node:crypto, a third party's) can check itself against
 * them. The tests load these files; run `npx tsx scripts/make-vectors.ts` after a format change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';
import {
  CODE_TTL_MS,
  base45Encode,
  cborHead,
  buildCode,
  codeSigningInput,
  deviceProofMessage,
  emptyStatusBits,
  encodeCredentialPayload,
  issueCredential,
  parseCode,
  setStatusAt,
  sha256,
  sign1Protected,
  sign1ToBeSigned,
  CREDENTIAL_AAD,
  ED25519_SMALL_ORDER_ENCODINGS,
  fromHex,
  sign1Create,
  signDeviceProof,
  signStatusList,
  signTrustList,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  type CredentialClaims,
  type Ed25519KeyPair,
} from '@eid/shared';

const OUT = join(__dirname, '..', 'docs', 'formats', 'vectors');
const seedOf = (label: string) => sha256(utf8Encode(`eid test vector seed: ${label}`));
const keyOf = (label: string) => ({ label, seed: seedOf(label), pair: ed.keyPairFromSeed(seedOf(label)) });
const keyJson = (k: { label: string; seed: Uint8Array; pair: Ed25519KeyPair }) => ({
  seedLabel: k.label,
  seed: toHex(k.seed),
  publicKey: toHex(k.pair.publicKey),
});

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const DAY = 86_400_000;
const KID = 'vec-37-1';
const ROGUE_KID = 'vec-37-9';
// The same key id the BFF gives its root (TRUST_ROOT_KID), so the vector is what a verifier downloads.
const ROOT_KID = 'root';

const keys = {
  root: keyOf('trust root'),
  issuer: keyOf('issuer 37-1'),
  rogueIssuer: keyOf('issuer not in the trust list'),
  device: keyOf('device A'),
  otherDevice: keyOf('device B'),
};

const baseClaims = (statusIndex: number, devicePublicKey = keys.device.pair.publicKey): CredentialClaims => ({
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

const claimsJson = (c: CredentialClaims) => ({
  ...c,
  cardId: toHex(c.cardId),
  devicePublicKey: toHex(c.devicePublicKey),
  holder: { ...c.holder, portraitDigest: toHex(c.holder.portraitDigest) },
});

const issue = (claims: CredentialClaims, kid = KID, signer = keys.issuer) =>
  issueCredential(kid, claims, (tbs) => ed.sign(signer.pair.secretKey, tbs));
const nonceOf = (label: string) => sha256(utf8Encode(`nonce ${label}`)).subarray(0, 8);
const code = (credential: Uint8Array, now: number, label: string, device = keys.device) =>
  buildCode({ credential, deviceSecretKey: device.pair.secretKey, now, nonce: nonceOf(label), ed25519: ed });

// Credential and code, with every intermediate value.
const claims = baseClaims(5);
const payload = encodeCredentialPayload(claims);
const protectedBytes = sign1Protected(KID);
const credential = issue(claims);
const text = code(credential, T0, 'valid');
const parsed = parseCode(text);

// Status list: entry 5 valid, 6 revoked, 7 suspended, in a list of 16384 (the minimum size we publish).
const STATUS_SIZE = 16384;
const bits = emptyStatusBits(STATUS_SIZE);
setStatusAt(bits, 6, 1);
setStatusAt(bits, 7, 2);
const statusList = signStatusList(
  { kid: KID, issuedAt: T0 - 60_000, ttlSeconds: 300, size: STATUS_SIZE, bits },
  (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs),
);
// Issued a minute after T0: judged at T0 + 50 s it is 10 s ahead (inside the clock tolerance), at T0 + 49 s 11 s.
const futureStatusList = signStatusList(
  { kid: KID, issuedAt: T0 + 60_000, ttlSeconds: 300, size: STATUS_SIZE, bits },
  (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs),
);
const staleStatusList = signStatusList(
  { kid: KID, issuedAt: T0 - 2 * 3_600_000, ttlSeconds: 300, size: STATUS_SIZE, bits },
  (tbs) => ed.sign(keys.issuer.pair.secretKey, tbs),
);

const trustContent = {
  sequence: 7,
  issuedAt: T0 - DAY,
  issuers: [
    { kid: KID, province: '37', publicKey: keys.issuer.pair.publicKey, notBefore: T0 - 365 * DAY },
    { kid: 'vec-11-1', province: '11', publicKey: keyOf('issuer 11-1').pair.publicKey },
  ],
};
const trustList = signTrustList(trustContent, ROOT_KID, (tbs) => ed.sign(keys.root.pair.secretKey, tbs));

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
const forgedCode = buildCode({
  credential: issueBoundTo(IDENTITY),
  deviceSecretKey: new Uint8Array(64),
  now: T0,
  nonce: nonceOf('forged'),
  ed25519: { ...ed, sign: () => FORGED_SIGNATURE },
});

const flip = (t: string, cborOffset: number) => {
  const bytes = parseCode(t).bytes.slice();
  bytes[cborOffset] = bytes[cborOffset]! ^ 0x01;
  return bytes;
};
const retext = (bytes: Uint8Array) => `EID1:${base45Encode(bytes)}`;

const cases = [
  { name: 'valid', text, now: T0 + 5_000, statusList: 'fresh', verdict: 'valid' },
  { name: 'code exactly 60 s old', text, now: T0 + CODE_TTL_MS, statusList: 'fresh', verdict: 'expired' },
  { name: 'code 59 s old', text, now: T0 + CODE_TTL_MS - 1000, statusList: 'fresh', verdict: 'valid' },
  {
    name: 'code from 11 s in the future',
    text,
    now: T0 - 11_000,
    statusList: 'fresh',
    verdict: 'not_yet_valid',
  },
  {
    name: 'credential expired (code fresh)',
    text: code(credential, claims.expiresAt + 1000, 'late'),
    now: claims.expiresAt + 2000,
    statusList: 'fresh',
    verdict: 'expired',
  },
  {
    name: 'credential not yet issued',
    text: code(issue({ ...baseClaims(5), issuedAt: T0 + DAY, expiresAt: T0 + 2 * DAY }), T0, 'early'),
    now: T0 + 1000,
    statusList: 'fresh',
    verdict: 'not_yet_valid',
  },
  {
    name: 'issuer signature tampered',
    text: retext(flip(text, 1 + cborHead(2, credential.length).length + credential.length - 1)),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  {
    name: 'device signature tampered',
    text: retext(flip(text, parsed.bytes.length - 1)),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  {
    name: 'credential copied to another device key',
    text: code(credential, T0, 'copied', keys.otherDevice),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  {
    name: 'issuer not in the trust list',
    text: code(issue(claims, ROGUE_KID, keys.rogueIssuer), T0, 'rogue'),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'unknown_issuer',
  },
  {
    name: 'revoked (status entry 6 = 1)',
    text: code(issue(baseClaims(6)), T0, 'revoked'),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'revoked',
  },
  {
    name: 'suspended (status entry 7 = 2)',
    text: code(issue(baseClaims(7)), T0, 'suspended'),
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'suspended',
  },
  {
    name: 'revoked card with a stale status list',
    text: code(issue(baseClaims(6)), T0, 'revoked'),
    now: T0 + 5_000,
    statusList: 'stale',
    verdict: 'status_unknown',
  },
  {
    name: 'no status list for the issuer',
    text,
    now: T0 + 5_000,
    statusList: 'none',
    verdict: 'status_unknown',
  },
  {
    name: 'status list 10 s ahead of the verifier (inside the clock tolerance)',
    text,
    now: T0 + 50_000,
    statusList: 'future',
    verdict: 'valid',
  },
  {
    name: 'status list 11 s ahead of the verifier',
    text,
    now: T0 + 49_000,
    statusList: 'future',
    verdict: 'status_unknown',
  },
  {
    name: 'credential bound to the neutral point as device key, constant device signature',
    text: forgedCode,
    now: T0 + 5_000,
    statusList: 'fresh',
    verdict: 'bad_signature',
  },
  { name: 'wrong prefix', text: `HC1:${text.slice(5)}`, now: T0, statusList: 'fresh', verdict: 'malformed' },
  { name: 'truncated', text: text.slice(0, -3), now: T0, statusList: 'fresh', verdict: 'malformed' },
  { name: 'not base45', text: `${text.slice(0, -1)}a`, now: T0, statusList: 'fresh', verdict: 'malformed' },
];

async function write(name: string, value: unknown): Promise<void> {
  const file = join(OUT, name);
  mkdirSync(dirname(file), { recursive: true });
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(value), { ...config, parser: 'json' }));
  console.log(`wrote ${file}`);
}

// A device's proof of possession when it asks for a card (credential.md), made by device A.
const PROOF_RESIDENT = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const deviceProof = signDeviceProof(keys.device.pair, PROOF_RESIDENT, T0, ed);

async function main(): Promise<void> {
  await write('keys.json', {
    description:
      'Ed25519 keys of the vectors: seed = SHA-256("eid test vector seed: " + seedLabel). Never use them.',
    root: { kid: ROOT_KID, ...keyJson(keys.root) },
    issuer: { kid: KID, province: '37', ...keyJson(keys.issuer) },
    rogueIssuer: { kid: ROGUE_KID, province: '37', ...keyJson(keys.rogueIssuer) },
    device: keyJson(keys.device),
    otherDevice: keyJson(keys.otherDevice),
  });
  await write('credential.json', {
    description: 'A credential (docs/formats/credential.md) and its intermediate bytes, hex.',
    kid: KID,
    claims: claimsJson(claims),
    payload: toHex(payload),
    protected: toHex(protectedBytes),
    externalAad: toHex(CREDENTIAL_AAD),
    toBeSigned: toHex(sign1ToBeSigned(protectedBytes, CREDENTIAL_AAD, payload)),
    credential: toHex(credential),
  });
  await write('bright-code.json', {
    description: 'A bright code (docs/formats/bright-code.md) made from credential.json by device A.',
    now: T0,
    nonce: toHex(parsed.nonce),
    signingInput: toHex(codeSigningInput(credential, T0 / 1000, parsed.nonce)),
    cbor: toHex(parsed.bytes),
    text,
  });
  await write('status-list.json', {
    description:
      'Status lists (docs/formats/status-list.md) of the vectors issuer: fresh, two hours old, and one minute after T0 (future).',
    kid: KID,
    size: STATUS_SIZE,
    entries: { '5': 0, '6': 1, '7': 2 },
    fresh: { issuedAt: T0 - 60_000, ttlSeconds: 300, bytes: toHex(statusList) },
    stale: { issuedAt: T0 - 2 * 3_600_000, ttlSeconds: 300, bytes: toHex(staleStatusList) },
    future: { issuedAt: T0 + 60_000, ttlSeconds: 300, bytes: toHex(futureStatusList) },
  });
  await write('trust-list.json', {
    description: 'A trust list (docs/formats/trust-list.md) signed by the vectors root key.',
    content: {
      ...trustContent,
      issuers: trustContent.issuers.map((i) => ({ ...i, publicKey: toHex(i.publicKey) })),
    },
    bytes: toHex(trustList),
  });
  await write('device-proof.json', {
    description: 'A proof of possession (docs/formats/credential.md) by device A of keys.json.',
    residentId: PROOF_RESIDENT,
    at: T0,
    message: toHex(deviceProofMessage(PROOF_RESIDENT, keys.device.pair.publicKey, T0)),
    signature: deviceProof.signature,
  });
  await write('ed25519-strict.json', {
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
  });
  await write('verify.json', {
    description: 'Verification cases: verify `text` at `now` with trust-list.json and the named status list.',
    maxStatusAgeMs: 3_600_000,
    cases,
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
