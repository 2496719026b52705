/**
 * Offline verification of document codes (EIDD1, issue 15 section 5) as a terminal does it: the licence-issuer
 * list, the trust list and the issuing body's status list held, the document and binding signatures cached by
 * digest, each code's device signature checked. Beside it, in the same run, a bare Ed25519 verify of the same
 * code's device signature with the same library: node:crypto with the BFF's SHA-256 (the BFF, a terminal in
 * Node; goal >= 0.8) and tweetnacl with the portable SHA-256 (the mini-program).
 * The documents, keys and lists are the format vectors (docs/formats/vectors/licence-codes.json): a driving
 * licence shown for government_services (6 fields) and a vehicle registration for vehicle_transfer (14).
 * The cache remembers a disclosure it opened (a wallet repeats it in every code for one purpose); the "opened"
 * rows make every code's disclosure be hashed against the root again, as the first code of a purpose is.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import nacl from 'tweetnacl';
import {
  buildDocumentCode,
  createLicenceCache,
  documentCodeSigningInput,
  documentDigest,
  parseDocumentCode,
  signBinding,
  tweetnaclEd25519,
  verifyDocumentCode,
  type LicenceCache,
  type LicenceVerifyOptions,
} from '@eid/shared';
import { nodeSha256 } from '../../bff/src/infra/ed25519';
import {
  BFF_KID,
  optionsAt,
  pairs,
  signer,
  vectorDocument,
  vectors,
  type VectorDocName,
} from '../../test/helpers/licence-codes';
import { SPKI_PREFIX, alternate, ed } from '../card/common';
import { scaled } from '../options';
import type { BenchResult } from '../types';

const DAY = 86_400_000;
/** The vectors' code time; the verifier looks 5 s later, as the vector cases do. */
const T0 = vectors.codes[0]!.timestamp;
const NOW = T0 + 5_000;
const CODES = 2000;

/** The documents measured, each with the purpose or service its code is made for. */
export const DOC_CODE_SETS: { label: string; document: VectorDocName; purpose: string }[] = [
  {
    label: 'driving licence, government_services',
    document: 'drivingLicence',
    purpose: 'government_services',
  },
  {
    label: 'vehicle registration, vehicle_transfer',
    document: 'vehicleRegistration',
    purpose: 'vehicle_transfer',
  },
];

/** `CODES` distinct codes of one vector document for one purpose (fresh nonces, times up to 49 s old). */
export function documentCodes(name: VectorDocName, purpose: string): string[] {
  const d = vectorDocument(name);
  const binding = signBinding(
    BFF_KID,
    {
      province: '37',
      issuedAt: T0 - DAY,
      expiresAt: T0 + 29 * DAY,
      documentDigest: documentDigest(d.credential, nodeSha256),
      devicePublicKey: pairs.device.publicKey,
    },
    signer(pairs.bff),
  );
  return Array.from({ length: CODES }, (_, i) =>
    buildDocumentCode({
      document: d.credential,
      secrets: d.secrets,
      binding,
      purpose,
      deviceSecretKey: pairs.device.secretKey,
      now: T0 - (i % 50) * 1000,
      ed25519: ed,
      sha256: nodeSha256,
    }),
  );
}

/** A licence cache that never keeps an opened disclosure: every code's disclosure is hashed again. */
function forgetfulCache(): LicenceCache {
  const inner = createLicenceCache();
  return {
    get: (key) => inner.get(key),
    set: (key, entry) => {
      if (entry.kind !== 'disclosure') inner.set(key, entry);
    },
  };
}

/** Offline document-code verifications per second, node:crypto and tweetnacl, beside a bare verify. */
export function measureDocCode(): BenchResult[] {
  const keyObject = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, Buffer.from(pairs.device.publicKey)]),
    format: 'der',
    type: 'spki',
  });
  const nodeBareName = 'bare node:crypto Ed25519 verify';
  const out: BenchResult[] = [];
  for (const set of DOC_CODE_SETS) {
    const codes = documentCodes(set.document, set.purpose);
    const bare = codes.map((text) => {
      const p = parseDocumentCode(text);
      return { message: documentCodeSigningInput(p), signature: p.signature };
    });
    const fields = vectors.codes.find((c) => c.document === set.document && c.purpose === set.purpose)!
      .disclosed.length;
    const verified = (options: LicenceVerifyOptions) => (i: number) => {
      const r = verifyDocumentCode(codes[i % codes.length], options);
      if (r.verdict !== 'valid' || r.disclosed?.length !== fields)
        throw new Error(`bench document code: ${r.verdict}, ${r.disclosed?.length} fields`);
    };
    const nodeBare = (i: number) => {
      const b = bare[i % bare.length]!;
      if (!nodeVerify(null, b.message, keyObject, b.signature)) throw new Error('bench signature not valid');
    };
    const naclBare = (i: number) => {
      const b = bare[i % bare.length]!;
      if (!nacl.sign.detached.verify(b.message, b.signature, pairs.device.publicKey))
        throw new Error('bench signature not valid');
    };
    const node = (cache: LicenceCache) => ({
      ...optionsAt(NOW, { ed25519: ed, sha256: nodeSha256, cache }),
    });
    const cached = alternate(verified(node(createLicenceCache())), nodeBare, {
      rounds: scaled(5, 3),
      batch: scaled(1200, 800),
    });
    const opened = alternate(verified(node(forgetfulCache())), nodeBare, {
      rounds: scaled(5, 3),
      batch: scaled(1500, 1000),
    });
    const uncachedOptions = { ...node(createLicenceCache()), cache: undefined };
    const noCache = alternate(verified(uncachedOptions), nodeBare, { rounds: 3, batch: 500 });
    const portable = alternate(
      verified(optionsAt(NOW, { ed25519: tweetnaclEd25519, cache: forgetfulCache() })),
      naclBare,
      { rounds: 3, batch: 8 },
    );
    out.push(
      { name: `doc code, ${set.label} (node:crypto)`, reference: nodeBareName, ...cached },
      { name: `doc code, ${set.label} (node:crypto, opened)`, reference: nodeBareName, ...opened },
      {
        name: `doc code, ${set.label} (node:crypto, no cache)`,
        reference: nodeBareName,
        ...noCache,
      },
      {
        name: `doc code, ${set.label} (tweetnacl, opened)`,
        reference: 'bare tweetnacl Ed25519 verify',
        ...portable,
      },
    );
  }
  return out;
}
