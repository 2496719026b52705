/**
 * The vectors of docs/formats/vectors/licence-codes.json opened for the licence-code suites
 * (test/shared/licence/*.test.ts): keys, the trust list, the licence-issuer list, the issuing body's status
 * list, the documents with their secrets, and verify options at a given time, for either Ed25519 path.
 */
import {
  createLicenceCache,
  decodeDocumentSecrets,
  documentType,
  fromHex,
  openLicenceIssuerList,
  openLicenceStatusList,
  openTrustList,
  tweetnaclEd25519,
  type DocumentSecrets,
  type DocumentType,
  type Ed25519,
  type LicenceCache,
  type LicenceVerifyOptions,
  type Sha256,
  type StatusList,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import keys from '../../docs/formats/vectors/keys.json';
import trustListVector from '../../docs/formats/vectors/trust-list.json';
import vectors from '../../docs/formats/vectors/licence-codes.json';

export { keys, vectors };
export type LicenceCase = (typeof vectors.cases)[number];
export type VectorDocName = keyof typeof vectors.documents;

export const nodeEd25519 = createNodeEd25519();
export { nodeSha256 };
/** Both Ed25519 implementations, for `describe.each`: they must agree byte for byte. */
export const ED25519_PATHS: [string, Ed25519][] = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', nodeEd25519],
];

const pair = (seed: string) => tweetnaclEd25519.keyPairFromSeed(fromHex(seed));
export const pairs = {
  root: pair(keys.root.seed),
  /** The BFF's province key (vec-37-1 of trust-list.json): bindings, requests, receipts, annotations. */
  bff: pair(keys.issuer.seed),
  /** A key the trust list does not name (vec-37-9). */
  rogueBff: pair(keys.rogueIssuer.seed),
  licenceIssuer: pair(keys.licenceIssuer.seed),
  rogueLicenceIssuer: pair(keys.rogueLicenceIssuer.seed),
  device: pair(keys.device.seed),
  otherDevice: pair(keys.otherDevice.seed),
};
export const BFF_KID = keys.issuer.kid;
export const signer = (p: { secretKey: Uint8Array }) => (tbs: Uint8Array) =>
  tweetnaclEd25519.sign(p.secretKey, tbs);

export const trustList = openTrustList(
  fromHex(trustListVector.bytes),
  pairs.root.publicKey,
  tweetnaclEd25519,
);
export const issuerList = openLicenceIssuerList(
  fromHex(vectors.issuerList.bytes),
  pairs.root.publicKey,
  tweetnaclEd25519,
);
export const statusList = openLicenceStatusList(
  fromHex(vectors.statusList.bytes),
  issuerList,
  tweetnaclEd25519,
);

/** A vector document: its credential bytes, type and secrets. */
export function vectorDocument(name: VectorDocName): {
  credential: Uint8Array;
  type: DocumentType;
  secrets: DocumentSecrets;
} {
  const d = vectors.documents[name];
  const type = documentType(d.type)!;
  return {
    credential: fromHex(d.credential),
    type,
    secrets: decodeDocumentSecrets(type, fromHex(d.secrets)),
  };
}

export interface OptionsAt {
  ed25519?: Ed25519;
  sha256?: Sha256;
  /** `fresh` (default): the vector status list; `none`; or a list of one's own. */
  status?: 'fresh' | 'none' | StatusList;
  cache?: LicenceCache;
}

/** Verify options at `now` with the vector lists. */
export function optionsAt(now: number, o: OptionsAt = {}): LicenceVerifyOptions {
  const status = o.status ?? 'fresh';
  const list = status === 'fresh' ? statusList : status === 'none' ? undefined : status;
  return {
    licenceIssuers: issuerList,
    trustList,
    statusLists: new Map(list ? [[list.kid, list]] : []),
    clock: { now: () => now },
    maxStatusAgeMs: vectors.maxStatusAgeMs,
    ed25519: o.ed25519 ?? tweetnaclEd25519,
    ...(o.sha256 ? { sha256: o.sha256 } : {}),
    cache: o.cache ?? createLicenceCache(),
  };
}

/** The vector cases of one kind. */
export const casesOf = (kind: LicenceCase['kind']) => vectors.cases.filter((c) => c.kind === kind);
