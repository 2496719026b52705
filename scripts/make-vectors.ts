/**
 * Writes the test vectors of docs/formats/vectors/*.json from fixed seeds, so anyone can rebuild
 * them and every implementation (tweetnacl, node:crypto, a third party's) can check itself against
 * them. The tests load these files; run `npx tsx scripts/make-vectors.ts` after a format change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as prettier from 'prettier';
import { codeSigningInput, CREDENTIAL_AAD, deviceProofMessage, sign1ToBeSigned, toHex } from '@eid/shared';
import { ed25519Strict } from './vectors/ed25519-strict';
import {
  claims,
  claimsJson,
  credential,
  deviceProof,
  keyJson,
  keys,
  KID,
  parsed,
  payload,
  PROOF_RESIDENT,
  protectedBytes,
  ROGUE_KID,
  ROOT_KID,
  STATUS_SIZE,
  futureStatusList,
  staleStatusList,
  statusList,
  T0,
  text,
  trustContent,
  trustList,
} from './vectors/fixture';
import { cases } from './vectors/verify-cases';
import { brightCodeV2Vector, credentialV2Vector } from './vectors/v2';
import { licenceIdentifierVectors } from './vectors/licence-identifier';
import {
  LICENCE_ISSUER_KID,
  LICENCE_ISSUER_USCC,
  licenceDocumentVectors,
  licenceIssuerKey,
} from './vectors/licence-document';
import { ROGUE_LICENCE_KID, licenceCodesVectors, rogueLicenceKey } from './vectors/licence-codes';

const OUT = join(__dirname, '..', 'docs', 'formats', 'vectors');

async function write(name: string, value: unknown): Promise<void> {
  const file = join(OUT, name);
  mkdirSync(dirname(file), { recursive: true });
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(value), { ...config, parser: 'json' }));
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  await write('keys.json', {
    description:
      'Ed25519 keys of the vectors: seed = SHA-256("eid test vector seed: " + seedLabel). Never use them.',
    root: { kid: ROOT_KID, ...keyJson(keys.root) },
    issuer: { kid: KID, province: '37', ...keyJson(keys.issuer) },
    rogueIssuer: { kid: ROGUE_KID, province: '37', ...keyJson(keys.rogueIssuer) },
    device: keyJson(keys.device),
    otherDevice: keyJson(keys.otherDevice),
    licenceIssuer: { kid: LICENCE_ISSUER_KID, uscc: LICENCE_ISSUER_USCC, ...keyJson(licenceIssuerKey) },
    rogueLicenceIssuer: { kid: ROGUE_LICENCE_KID, ...keyJson(rogueLicenceKey) },
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
  await write('credential-v2.json', credentialV2Vector());
  await write('bright-code-v2.json', brightCodeV2Vector());
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
  await write('ed25519-strict.json', ed25519Strict);
  await write('verify.json', {
    description: 'Verification cases: verify `text` at `now` with trust-list.json and the named status list.',
    maxStatusAgeMs: 3_600_000,
    cases,
  });
  await write('licence-identifier.json', licenceIdentifierVectors());
  await write('licence-document.json', licenceDocumentVectors());
  await write('licence-codes.json', licenceCodesVectors());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
