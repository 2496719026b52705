import { createHash } from 'node:crypto';
import {
  documentType,
  encodeDocumentSecrets,
  formatLicenceIdentifier,
  issueDocumentCredential,
  type DocValue,
  type DocumentSecrets,
} from '@eid/shared';
import { portraitPng } from '../registry/portrait';
import type { IssuingBody } from './issuers';

/** One version of a document, as the issuing body signed it. */
export interface DocumentVersion {
  type: string;
  issuer: IssuingBody;
  serial: string;
  version: number;
  statusIndex: number;
  /** Epoch ms. */
  issuedAt: number;
  /** Without the portrait digest, which is drawn from the registry portrait when the credential is built. */
  values: Readonly<Record<string, DocValue>>;
  portraitRef: string;
}

export interface BuiltCredential {
  identifier: string;
  credential: Uint8Array;
  /** encodeDocumentSecrets: the seed and the values, for the holder and parties the holder authorises. */
  secrets: Uint8Array;
}

const nodeSha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const portraitDigests = new Map<string, Uint8Array>();

/** 16-byte SHA-256 prefix of the registry's portrait of the holder (drawn once per ref). */
function portraitDigest(ref: string): Uint8Array {
  let digest = portraitDigests.get(ref);
  if (!digest) portraitDigests.set(ref, (digest = nodeSha256(portraitPng(ref)).subarray(0, 16)));
  return digest;
}

/** The licence identifier of a version: type code, issuing body, serial, version, MOD 37,36 check. */
export function identifierOf(v: Pick<DocumentVersion, 'type' | 'issuer' | 'serial' | 'version'>): string {
  return formatLicenceIdentifier({
    typeCode: documentType(v.type)!.typeCode,
    issuerCode: v.issuer.uscc,
    serial: v.serial,
    version: v.version,
  });
}

/**
 * Signs a version with its issuing body's (development) key. The salt seed comes from the identifier, so the
 * same version always has the same credential and secrets.
 */
export function buildCredential(v: DocumentVersion): BuiltCredential {
  const type = documentType(v.type)!;
  const identifier = identifierOf(v);
  const hasPortrait = type.fields.some((f) => f.key === 'portraitDigest');
  const secrets: DocumentSecrets = {
    seed: nodeSha256(
      new TextEncoder().encode(`eid-DEVELOPMENT-ONLY licence document seed: ${identifier}`),
    ).subarray(0, 16),
    values: hasPortrait ? { ...v.values, portraitDigest: portraitDigest(v.portraitRef) } : v.values,
  };
  const validUntil = v.values.validUntil as string | undefined;
  const credential = issueDocumentCredential(
    v.issuer.kid,
    {
      issuer: v.issuer.uscc,
      identifier,
      issuedAt: v.issuedAt,
      docType: v.type,
      validFrom: v.values.validFrom as string,
      ...(validUntil === undefined ? {} : { validUntil }),
      statusIndex: v.statusIndex,
      version: v.version,
    },
    secrets,
    v.issuer.sign,
    nodeSha256,
  );
  return { identifier, credential, secrets: encodeDocumentSecrets(type, secrets) };
}
