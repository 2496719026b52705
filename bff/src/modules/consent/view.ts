import {
  PARTY_CATEGORIES,
  documentType,
  documentTypeOfScope,
  findCardScope,
  findPurpose,
  formatConsentCode,
  type CardField,
  type ConsentItem,
  type ConsentPartyInfo,
  type DeletionProof,
  type DeletionStatus,
  type PartyConsentView,
  type ResidentConsentView,
} from '@eid/shared';
import type { Party } from '../party/party.types';
import type { ConsentRecord } from './consent.repository';
import { openSealed, stateAt, type ConsentDeps } from './deps';

const DAY_MS = 24 * 3600 * 1000;

// The card fields' labels as the resident's pages show them (miniapp i18n `field.*` says the same).
const FIELD_LABELS: Record<CardField, { zh: string; en: string }> = {
  name: { zh: '姓名', en: 'Name' },
  sex: { zh: '性别', en: 'Sex' },
  ethnicity: { zh: '民族', en: 'Ethnicity' },
  birthDate: { zh: '出生日期', en: 'Date of birth' },
  address: { zh: '住址', en: 'Address' },
  idNumber: { zh: '完整身份号码', en: 'Full ID number' },
  idNumberMasked: { zh: '部分隐藏的身份号码', en: 'Partly hidden ID number' },
  issuingAuthority: { zh: '签发机关', en: 'Issuing authority' },
  validFrom: { zh: '有效期起', en: 'Valid from' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  residenceProvince: { zh: '居住省份', en: 'Province of residence' },
  ageOver14: { zh: '已满14周岁', en: 'Over 14' },
  ageOver16: { zh: '已满16周岁', en: 'Over 16' },
  ageOver18: { zh: '已满18周岁', en: 'Over 18' },
  ageOver60: { zh: '已满60周岁', en: 'Over 60' },
};

/** Each requested scope with its labels and the card fields it hands over. */
export function itemsOf(scopes: readonly string[]): ConsentItem[] {
  return scopes.map((scope) => {
    const card = findCardScope(scope);
    if (card) {
      return {
        scope,
        zh: card.zh,
        en: card.en,
        fields: card.fields.map((key) => ({ key, ...FIELD_LABELS[key] })),
      };
    }
    const type = documentType(documentTypeOfScope(scope));
    return {
      scope,
      zh: `电子证照：${type?.zh ?? scope}`,
      en: `Electronic licence: ${type?.en ?? scope}`,
      fields: [],
    };
  });
}

/**
 * Where the deletion after a withdrawal stands at `now`: confirmed once the party's signed acknowledgement
 * is kept; else pending until dueBy, then overdue, counting each begun day past dueBy (one hour late is
 * "1 day overdue", as a resident would say it).
 */
export function deletionStatus(c: ConsentRecord, now: number): DeletionStatus | undefined {
  const d = c.deletion;
  if (!d) return undefined;
  const base = { requestedAt: d.requestedAt, dueBy: d.dueBy };
  if (d.confirmedAt !== undefined) {
    return {
      ...base,
      state: 'confirmed',
      deletedAt: d.deletedAt!,
      confirmedAt: d.confirmedAt,
      confirmedByKid: d.confirmedByKid!,
      ...(d.note !== undefined && { note: d.note }),
    };
  }
  if (now <= d.dueBy) return { ...base, state: 'pending' };
  return { ...base, state: 'overdue', daysOverdue: Math.ceil((now - d.dueBy) / DAY_MS) };
}

/** The kept acknowledgement, as the resident downloads it; undefined until the party confirmed. */
export function proofOf(c: ConsentRecord): DeletionProof | undefined {
  const p = c.deletion?.proof;
  if (!p) return undefined;
  const { headers, ...rest } = p;
  return {
    consentId: c.id,
    partyId: c.partyId,
    ...rest,
    ...(headers && { headers: Object.fromEntries(headers.map((h) => [h.name, h.value])) }),
  };
}

/** The request code and its mini-program link: shown to the party while the request is pending. */
function codeOf(
  deps: ConsentDeps,
  c: ConsentRecord,
): { requestCode: string; requestUrl: string } | undefined {
  const sealed = openSealed(deps, c);
  if (!sealed || !('secret' in sealed)) return undefined;
  const requestCode = formatConsentCode(c.id, sealed.secret);
  const requestUrl = `${deps.config.MINIAPP_URL.replace(/\/+$/, '')}/#/consent/pages/open/index?code=${encodeURIComponent(requestCode)}`;
  return { requestCode, requestUrl };
}

/**
 * What the party sees of its consent at `now`: the request and its state, the code while pending, the
 * resident's pairwise subject once approved, the approved data while approved (`withData`: the caller
 * records the read), and the deletion after a withdrawal.
 */
export function partyView(
  deps: ConsentDeps,
  c: ConsentRecord,
  now: number,
  withData = false,
): PartyConsentView {
  const state = stateAt(c, now);
  const code = state === 'pending' ? codeOf(deps, c) : undefined;
  const sealed = withData && state === 'approved' ? openSealed(deps, c) : undefined;
  const data = sealed && 'claims' in sealed ? sealed : undefined;
  const deletion = deletionStatus(c, now);
  return {
    id: c.id,
    state,
    purpose: c.purpose,
    scopes: [...c.scopes],
    reason: c.reason,
    retentionDays: c.retentionDays,
    ...(c.reference !== undefined && { reference: c.reference }),
    createdAt: c.createdAt,
    expiresAt: c.expiresAt,
    ...code,
    ...(c.answeredAt !== undefined && { answeredAt: c.answeredAt }),
    ...(c.withdrawnAt !== undefined && { withdrawnAt: c.withdrawnAt }),
    ...(c.residentId !== undefined &&
      (state === 'approved' || state === 'withdrawn') && {
        subject: deps.parties.subjectOf(c.partyId, c.residentId),
      }),
    ...(data && { claims: data.claims }),
    ...(data && data.documents.length > 0 && { documents: data.documents }),
    ...(deletion && { deletion }),
  };
}

/** The party as the resident is shown it. */
export function partyInfo(party: Party): ConsentPartyInfo {
  const category = PARTY_CATEGORIES.find((k) => k.code === party.category);
  return {
    id: party.id,
    name: party.name,
    uscc: party.uscc,
    category: party.category,
    categoryZh: category?.zh ?? party.category,
    categoryEn: category?.en ?? party.category,
    registration: party.registration,
  };
}

/** What the resident's consent page shows at `now`: who asks, why, exactly which fields, for how long. */
export function residentView(c: ConsentRecord, party: Party, now: number): ResidentConsentView {
  const purpose = findPurpose(c.purpose);
  const deletion = deletionStatus(c, now);
  return {
    id: c.id,
    state: stateAt(c, now),
    party: partyInfo(party),
    purpose: { code: c.purpose, zh: purpose?.zh ?? c.purpose, en: purpose?.en ?? c.purpose },
    reason: c.reason,
    items: itemsOf(c.scopes),
    retentionDays: c.retentionDays,
    createdAt: c.createdAt,
    expiresAt: c.expiresAt,
    ...(c.answeredAt !== undefined && { answeredAt: c.answeredAt }),
    ...(c.withdrawnAt !== undefined && { withdrawnAt: c.withdrawnAt }),
    ...(c.lastUsedAt !== undefined && { lastUsedAt: c.lastUsedAt }),
    ...(deletion && { deletion }),
  };
}
