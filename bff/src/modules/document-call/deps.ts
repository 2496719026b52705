import {
  AppError,
  documentField,
  documentType,
  findService,
  trustListOf,
  type DocumentCallItem,
  type DocumentCallView,
  type Ed25519,
  type Sha256,
  type TrustList,
  type WindowDocumentCall,
} from '@eid/shared';
import type { Clock } from '../../infra/clock';
import type { KeyStore } from '../../infra/keystore';
import type { Logger } from '../../infra/logger';
import type { CardLookups } from '../card/card.types';
import type { FederationService } from '../federation/federation.types';
import type { TrustService } from '../trust/trust.types';
import {
  systemActor,
  type Disclosure,
  type DisclosureEvent,
  type UsageActor,
  type UsageRecorder,
} from '../usage/usage.types';
import type { DocumentCallRecord, DocumentCallRepository } from './document-call.repository';

/**
 * One document as the licence module's fresh pull gives it (licence.types.ts `PulledDocument`; only what the
 * call uses): checked against its issuing body, with its standing judged at the pull.
 */
export interface PulledDocument {
  type: string;
  identifier: string;
  /** `revoked`/`suspended` from the issuing body at the pull, else `expired` by validity, else `valid`. */
  status: 'valid' | 'expired' | 'revoked' | 'suspended';
  /** The issuing body's document credential, base64url. */
  credential: string;
  /** `encodeDocumentSecrets` of the document, base64url. */
  secrets: string;
}

/**
 * Where delivered documents come from: licence.types.ts `LicenceService.documentsFor`, a fresh pull for one
 * resident, types and purpose, which records the pull (`licence.pull`) in the resident's trace itself.
 * Throws AppError `LICENCE_SYSTEM_UNAVAILABLE` (503, retryable) when the licence system is down or slow.
 */
export interface DocumentSource {
  documentsFor(
    residentId: string,
    types: readonly string[],
    purpose: string,
    options?: { requestId?: string; actor?: UsageActor },
  ): Promise<PulledDocument[]>;
}

/** A staff account as the document call needs it: who it is and the window it works at. */
export interface StaffDesk {
  id: string;
  displayName: string;
  org: string;
  window?: { id: string; name: string };
}

/** What the annotated-copy renderer (modules/licence/annotated-copy.ts) takes, structurally. */
export interface AnnotatedCopyRequest {
  document: {
    typeName: string;
    licenceIdentifier: string;
    number: string;
    holderName: string;
    issuerName: string;
    issueDate: string;
    validity: { from: string; until: string | null };
    fields: readonly { label: string; labelEn?: string; value: string }[];
  };
  annotation: {
    service: string;
    purpose: string;
    windowName: string;
    organisation: string;
    staffName: string;
    expiresAt: number;
    annotatedAt: number;
  };
  qrText: string;
}

/** What the document-call use cases work with; document-call.service.ts builds it once. */
export interface DocumentCallDeps {
  repo: DocumentCallRepository;
  keys: Pick<KeyStore, 'seal' | 'open' | 'activeIssuerKid' | 'issuerKeys' | 'signAsIssuer'>;
  clock: Clock;
  logger: Logger;
  usage: UsageRecorder;
  /** The issuers this node vouches for: what request codes and receipts verify against. */
  trust: Pick<TrustService, 'issuers'>;
  /** Live card status, to find the resident a bright code (`addressedTo`) names. */
  card: CardLookups;
  documents: DocumentSource;
  /** The signed-in staff member and their window; throws for an account that is no longer active. */
  staffDesk(staffId: string): Promise<StaffDesk>;
  /** Renders an annotated copy's PDF (the payload text also goes into its `Keywords`). */
  renderPdf(input: AnnotatedCopyRequest): Promise<Uint8Array>;
  ed25519: Ed25519;
  sha256: Sha256;
  /** This node's province code (PROVINCE_CODE). */
  province: string;
  /**
   * The federation, for calls whose window and resident are in different provinces (cross-province.ts);
   * a node without one refuses another province's request as `unknown_request`.
   */
  federation?: Pick<FederationService, 'enabled' | 'nodeClient' | 'provinceName'>;
}

/** The one answer for a call that does not exist and for a call that is not the caller's: no existence oracle. */
export function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such document call');
}

/** The trust list request codes and receipts are checked against: this node's issuers. */
export const trustedList = (deps: Pick<DocumentCallDeps, 'trust'>): TrustList =>
  trustListOf(deps.trust.issuers());

/** The BFF's signer of request codes, receipts and annotations: the province issuer key, by kid. */
export function signer(keys: DocumentCallDeps['keys']): {
  kid: string;
  province: string;
  sign: (tbs: Uint8Array) => Uint8Array;
} {
  const kid = keys.activeIssuerKid();
  const province = keys.issuerKeys().find((k) => k.kid === kid)!.province;
  return { kid, province, sign: (tbs) => keys.signAsIssuer(kid, tbs) };
}

/** The state a caller sees: a pending call past answerBy is expired, a delivery past accessUntil has ended. */
export function stateAt(call: DocumentCallRecord, now: number): DocumentCallRecord['state'] {
  if (call.state === 'pending' && now >= call.answerBy) return 'expired';
  if (call.state === 'delivered' && call.accessUntil !== undefined && now >= call.accessUntil)
    return 'access_expired';
  return call.state;
}

