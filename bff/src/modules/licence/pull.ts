import {
  AppError,
  CborShapeError,
  LICENCE_WALLET_PURPOSE,
  base64urlEncode,
  bytesEqual,
  decodeDocumentCredential,
  decodeDocumentSecrets,
  documentSdTree,
  errorCodeOf,
  licenceHolderKey,
  licenceIssuerFor,
  licenceIssuerListOf,
  sdRoot,
  verifyDocumentSignature,
  type DocumentType,
  type DocValue,
  type LicenceFaceValue,
  type LicenceIssuer,
  type UsageActor,
} from '@eid/shared';
import { nodeSha256 } from '../../infra/ed25519';
import type { Disclosure } from '../usage/usage.types';
import {
  WALLET_PURPOSE,
  holderIndexOf,
  recordQuietly,
  sealDocument,
  walletIdOf,
  type LicenceDeps,
  type StoredDocument,
} from './deps';
import { licenceUnavailable, type LicenceSystemDocument } from './licence-client';
import type { DocumentRow, LinkRecord } from './licence.repository';

/** What set a pull off, as the usage trace says it. */
export type PullTrigger = 'link' | 'refresh' | 'change_feed';

/** A pulled document that passed every check, with what was decoded on the way. */
export interface CheckedDocument {
  stored: StoredDocument;
  type: DocumentType;
  values: Readonly<Record<string, DocValue>>;
}

/** The face's fields (headline and rows) that are present; bytes (a portrait digest) are not shown. */
export function faceOf(
  type: DocumentType,
  values: Readonly<Record<string, DocValue>>,
): Record<string, LicenceFaceValue> {
  const face: Record<string, LicenceFaceValue> = {};
  for (const key of [type.face.headline, ...type.face.rows.flat()]) {
    const v = values[key];
    if (v !== undefined && !(v instanceof Uint8Array)) face[key] = v;
  }
  return face;
}

/** Why one pulled document is refused (logged with its type only). */
function problemOf(
  d: LicenceSystemDocument,
  types: readonly string[],
  issuerOf: (kid: string) => LicenceIssuer | undefined,
  deps: Pick<LicenceDeps, 'ed25519' | 'clock'>,
): string | CheckedDocument {
  let credential;
  try {
    credential = decodeDocumentCredential(d.credential);
  } catch (err) {
    if (err instanceof CborShapeError) return 'malformed_credential';
    throw err;
  }
  const { claims, type } = credential;
  if (claims.docType !== d.type || !types.includes(d.type)) return 'type_not_asked';
  if (claims.identifier !== d.identifier) return 'identifier_mismatch';
  const body = issuerOf(credential.kid);
  const issuer =
    body &&
    licenceIssuerFor(
      licenceIssuerListOf([body]),
      credential.kid,
      claims.issuer,
      claims.issuedAt,
      deps.clock.now(),
    );
  if (!issuer) return 'unknown_issuer';
  if (!verifyDocumentSignature(credential, issuer.publicKey, deps.ed25519)) return 'bad_signature';
  let secrets;
  try {
    secrets = decodeDocumentSecrets(type, d.secrets);
  } catch (err) {
    if (err instanceof CborShapeError) return 'malformed_secrets';
    throw err;
  }
  if (!bytesEqual(sdRoot(documentSdTree(type, secrets), nodeSha256), claims.sdRoot))
    return 'secrets_mismatch';
  const values = secrets.values;
  return {
    type,
    values,
    stored: {
      docId: d.id,
      type: d.type,
      identifier: d.identifier,
      systemStatus: d.status,
      issuerKid: credential.kid,
      documentNumber: String(values.documentNumber ?? ''),
      ...(claims.validUntil !== undefined && { validUntil: claims.validUntil }),
      face: faceOf(type, values),
      credential: base64urlEncode(d.credential),
      secrets: base64urlEncode(d.secrets),
      updatedAt: d.updatedAt,
    },
  };
}

/**
 * Checks every document the licence system sent: a credential of an asked-for type, the identifier it was
 * listed under, signed by an issuing body the system publishes, and secrets that lead to its signed root.
 * One that fails refuses the whole answer (LICENCE_SYSTEM_UNAVAILABLE, not retryable): a wallet is never
 * half-replaced by something we could not check.
 */
