/** Shapes of the BFF's answers, as docs/api.md defines them. */

export interface Attempts {
  limit: number;
  remaining: number;
  unlockAt: number | null;
}

export type EnrollmentState = 'new' | 'consented' | 'real_name_verified' | 'eligible';

export interface Enrollment {
  state: EnrollmentState;
  consent: { version: string; at: number } | null;
  attempts: { realName: Attempts; face: Attempts };
}

export interface Session {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  resident: { id: string; enrollment: Enrollment };
}

export type { NoticeText as Notice, PrivacyNotice } from '@eid/shared';

export interface VerifyStart {
  verifyId: string;
  expiresAt: number;
}

export interface Reauth {
  reauthToken: string;
  expiresIn: number;
}

export type CardStatus = 'active' | 'suspended' | 'revoked';

export interface CardFace {
  name: string;
  sex: string;
  ethnicity: string;
  birthDate: string;
  address: string;
  idNumberMasked: string;
  issuingAuthority: string;
  validFrom: string;
  validUntil: string;
}

export interface Card {
  cardId: string;
  status: CardStatus;
  issuedAt: number;
  expiresAt: number;
  kid: string;
  face: CardFace;
}

export interface IssuedCard {
  card: Card;
  credential: string;
}

export interface UsageActor {
  type: 'resident' | 'staff' | 'third_party' | 'system';
  id: string;
  displayName: string;
  org?: string;
}

export interface UsageEvent {
  id: string;
  seq: number;
  at: number;
  actor: UsageActor;
  action: string;
  fields: string[];
  purpose: string;
  result: 'ok' | 'denied' | 'failed';
  detail?: unknown;
}

export interface UsagePage {
  items: UsageEvent[];
  nextBefore: number | null;
}

export interface UsageQuery {
  limit?: number;
  before?: number;
  actorType?: UsageActor['type'];
  purpose?: string;
  from?: number;
  to?: number;
}

/** A published purpose of a card check (shared/src/purposes). */
export interface Purpose {
  code: string;
  zh: string;
  en: string;
  basis: string;
  fields: string[];
}

export interface StaffSession {
  accessToken: string;
  expiresIn: number;
  staff: { id: string; displayName: string; role: string; org: string };
}

export type Verdict =
  | 'valid'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_issuer'
  | 'revoked'
  | 'suspended'
  | 'status_unknown'
  | 'replayed'
  | 'malformed';

export interface VerifyResult {
  verdict: Verdict;
  checkedAt: number;
  issuer: { kid: string; province: string } | null;
  card?: Partial<CardFace> & Record<string, unknown>;
}