/** The requested documents with their labels from the registry. */
export function itemsOf(call: Pick<DocumentCallRecord, 'documents'>): DocumentCallItem[] {
  return call.documents.map((d) => {
    const t = documentType(d.type);
    return {
      type: d.type,
      zh: t?.zh ?? d.type,
      en: t?.en ?? d.type,
      required: d.required,
      fields: d.fields.map((key) => {
        const spec = t ? documentField(t, key)?.spec : undefined;
        return { key, zh: spec?.zh ?? key, en: spec?.en ?? key };
      }),
    };
  });
}

/** What both sides see of a call at `now`. */
export function callView(call: DocumentCallRecord, now: number): DocumentCallView {
  const service = findService(call.service);
  return {
    id: call.id,
    state: stateAt(call, now),
    window: { id: call.windowId, name: call.windowName, organisation: call.organisation },
    staff: { id: call.staffId, displayName: call.staffName },
    service: {
      code: call.service,
      zh: service?.zh ?? call.service,
      en: service?.en ?? call.service,
      basis: service?.basis ?? '',
    },
    purpose: call.purpose,
    documents: itemsOf(call),
    createdAt: call.createdAt,
    answerBy: call.answerBy,
    accessForMs: call.accessForMs,
    requestDigest: call.requestDigest,
    ...(call.answeredAt !== undefined && { answeredAt: call.answeredAt }),
    ...(call.approvedAt !== undefined && { approvedAt: call.approvedAt }),
    ...(call.accessUntil !== undefined && { accessUntil: call.accessUntil }),
    ...(call.omitted && call.omitted.length > 0 && { omitted: call.omitted }),
  };
}

/** What the window sees of its own call: the view, its request code, and whether a resident is named. */
export function windowView(call: DocumentCallRecord, now: number): WindowDocumentCall {
  return { ...callView(call, now), requestCode: call.requestCode, addressed: call.residentId !== undefined };
}

/**
 * The window, as the resident's trace names it: the window and its organisation, the staff member in detail.
 * Another province's window is named with its province first (湖北省 …窗口), and its staff id with the
 * province code, as online recognition names it.
 */
export function windowActor(call: DocumentCallRecord): UsageActor {
  if (call.windowProvince)
    return {
      type: 'staff',
      id: `${call.windowProvince}:${call.staffId}`,
      displayName: `${call.windowProvinceName ?? call.windowProvince} ${call.windowName}`,
      org: call.organisation,
    };
  return { type: 'staff', id: call.staffId, displayName: call.windowName, org: call.organisation };
}

/** The BFF acting on its own: pulls from the licence system, expiries, erasures. */
export const DOCUMENT_CALL_ACTOR = systemActor('document-call', '电子证照调用服务');

/** Field names as the trace lists them: `type.field`. */
export const tracedFields = (docs: readonly { type: string; fields: readonly string[] }[]): string[] =>
  docs.flatMap((d) => d.fields.map((f) => `${d.type}.${f}`));

/**
 * The resident's trace for one call, bound to its service as purpose. Every event names the call and the
 * staff member in its detail.
 */
export function callTrace(
  deps: Pick<DocumentCallDeps, 'usage'>,
  call: DocumentCallRecord & { residentId: string },
  actor: UsageActor,
  requestId?: string,
): Disclosure & { once(e: DisclosureEvent, step: string): Promise<boolean> } {
  const trace = deps.usage.disclosure({
    residentId: call.residentId,
    actor,
    purpose: call.service,
    requestId,
  });
  const withCall = (e: DisclosureEvent): DisclosureEvent => ({
    ...e,
    detail: { documentCall: call.id, staff: call.staffName, ...e.detail },
  });
  return {
    record: (e) => trace.record(withCall(e)),
    recordOnce: (e, key) => trace.recordOnce(withCall(e), key),
    // A step that happens once per call (received, approved, expired, ...) is recorded once, whichever
    // request or process gets there first.
    once: (e, step) => trace.recordOnce(withCall(e), `document_call:${call.id}:${step}`),
  };
}

/** The staff member's own call, or NOT_FOUND: another window, another staff member, or no such call. */
export async function ownCall(
  deps: DocumentCallDeps,
  id: string,
  staffId: string,
): Promise<DocumentCallRecord> {
  const [call, desk] = await Promise.all([deps.repo.byId(id), deps.staffDesk(staffId)]);
  if (!call || call.staffId !== staffId || !desk.window || call.windowId !== desk.window.id) throw notFound();
  return call;
}

/** The resident's own call (addressed to them or opened by them), or NOT_FOUND. */
export async function residentCall(
  deps: Pick<DocumentCallDeps, 'repo'>,
  id: string,
  residentId: string,
): Promise<DocumentCallRecord & { residentId: string }> {
  const call = await deps.repo.byId(id);
  if (!call || call.residentId !== residentId) throw notFound();
  return call as DocumentCallRecord & { residentId: string };
}

/** What is sealed for one delivered document: the licence system's bytes, as pulled. */
export interface SealedDocument {
  /** This delivery's id (unique to the call). */
  id: string;
  type: string;
  identifier: string;
  status: 'valid' | 'expired' | 'revoked' | 'suspended';
  /** base64url. */
  credential: string;
  /** base64url of `encodeDocumentSecrets`. */
  secrets: string;
}

const aadOf = (callId: string) => `document_call:${callId}:documents`;

export function sealDocuments(
  keys: DocumentCallDeps['keys'],
  callId: string,
  docs: SealedDocument[],
): string {
  return keys.seal(JSON.stringify(docs), aadOf(callId));
}

export function openDocuments(keys: DocumentCallDeps['keys'], call: DocumentCallRecord): SealedDocument[] {
  if (!call.sealed) return [];
  return JSON.parse(keys.open(call.sealed, aadOf(call.id))) as SealedDocument[];
}