export async function checkPulled(
  deps: Pick<LicenceDeps, 'issuers' | 'ed25519' | 'clock' | 'logger'>,
  documents: readonly LicenceSystemDocument[],
  types: readonly string[],
): Promise<CheckedDocument[]> {
  const known = new Map<string, LicenceIssuer | undefined>();
  const list = await deps.issuers.list();
  for (const [kid, issuer] of list.issuers) known.set(kid, issuer);
  // A key id the cached bodies lack may be a body published since: asked for once (rate-limited).
  for (const d of documents) {
    let kid: string;
    try {
      kid = decodeDocumentCredential(d.credential).kid;
    } catch {
      continue;
    }
    if (!known.has(kid)) known.set(kid, await deps.issuers.byKid(kid));
  }
  return documents.map((d) => {
    const checked = problemOf(d, types, (kid) => known.get(kid), deps);
    if (typeof checked === 'string') {
      deps.logger.error(
        { type: d.type, reason: checked },
        'licence system sent a document that does not verify',
      );
      throw licenceUnavailable('sent a document that does not verify', false);
    }
    return checked;
  });
}

/** The stored-ETag key of a set of types. */
export const typesKey = (types: readonly string[]): string => [...types].sort().join(',');

/** The linked types of a link record, in link order. */
export const linkedTypes = (link: LinkRecord | null): string[] => (link ? link.links.map((l) => l.type) : []);

/** The holder index of a resident, from their verified identity. */
export function holderIndexFor(deps: Pick<LicenceDeps, 'keys'>, idNumber: string): string {
  return holderIndexOf(deps.keys, licenceHolderKey(idNumber, nodeSha256));
}

export interface PullOptions {
  trigger: PullTrigger;
  actor: UsageActor;
  requestId?: string;
  /** Send the stored ETag, so an unchanged wallet is answered 304 and left as it is. */
  useEtag: boolean;
}

/**
 * Pulls the resident's linked types from the licence system and makes the stored documents exactly what it
 * sent (sealed). Every pull is in the resident's trace (`licence.pull`, its trigger, the types, how many
 * came), a failed one too; on failure nothing stored changes. Returns whether anything changed.
 */
export async function pullWallet(
  deps: LicenceDeps,
  residentId: string,
  link: LinkRecord,
  options: PullOptions,
): Promise<{ changed: boolean }> {
  const types = linkedTypes(link);
  if (types.length === 0) return { changed: false };
  const trace: Disclosure = deps.usage.disclosure({
    residentId,
    actor: options.actor,
    purpose: WALLET_PURPOSE,
    requestId: options.requestId,
  });
  const detail = { trigger: options.trigger, types: types.join(',') };
  const key = typesKey(types);
  const ifNoneMatch = options.useEtag && link.etagTypes === key ? link.etag : undefined;
  try {
    const { face } = await deps.identity.getVerifiedIdentity(residentId);
    const answer = await deps.client.documents({
      holderIdNumber: face.idNumber,
      types,
      purpose: LICENCE_WALLET_PURPOSE,
      ...(ifNoneMatch && { ifNoneMatch }),
    });
    const now = deps.clock.now();
    if (answer.notModified) {
      await deps.repo.setPulled(residentId, ifNoneMatch, key, now);
      await trace.record({ action: 'licence.pull', detail: { ...detail, count: 0, notModified: true } });
      return { changed: false };
    }
    const checked = await checkPulled(deps, answer.documents, types);
    const rows: DocumentRow[] = checked.map(({ stored }) => {
      const walletId = walletIdOf(deps.keys, residentId, stored.docId);
      return {
        walletId,
        residentId,
        type: stored.type,
        sealed: sealDocument(deps.keys, residentId, walletId, stored),
        updatedAt: now,
      };
    });
    // The record first: a pull that is not in the trace must not have happened.
    await trace.record({
      action: 'licence.pull',
      fields: [...new Set(checked.map((c) => c.stored.type))],
      detail: { ...detail, count: rows.length },
    });
    await deps.repo.replaceDocuments(residentId, types, rows);
    await deps.repo.setPulled(residentId, answer.etag ?? undefined, key, now);
  } catch (err) {
    if (err instanceof AppError && err.code === 'CARD_NOT_ELIGIBLE') throw err;
    await recordQuietly(deps, trace, {
      action: 'licence.pull',
      result: 'failed',
      detail: { ...detail, error: errorCodeOf(err) ?? 'INTERNAL' },
    });
    throw err;
  }
  // A type unlinked while this pull was on its way: its documents must not stay.
  const still = new Set(linkedTypes(await deps.repo.linkOf(residentId)));
  for (const type of types) if (!still.has(type)) await deps.repo.deleteDocuments(residentId, type);
  return { changed: true };
}
